/**
 * Clearing storage: what the ledger says each hospital came to be owed in a
 * month (by kind of journal and fund), the review deductions not yet cleared,
 * the DRG payments' difference, and the clearings themselves.
 */
import { parseInt8, type Queryable } from '../db.ts';

export interface FlowRow {
  facility_id: number;
  kind: 'settlement' | 'readjudication' | 'reversal';
  fund: string;
  amount: number;
}

/** Each facility's bill journals of [from, to] (business days), summed per kind and fund: the funds' spending owed to it. */
export async function monthFlows(q: Queryable, from: string, to: string, facilityId: number | null): Promise<FlowRow[]> {
  const rows = await q.query<Record<string, string>>(
    `SELECT j.facility_id::text,
       -- A personal account's spend is paid like a settlement's fund payments; its restoration like a reversal.
       CASE j.kind WHEN 'account_spend' THEN 'settlement' WHEN 'account_restore' THEN 'reversal' ELSE j.kind END AS kind,
       e.fund, sum(e.amount_fen)::text AS amount
     FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.kind IN ('settlement', 'readjudication', 'reversal', 'account_spend', 'account_restore') AND j.business_date BETWEEN $1::date AND $2::date
       AND ($3::bigint IS NULL OR j.facility_id = $3) AND e.account LIKE '%:benefit'
     GROUP BY 1, 2, 3`,
    [from, to, facilityId],
  );
  return rows.map((r) => ({ facility_id: Number(r.facility_id), kind: r.kind as FlowRow['kind'], fund: r.fund!, amount: parseInt8(r.amount!) }));
}

export interface DeductionRow {
  facility_id: number;
  flag_id: number;
  amount: number;
}

/** Review deductions decided up to a day (in China) and not yet in any clearing. */
export async function unclearedDeductions(q: Queryable, upTo: string, facilityId: number | null): Promise<DeductionRow[]> {
  const rows = await q.query<Record<string, string>>(
    `SELECT r.facility_id::text, r.id::text AS flag_id, r.deduct_fen::text AS amount FROM review_flags r
     WHERE r.status = 'deducted' AND ((r.decided_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= $1::date
       AND ($2::bigint IS NULL OR r.facility_id = $2)
       AND NOT EXISTS (SELECT 1 FROM clearing_deductions c WHERE c.flag_id = r.id)
     ORDER BY r.id`,
    [upTo, facilityId],
  );
  return rows.map((r) => ({ facility_id: Number(r.facility_id), flag_id: Number(r.flag_id), amount: parseInt8(r.amount!) }));
}

/**
 * DRG payments of a month per facility: discharges, and what the fund pays
 * under DRG (the payment less the patient's part) less what it paid for the
 * same discharges item by item at settlement (the settlement list's fund part).
 */
export async function drgDifferences(q: Queryable, month: string, facilityId: number | null): Promise<{ facility_id: number; discharges: number; difference: number }[]> {
  const rows = await q.query<Record<string, string>>(
    `SELECT p.facility_id::text, count(*)::text AS discharges, sum(p.fund_payment_fen - a.fund_fen)::text AS difference
     FROM drg_payments p JOIN drg_abstracts a ON a.id = p.abstract_id
     WHERE p.month = $1 AND ($2::bigint IS NULL OR p.facility_id = $2) GROUP BY p.facility_id`,
    [month, facilityId],
  );
  return rows.map((r) => ({ facility_id: Number(r.facility_id), discharges: Number(r.discharges), difference: parseInt8(r.difference!) }));
}

export interface ClearingRow {
  id: number;
  facility_id: number;
  facility_code: string;
  facility_name: string;
  facility_level: number;
  kind: 'monthly' | 'year_end';
  period: string;
  year: number;
  policy_id: string | null;
  bills: Record<string, number>;
  detail: Record<string, unknown>;
  review_deductions: number;
  drg_difference: number;
  deposit_rate_bp: number;
  deposit_withheld: number;
  deposit_released: number;
  deposit_forfeited: number;
  over_budget: number;
  payments: Record<string, number>;
  net_fen: number;
  batch_id: number | null;
  cleared_by: string;
  cleared_at: Date;
}

export type NewClearing = Omit<ClearingRow, 'id' | 'facility_code' | 'facility_name' | 'facility_level' | 'batch_id' | 'cleared_at'>;

export async function insertClearing(q: Queryable, c: NewClearing): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO clearings (facility_id, kind, period, year, policy_id, bills, detail, review_deductions, drg_difference, deposit_rate_bp,
       deposit_withheld, deposit_released, deposit_forfeited, over_budget, payments, net_fen, cleared_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id::int AS id`,
    [c.facility_id, c.kind, c.period, c.year, c.policy_id, JSON.stringify(c.bills), JSON.stringify(c.detail), c.review_deductions, c.drg_difference,
      c.deposit_rate_bp, c.deposit_withheld, c.deposit_released, c.deposit_forfeited, c.over_budget, JSON.stringify(c.payments), c.net_fen, c.cleared_by],
  );
  return row!.id;
}

export async function insertClearingDeductions(q: Queryable, clearingId: number, flags: readonly DeductionRow[]): Promise<void> {
  if (flags.length === 0) return;
  await q.query(
    'INSERT INTO clearing_deductions (flag_id, clearing_id, amount_fen) SELECT f, $1, a FROM unnest($2::bigint[], $3::bigint[]) AS t(f, a)',
    [clearingId, flags.map((f) => f.flag_id), flags.map((f) => f.amount)],
  );
}

const SELECT = `SELECT c.id::int AS id, c.facility_id::int AS facility_id, f.code AS facility_code, f.name AS facility_name, f.level::int AS facility_level,
    c.kind, c.period, c.year, c.policy_id, c.bills, c.detail, c.review_deductions, c.drg_difference, c.deposit_rate_bp, c.deposit_withheld, c.deposit_released, c.deposit_forfeited, c.over_budget,
    c.payments, c.net_fen, c.batch_id, c.cleared_by, c.cleared_at
  FROM clearings c JOIN facilities f ON f.id = c.facility_id`;

function normalize(r: ClearingRow): ClearingRow {
  const n = (v: unknown) => parseInt8(String(v));
  return {
    ...r, review_deductions: n(r.review_deductions), drg_difference: n(r.drg_difference), deposit_withheld: n(r.deposit_withheld),
    deposit_released: n(r.deposit_released), deposit_forfeited: n(r.deposit_forfeited), over_budget: n(r.over_budget), net_fen: n(r.net_fen),
    batch_id: r.batch_id === null ? null : Number(r.batch_id),
  };
}

export async function findClearing(q: Queryable, id: number): Promise<ClearingRow | undefined> {
  const [row] = await q.query<ClearingRow & Record<string, unknown>>(`${SELECT} WHERE c.id = $1`, [id]);
  return row ? normalize(row) : undefined;
}

export async function findClearingOf(q: Queryable, facilityId: number, kind: string, period: string): Promise<ClearingRow | undefined> {
  const [row] = await q.query<ClearingRow & Record<string, unknown>>(`${SELECT} WHERE c.facility_id = $1 AND c.kind = $2 AND c.period = $3`, [facilityId, kind, period]);
  return row ? normalize(row) : undefined;
}

export async function listClearings(
  q: Queryable,
  f: { period?: string | undefined; facilityId?: number | undefined; kind?: string | undefined; divisionPrefix?: string | undefined; unbatched?: boolean; limit: number; offset: number },
): Promise<ClearingRow[]> {
  const rows = await q.query<ClearingRow & Record<string, unknown>>(
    `${SELECT} WHERE ($1::text IS NULL OR c.period = $1) AND ($2::bigint IS NULL OR c.facility_id = $2) AND ($3::text IS NULL OR c.kind = $3)
       AND ($4::text IS NULL OR f.division_code LIKE $4 || '%') AND (NOT $5::boolean OR c.batch_id IS NULL)
     ORDER BY c.period DESC, f.code LIMIT $6 OFFSET $7`,
    [f.period ?? null, f.facilityId ?? null, f.kind ?? null, f.divisionPrefix ?? null, f.unbatched ?? false, f.limit, f.offset],
  );
  return rows.map(normalize);
}

/** The year's monthly clearings of a facility: deposit withheld and what they came to before deposits. */
export async function yearOfClearings(q: Queryable, facilityId: number, year: number): Promise<{ months: number; withheld: number; gross: number }> {
  const [row] = await q.query<Record<string, string>>(
    `SELECT count(*)::text AS months, COALESCE(sum(deposit_withheld), 0)::text AS withheld, COALESCE(sum(net_fen + deposit_withheld), 0)::text AS gross
     FROM clearings WHERE facility_id = $1 AND year = $2 AND kind = 'monthly'`,
    [facilityId, year],
  );
  return { months: Number(row!.months), withheld: parseInt8(row!.withheld!), gross: parseInt8(row!.gross!) };
}

export async function setClearingsBatch(q: Queryable, ids: readonly number[], batchId: number): Promise<void> {
  await q.query('UPDATE clearings SET batch_id = $2 WHERE id = ANY($1::bigint[]) AND batch_id IS NULL', [ids, batchId]);
}
