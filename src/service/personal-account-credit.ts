/**
 * The monthly credit run (个人账户按月划入): every employee enrolled in the
 * month's year gets the month's credit by their policy — a share of the
 * contribution base in service, a fixed amount retired. Idempotent: a month
 * credited twice credits once (the ledger holds one credit per person and
 * month). Pages of employees, each its own transaction, with progress; each
 * page's credits audited by one entry that names every one of them.
 */
import { monthlyCredit, parseMonth, yearOfMonth } from '../domain/account/credit.ts';
import { invalid, unprocessable } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { countCreditCandidates, creditCandidates, lockAccounts, lockCreditMonth, moveMoney, type Movement } from '../store/repositories/personal-accounts.ts';
import { postAccountEntries } from './ledger-posting.ts';

export interface CreditRunSummary {
  readonly month: string;
  readonly employees: number;
  readonly credited: number;
  readonly amount: number;
  readonly alreadyCredited: number;
  /** In service without a recorded contribution base: not credited until one is recorded (then run the month again). */
  readonly skippedNoBase: number;
  /** Their area's policy for the year has no personal account. */
  readonly skippedNoPolicy: number;
}

const PAGE = 1000;

/** Checks the month: YYYY-MM, not after the current month (Beijing time), a year some policy covers. */
export function checkCreditMonth(text: string, today: string, policies: PolicyRegistry): string {
  const month = parseMonth(text);
  if (!month) throw invalid('INVALID_MONTH', `"${text}" is not a month such as 2025-06`, 'month');
  if (month > today.slice(0, 7)) throw unprocessable('MONTH_IN_FUTURE', `${month} has not begun (today is ${today}); a month is credited once it starts`, 'month');
  const year = yearOfMonth(month);
  if (!policies.list().some((p) => p.year === year && p.personalAccount !== null)) {
    throw unprocessable('NO_ACCOUNT_POLICY', `no policy of ${year} has personal accounts`, 'month');
  }
  return month;
}

export async function creditMonth(
  db: Db,
  policies: PolicyRegistry,
  args: { month: string; today: string; actor: string; onProgress?: (done: number, total: number) => void },
): Promise<CreditRunSummary> {
  const month = checkCreditMonth(args.month, args.today, policies);
  const year = yearOfMonth(month);
  const total = await countCreditCandidates(db, year);
  const summary = { month, employees: 0, credited: 0, amount: 0, alreadyCredited: 0, skippedNoBase: 0, skippedNoPolicy: 0 };
  let after = 0;
  let scanned = 0;
  args.onProgress?.(0, total);
  for (;;) {
    const done = await db.transaction(async (tx) => {
      await lockCreditMonth(tx, month);
      const page = await creditCandidates(tx, year, month, after, PAGE);
      if (page.length === 0) return true;
      after = page[page.length - 1]!.id;
      scanned += page.length;
      const moves: Movement[] = [];
      for (const p of page) {
        // Enrolled as an employee but since registered as a resident: the person's scheme now decides.
        if (p.scheme !== 'employee') continue;
        summary.employees += 1;
        if (p.credited) {
          summary.alreadyCredited += 1;
          continue;
        }
        const rules = policies.forDivision(p.division_code, year)?.personalAccount;
        if (!rules) {
          summary.skippedNoPolicy += 1;
          continue;
        }
        const credit = monthlyCredit(rules, { status: p.employment_status, base: p.contribution_base_fen });
        if ('skipped' in credit) {
          summary.skippedNoBase += 1;
          continue;
        }
        moves.push({ personId: p.id, kind: 'credit', amount: credit.amount, year, month, rule: credit.rule, ref: `credit:${month}` });
      }
      await lockAccounts(tx, moves.map((m) => m.personId));
      const written = await moveMoney(tx, moves, args.actor, 'batch');
      await postAccountEntries(tx, written, args.actor);
      summary.credited += written.length;
      summary.amount += written.reduce((s, e) => s + e.amount_fen, 0);
      return page.length < PAGE;
    });
    args.onProgress?.(scanned, total);
    if (done) break;
  }
  await audit(db, { actor: args.actor, action: 'account.credit_run', entity: 'account_month', entityId: month, detail: { ...summary } });
  return summary;
}
