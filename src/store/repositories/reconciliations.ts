/**
 * Reconciliation storage: the bureau's side of a hospital's totals and
 * details for a period (settlements on their day in China, reversals on
 * theirs, negated), and the reconciliation records staff follow up.
 */
import type { Scheme, VisitKind } from '../../domain/vocabulary.ts';
import { parseInt8, type Queryable } from '../db.ts';

/** The period's bounds as instants: [from 00:00, to+1 00:00) in China (UTC+8). */
const BOUNDS = `lo AS (SELECT ((($1::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC') AS a,
                              ((($2::date + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC') AS b)`;

export interface BureauTotalsRow {
  facility_id: number;
  scheme: Scheme;
  kind: VisitKind;
  count: number;
  total: number;
  funds: number;
  /** What the patients' own personal accounts paid (acct_pay), as paid at settlement; a reversal negates it. */
  acct: number;
}

/** What a settlement's patient paid from their own personal account when it was settled (national acct_pay). */
const ACCT_OF = `(SELECT coalesce(sum(e.amount_fen), 0) FROM personal_account_entries e WHERE e.settlement_id = s.id AND e.kind = 'spend' AND e.rule = 'account.own')`;

/** Totals per facility, scheme and visit kind over the period; one facility or all. */
export async function bureauTotals(q: Queryable, from: string, to: string, facilityId: number | null): Promise<BureauTotalsRow[]> {
  const rows = await q.query<Record<string, string>>(
    `WITH ${BOUNDS},
     x AS (
       SELECT s.facility_id, s.person_id, s.visit_id, 1 AS n, s.total_fen, s.funds_fen, ${ACCT_OF} AS acct FROM settlements s, lo
         WHERE s.settled_at >= lo.a AND s.settled_at < lo.b AND ($3::bigint IS NULL OR s.facility_id = $3)
       UNION ALL
       SELECT s.facility_id, s.person_id, s.visit_id, -1, -s.total_fen, -s.funds_fen, -${ACCT_OF} FROM settlements s, lo
         WHERE s.reversed_at >= lo.a AND s.reversed_at < lo.b AND ($3::bigint IS NULL OR s.facility_id = $3))
     SELECT x.facility_id::text, p.scheme, v.kind, sum(x.n)::text AS count, sum(x.total_fen)::text AS total, sum(x.funds_fen)::text AS funds,
       sum(x.acct)::text AS acct
     FROM x JOIN persons p ON p.id = x.person_id JOIN visits v ON v.id = x.visit_id
     GROUP BY x.facility_id, p.scheme, v.kind ORDER BY x.facility_id, p.scheme, v.kind`,
    [from, to, facilityId],
  );
  return rows.map((r) => ({
    facility_id: Number(r.facility_id), scheme: r.scheme as Scheme, kind: r.kind as VisitKind,
    count: Number(r.count), total: parseInt8(r.total!), funds: parseInt8(r.funds!), acct: parseInt8(r.acct!),
  }));
}

export interface BureauDetailRow {
  transaction_id: string;
  reversal: boolean;
  total: number;
  funds: number;
  acct: number;
}

/** The period's settlements and reversals of one facility, one line each (reversals negated). */
export async function bureauDetails(q: Queryable, facilityId: number, from: string, to: string): Promise<BureauDetailRow[]> {
  const rows = await q.query<Record<string, string | boolean>>(
    `WITH ${BOUNDS}
     SELECT s.transaction_id, false AS reversal, s.total_fen::text AS total, s.funds_fen::text AS funds, ${ACCT_OF}::text AS acct FROM settlements s, lo
       WHERE s.facility_id = $3 AND s.settled_at >= lo.a AND s.settled_at < lo.b
     UNION ALL
     SELECT s.transaction_id, true, (-s.total_fen)::text, (-s.funds_fen)::text, (-${ACCT_OF})::text FROM settlements s, lo
       WHERE s.facility_id = $3 AND s.reversed_at >= lo.a AND s.reversed_at < lo.b
     ORDER BY 1, 2`,
    [from, to, facilityId],
  );
  return rows.map((r) => ({
    transaction_id: String(r.transaction_id), reversal: r.reversal === true, total: parseInt8(String(r.total)), funds: parseInt8(String(r.funds)), acct: parseInt8(String(r.acct)),
  }));
}

export type ReconciliationRow = {
  id: number;
  facility_id: number;
  facility_code: string;
  facility_name: string;
  request_id: string;
  request_hash: string;
  period_from: string;
  period_to: string;
  status: 'matched' | 'open' | 'explained' | 'resolved';
  lines: unknown[];
  differences: unknown[];
  submitted_by: string;
  submitted_at: Date;
  note: string | null;
  followed_by: string | null;
  followed_at: Date | null;
};

const SELECT = `SELECT r.id::int AS id, r.facility_id::int AS facility_id, f.code AS facility_code, f.name AS facility_name, r.request_id, r.request_hash,
    r.period_from::text AS period_from, r.period_to::text AS period_to, r.status, r.lines, r.differences, r.submitted_by, r.submitted_at,
    r.note, r.followed_by, r.followed_at
  FROM reconciliations r JOIN facilities f ON f.id = r.facility_id`;

export async function insertReconciliation(
  q: Queryable,
  r: Pick<ReconciliationRow, 'facility_id' | 'request_id' | 'request_hash' | 'period_from' | 'period_to' | 'status' | 'lines' | 'differences' | 'submitted_by'>,
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO reconciliations (facility_id, request_id, request_hash, period_from, period_to, status, lines, differences, submitted_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::int AS id`,
    [r.facility_id, r.request_id, r.request_hash, r.period_from, r.period_to, r.status, JSON.stringify(r.lines), JSON.stringify(r.differences), r.submitted_by],
  );
  return row!.id;
}

export async function findReconciliation(q: Queryable, id: number, forUpdate = false): Promise<ReconciliationRow | undefined> {
  const [row] = await q.query<ReconciliationRow>(`${SELECT} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`, [id]);
  return row;
}

export async function findReconciliationByRequest(q: Queryable, facilityId: number, requestId: string): Promise<ReconciliationRow | undefined> {
  const [row] = await q.query<ReconciliationRow>(`${SELECT} WHERE r.facility_id = $1 AND r.request_id = $2`, [facilityId, requestId]);
  return row;
}

export async function listReconciliations(
  q: Queryable,
  f: { status?: string | undefined; facilityId?: number | undefined; divisionPrefix?: string | undefined; limit: number; offset: number },
): Promise<ReconciliationRow[]> {
  return q.query<ReconciliationRow>(
    `${SELECT} WHERE ($1::text IS NULL OR r.status = $1) AND ($2::bigint IS NULL OR r.facility_id = $2) AND ($3::text IS NULL OR f.division_code LIKE $3 || '%')
     ORDER BY r.id DESC LIMIT $4 OFFSET $5`,
    [f.status ?? null, f.facilityId ?? null, f.divisionPrefix ?? null, f.limit, f.offset],
  );
}

export async function setReconciliationStatus(q: Queryable, id: number, status: string, note: string, by: string): Promise<void> {
  await q.query('UPDATE reconciliations SET status = $2, note = $3, followed_by = $4, followed_at = now() WHERE id = $1', [id, status, note, by]);
}
