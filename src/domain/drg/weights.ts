/**
 * Relative weights from history (CHS-DRG): each group's mean cost, after
 * trimming cases beyond `above` × or below `below` × the group's untrimmed
 * mean, divided by the mean cost of every kept case. Integer arithmetic
 * (BigInt where products pass 2^53); a weight is in ten-thousandths.
 */
import { invalid } from '../errors.ts';
import type { TenThousandths } from './factor.ts';

export interface HistoricalCase {
  readonly drg: string;
  readonly cost: number;
}

export interface GroupWeight {
  readonly drg: string;
  readonly weight: TenThousandths;
  readonly cases: number;
  readonly trimmed: number;
  /** Mean cost of the kept cases, fen, rounded half-up. */
  readonly meanCost: number;
}

export interface Trim {
  readonly above: TenThousandths;
  readonly below: TenThousandths;
}

const halfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);

export function computeWeights(cases: Iterable<HistoricalCase>, trim: Trim): { weights: GroupWeight[]; meanCost: number; kept: number } {
  const byDrg = new Map<string, number[]>();
  for (const c of cases) {
    const list = byDrg.get(c.drg);
    if (list) list.push(c.cost);
    else byDrg.set(c.drg, [c.cost]);
  }
  const kept = new Map<string, { sum: bigint; n: number; trimmed: number }>();
  let total = 0n;
  let n = 0;
  for (const [drg, costs] of byDrg) {
    const sum = costs.reduce((s, c) => s + BigInt(c), 0n);
    const count = BigInt(costs.length);
    // cost ≤ above × mean  ⇔  cost × count × 10000 ≤ above × sum
    let s = 0n;
    let k = 0;
    for (const c of costs) {
      const scaled = BigInt(c) * count * 10_000n;
      if (scaled <= BigInt(trim.above) * sum && scaled >= BigInt(trim.below) * sum) {
        s += BigInt(c);
        k++;
      }
    }
    kept.set(drg, { sum: s, n: k, trimmed: costs.length - k });
    total += s;
    n += k;
  }
  if (n === 0 || total === 0n) throw invalid('NO_HISTORY', 'no historical case with a cost is left to compute weights from', 'history');
  const weights: GroupWeight[] = [];
  for (const [drg, g] of [...kept].sort(([a], [b]) => a.localeCompare(b))) {
    if (g.n === 0) continue;
    // weight = (s/k) / (total/n) = s·n / (k·total), in ten-thousandths
    const weight = Number(halfUp(g.sum * BigInt(n) * 10_000n, BigInt(g.n) * total));
    if (weight <= 0) throw invalid('WEIGHT_NOT_POSITIVE', `group ${drg} gets weight 0: its kept cases cost nothing`, 'history');
    weights.push({ drg, weight, cases: g.n + g.trimmed, trimmed: g.trimmed, meanCost: Number(halfUp(g.sum, BigInt(g.n))) });
  }
  return { weights, meanCost: Number(halfUp(total, BigInt(n))), kept: n };
}

/**
 * Base rate per hospital level from the year's budget: budget ÷ the sum of the
 * weights of the cases expected at that level, rounded down to the fen so the
 * rate times the expected weights never exceeds the budget.
 */
export function baseRate(budget: number, weightSum: number): number {
  if (weightSum <= 0) throw invalid('RATE_NOT_POSITIVE', 'no expected case weight at this level: the rate would be infinite', 'budget');
  const rate = Number((BigInt(budget) * 10_000n) / BigInt(weightSum));
  if (rate <= 0) throw invalid('RATE_NOT_POSITIVE', `a budget of ${budget} fen over weights ${weightSum} gives a rate of 0`, 'budget');
  return rate;
}
