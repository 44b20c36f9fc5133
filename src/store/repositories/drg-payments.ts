/** The DRG payment of every discharge, per policy and month: what the monthly clearing of hospitals reads. */
import type { DischargePayment } from '../../domain/drg/payment.ts';
import type { Queryable } from '../db.ts';

export interface PaymentRecord {
  readonly abstractId: number;
  readonly facilityId: number;
  readonly level: number;
  readonly drg: string;
  readonly weight: number | null;
  readonly rate: number | null;
  readonly total: number;
  readonly patientPaid: number;
  readonly payment: DischargePayment;
}

/** Replaces the month's payments of a policy (computing again gives the same rows). */
export async function replaceMonthPayments(q: Queryable, policyId: string, month: string, rows: readonly PaymentRecord[]): Promise<void> {
  await q.query('DELETE FROM drg_payments WHERE policy_id = $1 AND month = $2', [policyId, month]);
  for (let i = 0; i < rows.length; i += 2_000) {
    const part = rows.slice(i, i + 2_000);
    await q.query(
      `INSERT INTO drg_payments (abstract_id, policy_id, month, facility_id, level, drg, weight_10k, rate_fen, standard_fen, kind, payment_fen,
         total_fen, patient_fen, fund_payment_fen, surplus_fen, rule)
       SELECT a, $1, $2, f, l, d, w, r, s, k, p, t, pp, fp, sp, ru FROM jsonb_to_recordset($3::jsonb)
         AS x(a bigint, f bigint, l smallint, d text, w int, r bigint, s bigint, k text, p bigint, t bigint, pp bigint, fp bigint, sp bigint, ru text)`,
      [
        policyId,
        month,
        JSON.stringify(
          part.map((x) => ({
            a: x.abstractId, f: x.facilityId, l: x.level, d: x.drg, w: x.weight, r: x.rate, s: x.payment.standard, k: x.payment.kind,
            p: x.payment.payment, t: x.total, pp: x.patientPaid, fp: x.payment.fundPayment, sp: x.payment.surplus, ru: x.payment.rule,
          })),
        ),
      ],
    );
  }
}

export interface PaymentRow {
  abstract_id: number;
  setl_id: string;
  facility_code: string;
  month: string;
  drg: string;
  weight_10k: number | null;
  rate_fen: number | null;
  standard_fen: number;
  kind: string;
  payment_fen: number;
  total_fen: number;
  patient_fen: number;
  fund_payment_fen: number;
  surplus_fen: number;
  rule: string;
}

export async function listPayments(
  q: Queryable,
  filter: { policyId: string; month?: string; facilityId?: number; division: string; limit: number; offset: number },
): Promise<{ total: number; items: PaymentRow[] }> {
  const where = `p.policy_id = $1 AND ($2::text IS NULL OR p.month = $2) AND ($3::bigint IS NULL OR p.facility_id = $3) AND f.division_code LIKE $6 || '%'`;
  const params = [filter.policyId, filter.month ?? null, filter.facilityId ?? null];
  const [count] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM drg_payments p JOIN facilities f ON f.id = p.facility_id WHERE ${where.replace('$6', '$4')}`, [...params, filter.division]);
  const items = await q.query<PaymentRow & Record<string, unknown>>(
    `SELECT p.abstract_id, a.setl_id, f.code AS facility_code, p.month, p.drg, p.weight_10k, p.rate_fen, p.standard_fen, p.kind, p.payment_fen,
            p.total_fen, p.patient_fen, p.fund_payment_fen, p.surplus_fen, p.rule
     FROM drg_payments p JOIN drg_abstracts a ON a.id = p.abstract_id JOIN facilities f ON f.id = p.facility_id
     WHERE ${where} ORDER BY p.month, f.code, a.setl_id LIMIT $4 OFFSET $5`,
    [...params, filter.limit, filter.offset, filter.division],
  );
  return { total: count?.n ?? 0, items };
}

/** Totals of a month per facility: what the clearing pays each hospital under DRG. */
export async function monthTotals(q: Queryable, policyId: string, month: string) {
  return q.query<{ facility_code: string; facility_name: string; level: number; cases: number; payment_fen: number; fund_payment_fen: number; total_fen: number; surplus_fen: number }>(
    `SELECT f.code AS facility_code, f.name AS facility_name, f.level, count(*)::int AS cases, sum(p.payment_fen)::bigint AS payment_fen,
            sum(p.fund_payment_fen)::bigint AS fund_payment_fen, sum(p.total_fen)::bigint AS total_fen, sum(p.surplus_fen)::bigint AS surplus_fen
     FROM drg_payments p JOIN facilities f ON f.id = p.facility_id
     WHERE p.policy_id = $1 AND p.month = $2 GROUP BY f.code, f.name, f.level ORDER BY f.code`,
    [policyId, month],
  );
}

/** The payments of one discharge (one per policy that paid it). */
export async function paymentsOf(q: Queryable, abstractId: number) {
  const rows = await q.query<{ policy_id: string; month: string; drg: string; weight_10k: number | null; rate_fen: number | null; standard_fen: number; kind: string; payment_fen: number; fund_payment_fen: number; surplus_fen: number; rule: string }>(
    `SELECT policy_id, month, drg, weight_10k, rate_fen, standard_fen, kind, payment_fen, fund_payment_fen, surplus_fen, rule FROM drg_payments WHERE abstract_id = $1 ORDER BY policy_id`,
    [abstractId],
  );
  return rows.map((r) => ({
    policy: r.policy_id, month: r.month, drg: r.drg, weight: r.weight_10k, rate: r.rate_fen === null ? null : Number(r.rate_fen), standard: Number(r.standard_fen),
    kind: r.kind, payment: Number(r.payment_fen), fundPayment: Number(r.fund_payment_fen), surplus: Number(r.surplus_fen), rule: r.rule,
  }));
}
