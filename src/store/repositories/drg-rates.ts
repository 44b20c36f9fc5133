/** Weights and base rates of a DRG policy, replaced whole each time they are computed. */
import type { Queryable } from '../db.ts';

export interface WeightRow {
  drg: string;
  weight: number;
  cases: number;
  trimmed: number;
  meanCost: number;
  source: 'history' | 'policy';
}

export interface RateRow {
  level: number;
  budget: number;
  weightSum: number;
  rate: number;
  historyFrom: string;
  historyTo: string;
}

export async function replaceWeightsAndRates(q: Queryable, policyId: string, weights: readonly WeightRow[], rates: readonly RateRow[]): Promise<void> {
  await q.query('DELETE FROM drg_weights WHERE policy_id = $1', [policyId]);
  await q.query('DELETE FROM drg_rates WHERE policy_id = $1', [policyId]);
  await q.query(
    `INSERT INTO drg_weights (policy_id, drg, weight_10k, cases, trimmed, mean_fen, source)
     SELECT $1, drg, weight, cases, trimmed, "meanCost", source FROM jsonb_to_recordset($2::jsonb)
       AS t(drg text, weight int, cases int, trimmed int, "meanCost" bigint, source text)`,
    [policyId, JSON.stringify(weights)],
  );
  await q.query(
    `INSERT INTO drg_rates (policy_id, level, budget_fen, weight_sum_10k, rate_fen, history_from, history_to)
     SELECT $1, level, budget, "weightSum", rate, "historyFrom", "historyTo" FROM jsonb_to_recordset($2::jsonb)
       AS t(level smallint, budget bigint, "weightSum" bigint, rate bigint, "historyFrom" date, "historyTo" date)`,
    [policyId, JSON.stringify(rates)],
  );
}

export async function readWeights(q: Queryable, policyId: string): Promise<WeightRow[]> {
  const rows = await q.query<{ drg: string; weight_10k: number; cases: number; trimmed: number; mean_fen: number; source: 'history' | 'policy' }>(
    'SELECT drg, weight_10k, cases, trimmed, mean_fen, source FROM drg_weights WHERE policy_id = $1 ORDER BY drg',
    [policyId],
  );
  return rows.map((r) => ({ drg: r.drg, weight: r.weight_10k, cases: r.cases, trimmed: r.trimmed, meanCost: Number(r.mean_fen), source: r.source }));
}

export async function readRates(q: Queryable, policyId: string): Promise<RateRow[]> {
  const rows = await q.query<{ level: number; budget_fen: number; weight_sum_10k: number; rate_fen: number; history_from: string; history_to: string }>(
    `SELECT level, budget_fen, weight_sum_10k, rate_fen, to_char(history_from, 'YYYY-MM-DD') AS history_from, to_char(history_to, 'YYYY-MM-DD') AS history_to
     FROM drg_rates WHERE policy_id = $1 ORDER BY level`,
    [policyId],
  );
  return rows.map((r) => ({ level: r.level, budget: Number(r.budget_fen), weightSum: Number(r.weight_sum_10k), rate: Number(r.rate_fen), historyFrom: r.history_from, historyTo: r.history_to }));
}
