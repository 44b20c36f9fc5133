/**
 * Personal accounts and their ledger. Every movement is a ledger row with the
 * balance after it, written in the same statement as the balance and its audit
 * entry; the balance's CHECK (>= 0) is the last guard against overdrawing.
 */
import type { Queryable } from '../db.ts';
import { lockInSchema } from '../schema-locks.ts';

export interface AccountRow {
  person_id: number;
  contribution_base_fen: number | null;
  balance_fen: number;
}

export interface EntryRow {
  id: number;
  person_id: number;
  kind: 'credit' | 'spend' | 'restore';
  amount_fen: number;
  balance_after_fen: number;
  year: number;
  month: string | null;
  settlement_id: number | null;
  beneficiary_id: number | null;
  spend_id: number | null;
  rule: string;
  ref: string | null;
  actor: string;
  created_at: Date;
}

const ENTRY_COLUMNS = `e.id::int AS id, e.person_id::int AS person_id, e.kind, e.amount_fen::int AS amount_fen, e.balance_after_fen::int AS balance_after_fen,
  e.year, e.month, e.settlement_id::int AS settlement_id, e.beneficiary_id::int AS beneficiary_id, e.spend_id::int AS spend_id, e.rule, e.ref, e.actor, e.created_at`;

export async function findAccount(q: Queryable, personId: number): Promise<AccountRow | undefined> {
  const rows = await q.query<AccountRow & Record<string, unknown>>(
    'SELECT person_id::int AS person_id, contribution_base_fen::int AS contribution_base_fen, balance_fen::int AS balance_fen FROM personal_accounts WHERE person_id = $1',
    [personId],
  );
  return rows[0];
}

/** Locks the accounts (made when missing), in id order so two bills sharing accounts never deadlock. */
export async function lockAccounts(q: Queryable, personIds: readonly number[]): Promise<Map<number, AccountRow>> {
  if (personIds.length === 0) return new Map();
  await q.query('INSERT INTO personal_accounts (person_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING', [personIds]);
  const rows = await q.query<AccountRow & Record<string, unknown>>(
    `SELECT person_id::int AS person_id, contribution_base_fen::int AS contribution_base_fen, balance_fen::int AS balance_fen
     FROM personal_accounts WHERE person_id = ANY($1::bigint[]) ORDER BY person_id FOR UPDATE`,
    [personIds],
  );
  return new Map(rows.map((r) => [r.person_id, r]));
}

/** Records the monthly contribution base (audited by the caller's statement). */
export async function setContributionBase(q: Queryable, personId: number, baseFen: number, actor: string): Promise<{ before: number | null }> {
  const rows = await q.query<{ before: number | null }>(
    `WITH old AS (SELECT contribution_base_fen FROM personal_accounts WHERE person_id = $1 FOR UPDATE),
     up AS (INSERT INTO personal_accounts (person_id, contribution_base_fen) VALUES ($1, $2)
       ON CONFLICT (person_id) DO UPDATE SET contribution_base_fen = $2, updated_at = now()),
     au AS (INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       VALUES ($3, 'account.set_base', 'person', $1::text, json_build_object('personId', $1::bigint, 'base', $2::bigint, 'before', (SELECT contribution_base_fen FROM old))::jsonb))
     SELECT (SELECT contribution_base_fen FROM old)::int AS before`,
    [personId, baseFen, actor],
  );
  return rows[0]!;
}

export interface Movement {
  personId: number;
  kind: 'credit' | 'spend' | 'restore';
  amount: number;
  year: number;
  month?: string | null;
  settlementId?: number | null;
  beneficiaryId?: number | null;
  spendId?: number | null;
  rule: string;
  ref?: string | null;
}

/**
 * Moves money in or out of accounts the caller has locked: balances, ledger
 * rows and audit entries in one statement. A credit for a month already
 * credited is skipped (not an error); an overdraw fails the statement.
 * Returns the rows written.
 *
 * Audit 'row': one audit entry per ledger row (a bill's payment). 'batch': one
 * entry naming every row of the statement — id, holder, amount, balance after,
 * rule — for the monthly credit run, where one chained audit row per account
 * would cost more than the credits themselves.
 */
export async function moveMoney(q: Queryable, moves: readonly Movement[], actor: string, auditAs: 'row' | 'batch' = 'row'): Promise<EntryRow[]> {
  if (moves.length === 0) return [];
  const col = <T>(f: (m: Movement) => T) => moves.map(f);
  return q.query<EntryRow & Record<string, unknown>>(
    `WITH input AS (
       SELECT t.* FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::text[])
         AS t(person_id, kind, amount, year, month, settlement_id, beneficiary_id, spend_id, rule, ref)
       -- Looked up row by row (LIMIT keeps the planner from hashing every credit ever made).
       LEFT JOIN LATERAL (SELECT 1 AS one FROM personal_account_entries x
         WHERE t.kind = 'credit' AND x.person_id = t.person_id AND x.kind = 'credit' AND x.month = t.month LIMIT 1) done ON true
       WHERE done.one IS NULL),
     sums AS (
       SELECT person_id, sum(CASE WHEN kind = 'spend' THEN -amount ELSE amount END) AS delta FROM input GROUP BY person_id),
     up AS (
       UPDATE personal_accounts a SET balance_fen = a.balance_fen + s.delta, updated_at = now()
       FROM sums s WHERE a.person_id = s.person_id RETURNING a.person_id, a.balance_fen - s.delta AS before),
     numbered AS (
       SELECT i.*, up.before + sum(CASE WHEN i.kind = 'spend' THEN -i.amount ELSE i.amount END)
         OVER (PARTITION BY i.person_id ORDER BY i.ord) AS after
       FROM (SELECT input.*, row_number() OVER () AS ord FROM input) i JOIN up ON up.person_id = i.person_id),
     e AS (
       INSERT INTO personal_account_entries (person_id, kind, amount_fen, balance_after_fen, year, month, settlement_id, beneficiary_id, spend_id, rule, ref, actor)
       SELECT person_id, kind, amount, after, year, month, settlement_id, beneficiary_id, spend_id, rule, ref, $11 FROM numbered ORDER BY ord
       RETURNING *),
     au AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $11, 'account.' || e.kind, 'personal_account', e.person_id::text,
         json_build_object('entryId', e.id, 'amount', e.amount_fen, 'balanceAfter', e.balance_after_fen, 'rule', e.rule, 'month', e.month,
           'settlementId', e.settlement_id, 'beneficiaryId', e.beneficiary_id, 'spendId', e.spend_id, 'ref', e.ref)::jsonb
       FROM e WHERE $12 = 'row' ORDER BY e.id),
     batch AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $11, 'account.' || min(e.kind) || '_batch', 'personal_account_batch', coalesce(min(e.ref), 'batch') || ':' || min(e.id),
         json_build_object('ref', min(e.ref), 'count', count(*), 'amount', sum(e.amount_fen),
           'entries', json_agg(json_build_array(e.id, e.person_id, e.amount_fen, e.balance_after_fen, e.rule) ORDER BY e.id))::jsonb
       FROM e WHERE $12 = 'batch' HAVING count(*) > 0)
     SELECT ${ENTRY_COLUMNS} FROM e ORDER BY e.id`,
    [
      col((m) => m.personId), col((m) => m.kind), col((m) => m.amount), col((m) => m.year), col((m) => m.month ?? null),
      col((m) => m.settlementId ?? null), col((m) => m.beneficiaryId ?? null), col((m) => m.spendId ?? null), col((m) => m.rule), col((m) => m.ref ?? null),
      actor, auditAs,
    ],
  );
}

/** The spends of a settlement, each with what has been restored of it so far. */
export async function spendsOfSettlement(q: Queryable, settlementId: number): Promise<(EntryRow & { restored_fen: number })[]> {
  return q.query<EntryRow & { restored_fen: number } & Record<string, unknown>>(
    `SELECT ${ENTRY_COLUMNS},
       coalesce((SELECT sum(r.amount_fen) FROM personal_account_entries r WHERE r.spend_id = e.id), 0)::int AS restored_fen
     FROM personal_account_entries e WHERE e.settlement_id = $1 AND e.kind = 'spend' ORDER BY e.id`,
    [settlementId],
  );
}

/** The spends of many settlements, net of restorations, by settlement (for lists of bills). */
export async function netSpendsBySettlement(q: Queryable, settlementIds: readonly number[]): Promise<Map<number, { own: number; family: number }>> {
  if (settlementIds.length === 0) return new Map();
  const rows = await q.query<{ settlement_id: number; own: number; family: number }>(
    `SELECT settlement_id::int AS settlement_id,
       sum(CASE WHEN kind = 'spend' THEN amount_fen ELSE -amount_fen END) FILTER (WHERE rule LIKE '%.own')::int AS own,
       sum(CASE WHEN kind = 'spend' THEN amount_fen ELSE -amount_fen END) FILTER (WHERE rule LIKE '%.family')::int AS family
     FROM personal_account_entries WHERE settlement_id = ANY($1::bigint[]) GROUP BY settlement_id`,
    [settlementIds],
  );
  return new Map(rows.map((r) => [r.settlement_id, { own: r.own ?? 0, family: r.family ?? 0 }]));
}

/** A holder's ledger of a year (credits of its months, spends and restorations of its bills), oldest first, with the balance before it. */
export async function ledgerOfYear(q: Queryable, personId: number, year: number): Promise<{ opening: number; closing: number; entries: EntryRow[] }> {
  const entries = await q.query<EntryRow & Record<string, unknown>>(
    `SELECT ${ENTRY_COLUMNS} FROM personal_account_entries e WHERE e.person_id = $1 AND e.year = $2 ORDER BY e.id`,
    [personId, year],
  );
  const signed = (e: EntryRow) => (e.kind === 'spend' ? -e.amount_fen : e.amount_fen);
  // Opening: the balance just before the year's first movement; closing: the opening plus the year's movements.
  let opening: number;
  if (entries.length > 0) opening = entries[0]!.balance_after_fen - signed(entries[0]!);
  else {
    const [before] = await q.query<{ balance: number | null }>(
      'SELECT balance_after_fen::int AS balance FROM personal_account_entries WHERE person_id = $1 AND year < $2 ORDER BY id DESC LIMIT 1',
      [personId, year],
    );
    opening = before?.balance ?? 0;
  }
  return { opening, closing: entries.reduce((b, e) => b + signed(e), opening), entries };
}

export interface CreditCandidate {
  id: number;
  scheme: 'resident' | 'employee';
  division_code: string;
  employment_status: 'in_service' | 'retired';
  contribution_base_fen: number | null;
  credited: boolean;
}

/**
 * One page of the people enrolled as employees in the month's year, by id
 * after `afterId`, with their base and whether the month is credited. Driven
 * by the enrollments index and looked up row by row, so each page costs the
 * same however far into the run it is.
 */
export async function creditCandidates(q: Queryable, year: number, month: string, afterId: number, limit: number): Promise<CreditCandidate[]> {
  return q.query<CreditCandidate & Record<string, unknown>>(
    `SELECT p.id::int AS id, p.scheme, p.division_code, p.employment_status,
       (SELECT a.contribution_base_fen::int FROM personal_accounts a WHERE a.person_id = p.id) AS contribution_base_fen,
       c.one IS NOT NULL AS credited
     FROM (SELECT person_id FROM enrollments WHERE year = $1 AND status = 'enrolled' AND scheme = 'employee' AND person_id > $3
           ORDER BY person_id LIMIT $4) e
     JOIN persons p ON p.id = e.person_id
     LEFT JOIN LATERAL (SELECT 1 AS one FROM personal_account_entries x WHERE x.person_id = p.id AND x.kind = 'credit' AND x.month = $2 LIMIT 1) c ON true
     ORDER BY p.id`,
    [year, month, afterId, limit],
  );
}

export async function countCreditCandidates(q: Queryable, year: number): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM enrollments WHERE year = $1 AND status = 'enrolled' AND scheme = 'employee'`,
    [year],
  );
  return row!.n;
}

/** Serialises credit runs of one month (two clerks pressing the button at once). */
export async function lockCreditMonth(q: Queryable, month: string): Promise<void> {
  await lockInSchema(q, `sanbao.account.credit:${month}`);
}

/** For a statement: each entry's bill (facility, visit date, kind, transaction) and whose bill it was. */
export async function entryContexts(
  q: Queryable,
  entryIds: readonly number[],
): Promise<Map<number, { facility_name: string; visit_date: string; visit_kind: string; transaction_id: string; beneficiary_name: string | null }>> {
  if (entryIds.length === 0) return new Map();
  const rows = await q.query<{ id: number; facility_name: string; visit_date: string; visit_kind: string; transaction_id: string; beneficiary_name: string | null }>(
    `SELECT e.id::int AS id, f.name AS facility_name, v.visit_date::text AS visit_date, v.kind AS visit_kind, s.transaction_id, b.name AS beneficiary_name
     FROM personal_account_entries e JOIN settlements s ON s.id = e.settlement_id JOIN visits v ON v.id = s.visit_id
     JOIN facilities f ON f.id = s.facility_id LEFT JOIN persons b ON b.id = e.beneficiary_id
     WHERE e.id = ANY($1::bigint[])`,
    [entryIds],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
