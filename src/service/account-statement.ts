/**
 * The yearly statement of a personal account (个人账户年度对账单): the opening
 * balance, every credit, spend and restoration of the year with the balance
 * after it, the totals, and the closing balance — for the console, the CLI,
 * a printable page, and the resident's own page. Names are masked.
 */
import { notFound } from '../domain/errors.ts';
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';
import { linksOf } from '../store/repositories/family-links.ts';
import { entryContexts, findAccount, ledgerOfYear } from '../store/repositories/personal-accounts.ts';
import { findPersonById, type PersonRow } from '../store/repositories/persons.ts';

export interface StatementLine {
  readonly id: number;
  readonly at: string;
  readonly kind: 'credit' | 'spend' | 'restore';
  /** Signed: positive in, negative out. */
  readonly amount: number;
  readonly balanceAfter: number;
  readonly rule: string;
  readonly month: string | null;
  readonly bill: { readonly transactionId: string; readonly facility: string; readonly visitDate: string; readonly visitKind: string } | null;
  /** Whose bill: 'self' or a relative (masked name and relation). */
  readonly beneficiary: { readonly self: boolean; readonly maskedName: string | null; readonly relation: string | null } | null;
}

export interface AccountStatement {
  readonly person: { readonly id: number; readonly maskedName: string; readonly idNumber: string; readonly scheme: string; readonly status: string; readonly divisionCode: string };
  readonly year: number;
  readonly contributionBase: number | null;
  readonly balance: number;
  readonly opening: number;
  readonly closing: number;
  readonly totals: { readonly credits: number; readonly ownSpends: number; readonly familySpends: number; readonly restored: number };
  readonly lines: readonly StatementLine[];
  readonly sharing: readonly { readonly linkId: number; readonly role: 'holder' | 'relative'; readonly maskedName: string; readonly relation: string; readonly status: string; readonly scheme: string }[];
}

export async function accountStatement(q: Queryable, person: PersonRow | number, year: number): Promise<AccountStatement> {
  const p = typeof person === 'number' ? await findPersonById(q, person) : person;
  if (!p) throw notFound('UNKNOWN_PERSON', `no person ${String(person)}`, 'personId');
  const [account, ledger, links] = [await findAccount(q, p.id), await ledgerOfYear(q, p.id, year), await linksOf(q, p.id)];
  const contexts = await entryContexts(q, ledger.entries.filter((e) => e.settlement_id !== null).map((e) => e.id));
  const relationOf = new Map(links.filter((l) => l.holder_id === p.id).map((l) => [l.relative_id, l.relation]));
  const totals = { credits: 0, ownSpends: 0, familySpends: 0, restored: 0 };
  const lines = ledger.entries.map((e): StatementLine => {
    if (e.kind === 'credit') totals.credits += e.amount_fen;
    else if (e.kind === 'restore') totals.restored += e.amount_fen;
    else if (e.beneficiary_id === p.id) totals.ownSpends += e.amount_fen;
    else totals.familySpends += e.amount_fen;
    const c = contexts.get(e.id);
    return {
      id: e.id,
      at: new Date(e.created_at).toISOString(),
      kind: e.kind,
      amount: e.kind === 'spend' ? -e.amount_fen : e.amount_fen,
      balanceAfter: e.balance_after_fen,
      rule: e.rule,
      month: e.month,
      bill: c ? { transactionId: c.transaction_id, facility: c.facility_name, visitDate: c.visit_date, visitKind: c.visit_kind } : null,
      beneficiary: e.beneficiary_id === null ? null : e.beneficiary_id === p.id
        ? { self: true, maskedName: null, relation: null }
        : { self: false, maskedName: c?.beneficiary_name ? maskName(c.beneficiary_name) : null, relation: relationOf.get(e.beneficiary_id) ?? null },
    };
  });
  return {
    person: { id: p.id, maskedName: maskName(p.name), idNumber: maskIdNumber(p.id_number), scheme: p.scheme, status: p.employment_status, divisionCode: p.division_code },
    year,
    contributionBase: account?.contribution_base_fen ?? null,
    balance: account?.balance_fen ?? 0,
    opening: ledger.opening,
    closing: ledger.closing,
    totals,
    lines,
    sharing: links.map((l) => {
      const holder = l.holder_id === p.id;
      return {
        linkId: l.id, role: holder ? 'holder' : 'relative', maskedName: maskName(holder ? l.relative_name : l.holder_name),
        relation: l.relation, status: l.status, scheme: holder ? l.relative_scheme : 'employee',
      };
    }),
  };
}
