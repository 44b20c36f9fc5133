/**
 * The figures of the DRG reports, computed in the database over the stored
 * abstracts, groupings and payments — always of the hospitals inside one
 * division (the caller's: a prefecture bureau sees its prefecture's hospitals).
 */
import type { Queryable } from '../db.ts';

const n = (v: unknown) => Number(v ?? 0);

/** Discharges, grouped and ungroupable, per MDC and per ungroupable reason, in a period. */
export async function coverageFigures(q: Queryable, range: { from: string; to: string }, division: string) {
  const byMdc = await q.query<{ mdc: string | null; drg_count: number; cases: number; ungroupable: number }>(
    `SELECT g.mdc, count(DISTINCT g.drg) FILTER (WHERE g.reason_code IS NULL)::int AS drg_count, count(*)::int AS cases,
            count(*) FILTER (WHERE g.reason_code IS NOT NULL)::int AS ungroupable
     FROM drg_abstracts a JOIN drg_groupings g ON g.abstract_id = a.id JOIN facilities f ON f.id = a.facility_id
     WHERE a.discharge_date BETWEEN $1 AND $2 AND f.division_code LIKE $3 || '%' GROUP BY g.mdc ORDER BY g.mdc NULLS LAST`,
    [range.from, range.to, division],
  );
  const reasons = await q.query<{ reason_code: string; cases: number }>(
    `SELECT g.reason_code, count(*)::int AS cases
     FROM drg_abstracts a JOIN drg_groupings g ON g.abstract_id = a.id JOIN facilities f ON f.id = a.facility_id
     WHERE a.discharge_date BETWEEN $1 AND $2 AND f.division_code LIKE $3 || '%' AND g.reason_code IS NOT NULL
     GROUP BY g.reason_code ORDER BY cases DESC, g.reason_code`,
    [range.from, range.to, division],
  );
  const [all] = await q.query<{ discharges: number; grouped_rows: number; drgs: number }>(
    `SELECT count(*)::int AS discharges, count(g.abstract_id)::int AS grouped_rows, count(DISTINCT g.drg) FILTER (WHERE g.reason_code IS NULL)::int AS drgs
     FROM drg_abstracts a JOIN facilities f ON f.id = a.facility_id LEFT JOIN drg_groupings g ON g.abstract_id = a.id
     WHERE a.discharge_date BETWEEN $1 AND $2 AND f.division_code LIKE $3 || '%'`,
    [range.from, range.to, division],
  );
  return { all: { discharges: n(all?.discharges), withGrouping: n(all?.grouped_rows), drgs: n(all?.drgs) }, byMdc, reasons };
}

/** Case-mix index per hospital: the mean weight of its grouped discharges with a weight. */
export async function cmiFigures(q: Queryable, policyId: string, range: { from: string; to: string }, division: string) {
  return q.query<{ facility_code: string; facility_name: string; level: number; cases: number; weight_sum: number; cmi_10k: number }>(
    `SELECT f.code AS facility_code, f.name AS facility_name, f.level, count(*)::int AS cases, sum(w.weight_10k)::bigint AS weight_sum,
            round(sum(w.weight_10k)::numeric / count(*))::int AS cmi_10k
     FROM drg_abstracts a JOIN drg_groupings g ON g.abstract_id = a.id JOIN facilities f ON f.id = a.facility_id
       JOIN drg_weights w ON w.policy_id = $1 AND w.drg = g.drg
     WHERE a.discharge_date BETWEEN $2 AND $3 AND g.reason_code IS NULL AND f.division_code LIKE $4 || '%'
     GROUP BY f.code, f.name, f.level ORDER BY f.level DESC, f.code`,
    [policyId, range.from, range.to, division],
  );
}

/** Cost per case (fen, rounded half-up) and mean length of stay (tenths of a day) by hospital level and year. */
export async function costByLevelYear(q: Queryable, years: readonly number[], division: string) {
  const rows = await q.query<{ level: number; year: number; cases: number; total_fen: number; days: number }>(
    `SELECT f.level, extract(year FROM a.discharge_date)::int AS year, count(*)::int AS cases, sum(a.total_fen)::bigint AS total_fen, sum(a.ipt_days)::bigint AS days
     FROM drg_abstracts a JOIN facilities f ON f.id = a.facility_id
     WHERE extract(year FROM a.discharge_date)::int = ANY($1::int[]) AND f.division_code LIKE $2 || '%'
     GROUP BY f.level, year ORDER BY f.level DESC, year`,
    [years, division],
  );
  return rows.map((r) => ({ level: r.level, year: r.year, cases: r.cases, total: n(r.total_fen), days: n(r.days) }));
}

/** Per hospital, over the policy's paid months: payment, fund, cost and surplus. */
export async function surplusFigures(q: Queryable, policyId: string, division: string) {
  const rows = await q.query<{ facility_code: string; facility_name: string; level: number; cases: number; payment_fen: number; fund_payment_fen: number; total_fen: number; surplus_fen: number; months: number }>(
    `SELECT f.code AS facility_code, f.name AS facility_name, f.level, count(*)::int AS cases, sum(p.payment_fen)::bigint AS payment_fen,
            sum(p.fund_payment_fen)::bigint AS fund_payment_fen, sum(p.total_fen)::bigint AS total_fen, sum(p.surplus_fen)::bigint AS surplus_fen,
            count(DISTINCT p.month)::int AS months
     FROM drg_payments p JOIN facilities f ON f.id = p.facility_id WHERE p.policy_id = $1 AND f.division_code LIKE $2 || '%'
     GROUP BY f.code, f.name, f.level ORDER BY f.level DESC, f.code`,
    [policyId, division],
  );
  return rows.map((r) => ({ ...r, payment_fen: n(r.payment_fen), fund_payment_fen: n(r.fund_payment_fen), total_fen: n(r.total_fen), surplus_fen: n(r.surplus_fen) }));
}

/** The outliers paid under the policy, largest gap first. */
export async function outlierFigures(q: Queryable, policyId: string, limit: number, division: string) {
  const rows = await q.query<{ abstract_id: number; facility_code: string; setl_id: string; month: string; drg: string; kind: string; standard_fen: number; total_fen: number; payment_fen: number; rule: string }>(
    `SELECT p.abstract_id, f.code AS facility_code, a.setl_id, p.month, p.drg, p.kind, p.standard_fen, p.total_fen, p.payment_fen, p.rule
     FROM drg_payments p JOIN drg_abstracts a ON a.id = p.abstract_id JOIN facilities f ON f.id = p.facility_id
     WHERE p.policy_id = $1 AND p.kind IN ('high_outlier', 'low_outlier') AND f.division_code LIKE $3 || '%'
     ORDER BY abs(p.total_fen - p.standard_fen) DESC, a.setl_id LIMIT $2`,
    [policyId, limit, division],
  );
  const [counts] = await q.query<{ high: number; low: number; all: number }>(
    `SELECT count(*) FILTER (WHERE p.kind = 'high_outlier')::int AS high, count(*) FILTER (WHERE p.kind = 'low_outlier')::int AS low, count(*)::int AS all
     FROM drg_payments p JOIN facilities f ON f.id = p.facility_id WHERE p.policy_id = $1 AND f.division_code LIKE $2 || '%'`,
    [policyId, division],
  );
  return { high: n(counts?.high), low: n(counts?.low), paid: n(counts?.all), items: rows.map((r) => ({ ...r, abstract_id: Number(r.abstract_id), standard_fen: n(r.standard_fen), total_fen: n(r.total_fen), payment_fen: n(r.payment_fen) })) };
}
