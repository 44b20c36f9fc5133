/**
 * Weights and rates from history, and the payment of each discharge of a month.
 * Weights come from the grouped, trimmed history (or the policy fixes them);
 * each level's rate is its budget over the weights of the cases expected at
 * it. Payments are stored per discharge and month for the clearing to read;
 * they never touch what the patient paid.
 */
import { payDischarge } from '../domain/drg/payment.ts';
import { baseRate, computeWeights } from '../domain/drg/weights.ts';
import { invalid, unprocessable } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { dischargesToPay, groupedHistory } from '../store/repositories/drg-groupings.ts';
import { replaceMonthPayments, type PaymentRecord } from '../store/repositories/drg-payments.ts';
import { readRates, readWeights, replaceWeightsAndRates, type RateRow, type WeightRow } from '../store/repositories/drg-rates.ts';
import type { DrgContext } from './drg-catalogues.ts';

export interface RatesResult {
  readonly policyId: string;
  readonly history: { readonly from: string; readonly to: string; readonly cases: number; readonly kept: number; readonly meanCost: number };
  readonly weights: readonly WeightRow[];
  readonly rates: readonly RateRow[];
}

/** Computes and stores the weights and rates of a policy from the discharges of [from, to]. */
export async function computeRates(db: Db, ctx: Pick<DrgContext, 'policy'>, request: { policy: string; from: string; to: string; actor: string }): Promise<RatesResult> {
  const policy = ctx.policy(request.policy);
  const history = (await groupedHistory(db, request)).filter((c) => c.grouped);
  if (history.length === 0) throw unprocessable('NO_HISTORY', `no grouped discharge between ${request.from} and ${request.to}: group them first (sanbao drg group)`, 'history');
  const computed = computeWeights(history, policy.trim);
  // A group with too few kept cases gets no computed weight: its cases are paid like a group without weight.
  const weights = new Map<string, WeightRow>(computed.weights.filter((w) => w.cases - w.trimmed >= policy.minCases).map((w) => [w.drg, { ...w, source: 'history' as const }]));
  for (const [drg, weight] of policy.fixedWeights) {
    const w = weights.get(drg);
    weights.set(drg, { drg, weight, cases: w?.cases ?? 0, trimmed: w?.trimmed ?? 0, meanCost: w?.meanCost ?? 0, source: 'policy' });
  }
  const rates: RateRow[] = [];
  for (const [level, budget] of [...policy.budget].sort(([a], [b]) => a - b)) {
    let weightSum = 0;
    for (const c of history) if (c.level === level) weightSum += weights.get(c.drg)?.weight ?? 0;
    if (weightSum <= 0) throw unprocessable('RATE_NOT_POSITIVE', `level ${level} has a budget but no discharge of the history in a group with a weight: its rate cannot be set`, `budget.${level}`);
    rates.push({ level, budget, weightSum, rate: baseRate(budget, weightSum), historyFrom: request.from, historyTo: request.to });
  }
  const list = [...weights.values()].sort((a, b) => a.drg.localeCompare(b.drg));
  await db.transaction(async (tx) => {
    await replaceWeightsAndRates(tx, policy.id, list, rates);
    await audit(tx, { actor: request.actor, action: 'drg.rates', entity: 'drg_policy', entityId: policy.id, detail: { from: request.from, to: request.to, groups: list.length, rates: rates.map((r) => [r.level, r.rate]) } });
  });
  return { policyId: policy.id, history: { from: request.from, to: request.to, cases: history.length, kept: computed.kept, meanCost: computed.meanCost }, weights: list, rates };
}

export interface MonthPaymentResult {
  readonly policyId: string;
  readonly month: string;
  readonly discharges: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly payment: number;
  readonly fundPayment: number;
  readonly total: number;
  readonly surplus: number;
}

export function monthRange(month: string): { from: string; to: string } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid('INVALID_MONTH', `month must be YYYY-MM, not "${month}"`, 'month');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Pays every discharge of the month under the policy (again: the month's rows are replaced). */
export async function payMonth(db: Db, ctx: Pick<DrgContext, 'policy'>, request: { policy: string; month: string; actor: string }): Promise<MonthPaymentResult> {
  const policy = ctx.policy(request.policy);
  const range = monthRange(request.month);
  if (Number(request.month.slice(0, 4)) !== policy.year) throw invalid('MONTH_OUTSIDE_POLICY', `${request.month} is outside DRG policy ${policy.id} (${policy.year})`, 'month');
  const weights = new Map((await readWeights(db, policy.id)).map((w) => [w.drg, w.weight]));
  const rates = new Map((await readRates(db, policy.id)).map((r) => [r.level, r.rate]));
  if (rates.size === 0) throw unprocessable('NO_RATES', `DRG policy ${policy.id} has no rates yet: compute them first (sanbao drg rates)`, 'policy');
  const records: PaymentRecord[] = [];
  const byKind: Record<string, number> = {};
  let after = 0;
  for (;;) {
    const page = await dischargesToPay(db, range, after, 5_000);
    if (page.length === 0) break;
    for (const d of page) {
      if (d.drg === null) throw unprocessable('NOT_GROUPED', `discharge ${d.id} of ${request.month} is not grouped yet: run sanbao drg group first`, 'month');
      const rate = rates.get(d.level);
      // A hospital level without a budget has no rate: its cases are paid like a group without weight.
      const weight = d.grouped && rate !== undefined ? (weights.get(d.drg) ?? null) : null;
      const payment = payDischarge({ total: d.total, patientPaid: d.patientPaid, grouped: d.grouped, weight, rate: rate ?? 0 }, policy.rules);
      byKind[payment.kind] = (byKind[payment.kind] ?? 0) + 1;
      records.push({ abstractId: d.id, facilityId: d.facilityId, level: d.level, drg: d.drg, weight, rate: rate ?? null, total: d.total, patientPaid: d.patientPaid, payment });
    }
    after = page.at(-1)!.id;
  }
  const sum = (f: (r: PaymentRecord) => number) => records.reduce((s, r) => s + f(r), 0);
  const result = {
    policyId: policy.id, month: request.month, discharges: records.length, byKind,
    payment: sum((r) => r.payment.payment), fundPayment: sum((r) => r.payment.fundPayment), total: sum((r) => r.total), surplus: sum((r) => r.payment.surplus),
  };
  await db.transaction(async (tx) => {
    await replaceMonthPayments(tx, policy.id, request.month, records);
    await audit(tx, { actor: request.actor, action: 'drg.pay', entity: 'drg_policy', entityId: policy.id, detail: { month: request.month, discharges: records.length, payment: result.payment, fundPayment: result.fundPayment } });
  });
  return result;
}
