/**
 * The ledger's storage: journals with their entries, written in one
 * statement each, in the caller's transaction; a bill's standing per fund as
 * the ledger has it; balances for the trial balance and the reports.
 */
import type { AccountCode, LedgerFund } from '../../domain/ledger/accounts.ts';
import type { JournalKind, JournalLine } from '../../domain/ledger/posting.ts';
import { parseInt8, type Queryable } from '../db.ts';

export interface JournalWrite {
  readonly kind: JournalKind;
  readonly source: string;
  readonly year: number;
  readonly actor: string;
  readonly lines: readonly JournalLine[];
  readonly settlementId?: number | null;
  readonly facilityId?: number | null;
  readonly personId?: number | null;
  readonly department?: string | null;
  readonly memo?: string | null;
  /** The business day; the database's today in China when absent. */
  readonly businessDate?: string | null;
}

/** Writes a journal and its lines; null when there is nothing to post (no line). The balance is checked at commit. */
export async function insertJournal(q: Queryable, j: JournalWrite): Promise<number | null> {
  if (j.lines.length === 0) return null;
  const [row] = await q.query<{ id: number }>(
    `WITH j AS (
       INSERT INTO ledger_journals (kind, source, settlement_id, facility_id, person_id, department, year, actor, memo, business_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10::date, ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)) RETURNING id),
     e AS (
       INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
       SELECT j.id, t.line, t.account, t.fund, t.amount FROM j,
         unnest($11::int[], $12::text[], $13::text[], $14::bigint[]) AS t(line, account, fund, amount))
     SELECT id FROM j`,
    [
      j.kind, j.source, j.settlementId ?? null, j.facilityId ?? null, j.personId ?? null, j.department ?? null, j.year, j.actor, j.memo ?? null,
      j.businessDate ?? null, j.lines.map((_, i) => i + 1), j.lines.map((l) => l.account), j.lines.map((l) => l.fund), j.lines.map((l) => l.amount),
    ],
  );
  return Number(row!.id);
}

/**
 * A new settlement's journal as two common table expressions of the statement
 * that writes the settlement (`settlementId` is that statement's expression
 * for the new id; the source is `settlement:<id>`), so settling makes no round
 * trip for it. Nothing when there is no line.
 */
export function settlementJournalCtes(
  settlementId: string,
  j: { facilityId: number; personId: number; year: number; actor: string; lines: readonly JournalLine[] },
  $: (value: unknown) => string,
): string[] {
  if (j.lines.length === 0) return [];
  return [
    `journal AS (
       INSERT INTO ledger_journals (kind, source, settlement_id, facility_id, person_id, year, actor, business_date)
       SELECT 'settlement', 'settlement:' || ${settlementId}, ${settlementId}, ${$(j.facilityId)}::bigint, ${$(j.personId)}::bigint, ${$(j.year)}::int,
         ${$(j.actor)}::text, ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date RETURNING id)`,
    `journal_lines AS (
       INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
       SELECT journal.id, t.line, t.account, t.fund, t.amount FROM journal,
         unnest(${$(j.lines.map((_, i) => i + 1))}::int[], ${$(j.lines.map((l) => l.account))}::text[], ${$(j.lines.map((l) => l.fund))}::text[],
           ${$(j.lines.map((l) => l.amount))}::bigint[]) AS t(line, account, fund, amount))`,
  ];
}

/** True when an event already has its journal. */
export async function hasJournal(q: Queryable, kind: JournalKind, source: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM ledger_journals WHERE kind = $1 AND source = $2', [kind, source]);
  return rows.length > 0;
}

const BILL_KINDS = "('settlement', 'readjudication', 'reversal')";

/** What a bill stands at in the ledger: its benefit spending per fund (settlement, re-adjudications, reversal). */
export async function billStanding(q: Queryable, settlementId: number): Promise<Record<LedgerFund, number>> {
  const rows = await q.query<{ fund: string; amount: string }>(
    `SELECT e.fund, sum(e.amount_fen)::text AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.settlement_id = $1 AND j.kind IN ${BILL_KINDS} AND e.account LIKE '%:benefit'
     GROUP BY e.fund`,
    [settlementId],
  );
  const out: Record<LedgerFund, number> = {};
  for (const r of rows) {
    const a = parseInt8(r.amount);
    if (a !== 0) out[r.fund] = a;
  }
  return out;
}

export interface AccountBalance {
  account: AccountCode;
  fund: LedgerFund;
  debit: number;
  credit: number;
  balance: number;
}

/** Every account's debits, credits and balance, optionally up to a day. */
export async function trialBalance(q: Queryable, upTo?: string): Promise<AccountBalance[]> {
  const rows = await q.query<{ account: string; fund: string; debit: string; credit: string }>(
    `SELECT e.account, e.fund, COALESCE(sum(e.amount_fen) FILTER (WHERE e.amount_fen > 0), 0)::text AS debit,
       COALESCE(-sum(e.amount_fen) FILTER (WHERE e.amount_fen < 0), 0)::text AS credit
     FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
     WHERE ($1::date IS NULL OR j.business_date <= $1::date)
     GROUP BY e.account, e.fund ORDER BY e.account`,
    [upTo ?? null],
  );
  return rows.map((r) => {
    const debit = parseInt8(r.debit);
    const credit = parseInt8(r.credit);
    return { account: r.account as AccountCode, fund: r.fund, debit, credit, balance: debit - credit };
  });
}

/** The first journal whose lines do not balance within a fund (the commit check makes this empty; verify proves it). */
export async function firstUnbalancedJournal(q: Queryable): Promise<{ journal_id: number; fund: string; sum: number } | undefined> {
  const [row] = await q.query<{ journal_id: string; fund: string; sum: string }>(
    `SELECT journal_id::text, fund, sum(amount_fen)::text AS sum FROM ledger_entries GROUP BY journal_id, fund HAVING sum(amount_fen) <> 0
     ORDER BY journal_id LIMIT 1`,
  );
  return row ? { journal_id: Number(row.journal_id), fund: row.fund, sum: parseInt8(row.sum) } : undefined;
}

export interface JournalRow {
  id: number;
  kind: JournalKind;
  source: string;
  settlement_id: number | null;
  facility_id: number | null;
  person_id: number | null;
  department: string | null;
  year: number;
  business_date: string;
  actor: string;
  memo: string | null;
  posted_at: Date;
  lines: { account: string; fund: string; amount: number }[];
}

const JOURNAL_SELECT = `SELECT j.id, j.kind, j.source, j.settlement_id, j.facility_id, j.person_id, j.department, j.year,
    j.business_date::text AS business_date, j.actor, j.memo, j.posted_at,
    (SELECT json_agg(json_build_object('account', e.account, 'fund', e.fund, 'amount', e.amount_fen) ORDER BY e.line)
       FROM ledger_entries e WHERE e.journal_id = j.id) AS lines
  FROM ledger_journals j`;

function toJournal(r: JournalRow & Record<string, unknown>): JournalRow {
  return {
    ...r, id: Number(r.id), settlement_id: r.settlement_id === null ? null : Number(r.settlement_id),
    facility_id: r.facility_id === null ? null : Number(r.facility_id), person_id: r.person_id === null ? null : Number(r.person_id),
    lines: (r.lines ?? []).map((l) => ({ ...l, amount: Number(l.amount) })),
  };
}

/** An event's journal, if it was posted. */
export async function findJournal(q: Queryable, kind: JournalKind, source: string): Promise<JournalRow | undefined> {
  const [row] = await q.query<JournalRow & Record<string, unknown>>(`${JOURNAL_SELECT} WHERE j.kind = $1 AND j.source = $2`, [kind, source]);
  return row ? toJournal(row) : undefined;
}

/** The latest journals, newest first, with their lines. */
export async function listJournals(q: Queryable, f: { kind?: string | undefined; facilityId?: number | undefined; limit: number; offset: number }): Promise<JournalRow[]> {
  const rows = await q.query<JournalRow & Record<string, unknown>>(
    `${JOURNAL_SELECT} WHERE ($1::text IS NULL OR j.kind = $1) AND ($2::bigint IS NULL OR j.facility_id = $2) ORDER BY j.id DESC LIMIT $3 OFFSET $4`,
    [f.kind ?? null, f.facilityId ?? null, f.limit, f.offset],
  );
  return rows.map(toJournal);
}

/** Writes many journals in one statement (bulk loads: the demo, the benchmark); journals without lines are skipped. */
export async function insertJournals(q: Queryable, journals: readonly JournalWrite[]): Promise<number> {
  const rows = journals.filter((j) => j.lines.length > 0).map((j) => ({
    kind: j.kind, source: j.source, settlement_id: j.settlementId ?? null, facility_id: j.facilityId ?? null, person_id: j.personId ?? null,
    department: j.department ?? null, year: j.year, actor: j.actor, memo: j.memo ?? null, business_date: j.businessDate ?? null, lines: j.lines,
  }));
  if (rows.length === 0) return 0;
  const [row] = await q.query<{ n: number }>(
    `WITH x AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(kind text, source text, settlement_id bigint, facility_id bigint, person_id bigint,
         department text, year int, actor text, memo text, business_date date, lines jsonb)),
     j AS (
       INSERT INTO ledger_journals (kind, source, settlement_id, facility_id, person_id, department, year, actor, memo, business_date)
       SELECT kind, source, settlement_id, facility_id, person_id, department, year, actor, memo,
         COALESCE(business_date, ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date) FROM x
       RETURNING id, kind, source),
     e AS (
       INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
       SELECT j.id, l.n, l.v->>'account', l.v->>'fund', (l.v->>'amount')::bigint
       FROM j JOIN x ON x.kind = j.kind AND x.source = j.source
       CROSS JOIN LATERAL jsonb_array_elements(x.lines) WITH ORDINALITY AS l(v, n))
     SELECT count(*)::int AS n FROM j`,
    [JSON.stringify(rows)],
  );
  return Number(row!.n);
}

/**
 * Payments made one by one (not in a roster batch) that have no contribution
 * journal yet, in id order after `after`: a caller posting them all pages on
 * by the last id it got (a keyset), so each page reads only payments not seen
 * before — re-reading the posted ones from the start made a bulk load's
 * posting quadratic (issue 18).
 */
export async function unpostedPayments(q: Queryable, limit: number, after = 0): Promise<{ id: number; person_id: number; year: number; amount_fen: number; department: string | null }[]> {
  const rows = await q.query<{ id: string; person_id: string; year: number; amount_fen: string; department: string | null }>(
    `SELECT p.id, p.person_id, p.year, p.amount_fen, p.department FROM payments p
     WHERE p.id > $2 AND p.batch_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_journals j WHERE j.kind = 'contribution' AND j.source = 'payment:' || p.id)
     ORDER BY p.id LIMIT $1`,
    [limit, after],
  );
  return rows.map((r) => ({ id: Number(r.id), person_id: Number(r.person_id), year: r.year, amount_fen: parseInt8(String(r.amount_fen)), department: r.department }));
}

/**
 * Brings the planner's statistics of payments and journals up to date: a bulk
 * load writes tens of thousands of both in one transaction, and planned on the
 * statistics of the empty tables, the look-up of unposted payments joins every
 * payment to every journal (it took minutes at 40,000 people).
 */
export async function analyzePaymentsAndJournals(q: Queryable): Promise<void> {
  await q.query('ANALYZE payments, ledger_journals');
}

/** The facility of each settlement. */
export async function facilitiesOfSettlements(q: Queryable, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; facility_id: number }>('SELECT id::int AS id, facility_id::int AS facility_id FROM settlements WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.facility_id]));
}
