/**
 * A DRG payment policy (one file per region and year, like the benefit
 * policies): the group table, the trimming of history, the outlier rules and
 * the year's budget per hospital level. Amounts in yuan and factors as decimal
 * strings, parsed digit by digit; a weight or rate that is not positive is refused.
 */
import { z } from 'zod';
import { MoneyError, parseYuan } from '../money.ts';
import { parseFactor, type TenThousandths } from './factor.ts';
import type { PaymentRules } from './payment.ts';
import type { Trim } from './weights.ts';

const factor = (what: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const f = parseFactor(v);
    if (f === undefined || f <= 0) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a positive decimal such as "3" or "0.3" (at most 4 decimals), not ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return f;
  });
const yuan = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    const fen = parseYuan(v);
    if (fen <= 0) throw new MoneyError(`a budget of ${v} is not positive`);
    return fen;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const outlierPay = z.discriminatedUnion('pay', [
  z.object({ pay: z.literal('fee_for_service') }),
  z.object({ pay: z.literal('ratio'), ratio: factor('ratio') }),
]);

export const drgPolicySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  name: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  table: z.string().min(1),
  trim: z.object({ above: factor('trim.above'), below: factor('trim.below') }),
  /** A group needs this many kept historical cases for a computed weight (fewer: no weight until the bureau fixes one). */
  minCases: z.number().int().min(1).max(10_000).default(1),
  outliers: z.object({
    high: z.object({ above: factor('outliers.high.above') }).and(outlierPay),
    low: z.object({ below: factor('outliers.low.below') }).and(outlierPay),
    ungroupable: z.enum(['fee_for_service', 'none']).default('fee_for_service'),
  }),
  /** The year's DRG budget (总额) per hospital level, yuan. */
  budget: z.record(z.enum(['1', '2', '3']), yuan).refine((b) => Object.keys(b).length > 0, 'name the budget of at least one hospital level'),
  /** Weights fixed by the bureau for some groups (otherwise computed from history): DRG → decimal. */
  weights: z.record(z.string().regex(/^([A-Z]{2}\d{2}|[A-Z]QY)$/, 'a DRG code such as FC11'), factor('weight')).default({}),
});

export interface DrgPolicy {
  readonly id: string;
  readonly name: string;
  readonly year: number;
  readonly table: string;
  readonly trim: Trim;
  readonly minCases: number;
  readonly rules: PaymentRules;
  /** Fen per hospital level. */
  readonly budget: ReadonlyMap<number, number>;
  readonly fixedWeights: ReadonlyMap<string, TenThousandths>;
}

export class DrgPolicyError extends Error {
  override readonly name = 'DrgPolicyError';
}

export function compileDrgPolicy(raw: unknown, source: string): DrgPolicy {
  const parsed = drgPolicySchema.safeParse(raw);
  if (!parsed.success) {
    throw new DrgPolicyError(`DRG policy ${source}: ${parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  const p = parsed.data;
  if (p.trim.below >= p.trim.above) throw new DrgPolicyError(`DRG policy ${source}: trim.below must be less than trim.above`);
  if (p.outliers.low.below >= p.outliers.high.above) throw new DrgPolicyError(`DRG policy ${source}: outliers.low.below must be less than outliers.high.above`);
  return {
    id: p.id,
    name: p.name,
    year: p.year,
    table: p.table,
    trim: p.trim,
    minCases: p.minCases,
    rules: p.outliers as PaymentRules,
    budget: new Map(Object.entries(p.budget).map(([level, fen]) => [Number(level), fen])),
    fixedWeights: new Map(Object.entries(p.weights)),
  };
}
