/**
 * Posting each event's journal in the event's own transaction: the callers
 * (settlement, re-adjudication, payments, assistance, clearing, payouts) hand
 * their amounts here; the rules are the pure ones of src/domain/ledger.
 */
import type { Funds, Step } from '../domain/engine/types.ts';
import {
  accountCreditPosting,
  accountSpendPosting,
  assistanceGrantPosting,
  billFunds,
  billPosting,
  contributionPosting,
  type FundAmounts,
  type JournalLine,
} from '../domain/ledger/posting.ts';
import type { Queryable } from '../store/db.ts';
import { analyzePaymentsAndJournals, billStanding, facilitiesOfSettlements, insertJournal, insertJournals, unpostedPayments } from '../store/repositories/ledger.ts';

interface BillRef {
  readonly settlementId: number;
  readonly facilityId: number;
  readonly personId: number;
  readonly year: number;
  readonly actor: string;
}

/** A new settlement's journal lines: each fund's payment is spending owed to the facility (written with the settlement). */
export function settlementJournal(funds: Funds, steps: readonly Step[]): readonly JournalLine[] {
  return billPosting(billFunds(funds, steps), {});
}

/**
 * A bill settled again (re-adjudication) or reversed: the ledger moves it from
 * what it stands at in the ledger to its new figures (nothing, for a reversal).
 */
export async function postBillChange(
  q: Queryable,
  bill: BillRef & { kind: 'readjudication' | 'reversal'; source: string; target: FundAmounts | null },
): Promise<void> {
  const current = await billStanding(q, bill.settlementId);
  await insertJournal(q, {
    kind: bill.kind, source: bill.source, settlementId: bill.settlementId, facilityId: bill.facilityId, personId: bill.personId,
    year: bill.year, actor: bill.actor, lines: billPosting(bill.target ?? {}, current),
  });
}

export { billFunds };

/** A contribution payment (or its reversal, negative) by the person or a department on their behalf; a batch posts once. */
export async function postContribution(
  q: Queryable,
  p: { source: string; personId: number | null; year: number; amount: number; department: string | null; actor: string; reversal?: boolean },
): Promise<void> {
  await insertJournal(q, {
    kind: p.reversal ? 'contribution_reversal' : 'contribution', source: p.source, personId: p.personId, year: p.year,
    department: p.department, actor: p.actor, lines: contributionPosting(p.reversal ? -p.amount : p.amount, p.department),
  });
}

/** Assistance granted to a resident (on application, case by case), or recovered (negative). */
export async function postAssistanceGrant(
  q: Queryable,
  g: { kind: 'assistance_application' | 'assistance_exception' | 'assistance_recovery'; source: string; personId: number; year: number; amount: number; actor: string; settlementId?: number | null },
): Promise<void> {
  await insertJournal(q, {
    kind: g.kind, source: g.source, personId: g.personId, year: g.year, actor: g.actor, settlementId: g.settlementId ?? null,
    lines: assistanceGrantPosting(g.amount),
  });
}

/**
 * Contributions recorded without their journal (the demo's bulk load writes
 * payment rows directly): each gets the journal recordPayment would have
 * posted. Pages through them by id (never re-reading those posted), with the
 * tables' statistics refreshed first and every tenth page, since the load
 * that calls this wrote them all in its own transaction.
 */
export async function postUnpostedPayments(
  q: Queryable,
  actor: string,
  options: { onProgress?: (posted: number) => void; pageSize?: number } = {},
): Promise<number> {
  let posted = 0;
  let after = 0;
  for (let page = 0; ; page++) {
    if (page % 10 === 0) await analyzePaymentsAndJournals(q);
    const rows = await unpostedPayments(q, options.pageSize ?? 5000, after);
    if (rows.length === 0) return posted;
    after = rows[rows.length - 1]!.id;
    posted += await insertJournals(q, rows.map((p) => ({
      kind: 'contribution' as const, source: `payment:${p.id}`, personId: p.person_id, year: p.year, department: p.department, actor,
      lines: contributionPosting(p.amount_fen, p.department),
    })));
    options.onProgress?.(posted);
  }
}

/**
 * Personal-account movements (issue 13) as they were written: a credit is
 * money into the accounts' fund; a spend is owed to the hospital of the bill
 * it paid (cleared with the funds' payments); a restoration takes one back.
 * One journal per entry, in the movement's transaction.
 */
export async function postAccountEntries(
  q: Queryable,
  entries: readonly { id: number; person_id: number; kind: 'credit' | 'spend' | 'restore'; amount_fen: number; year: number; settlement_id: number | null }[],
  actor: string,
): Promise<void> {
  if (entries.length === 0) return;
  const bills = [...new Set(entries.map((e) => e.settlement_id).filter((s): s is number => s !== null))];
  const facilityOf = await facilitiesOfSettlements(q, bills);
  await insertJournals(q, entries.map((e) => ({
    kind: e.kind === 'credit' ? ('account_credit' as const) : e.kind === 'spend' ? ('account_spend' as const) : ('account_restore' as const),
    source: `account_entry:${e.id}`, personId: e.person_id, year: e.year, actor, settlementId: e.settlement_id,
    facilityId: e.settlement_id === null ? null : (facilityOf.get(e.settlement_id) ?? null),
    lines: e.kind === 'credit' ? accountCreditPosting(e.amount_fen) : accountSpendPosting(e.kind === 'spend' ? e.amount_fen : -e.amount_fen),
  })));
}
