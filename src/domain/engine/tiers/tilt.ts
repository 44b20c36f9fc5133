/** Tilt (倾斜保障/兜底, Haixi): top the funds before it up to a guaranteed share of the compliant cost. */
import { applyRatio, type Fen } from '../../money.ts';
import { bestRatioAt } from '../identities.ts';
import type { YearToDate } from '../types.ts';
import { type Tier, type TierContext } from './types.ts';

// Local, not imported: under tsx an imported binding is read through a getter on every call of the hot path.
const APPLY_RATIO = applyRatio;
const BEST_RATIO_AT = bestRatioAt;
/** A short list (a handful of schemes or visit kinds) holds a value: a plain loop, no Array.includes. */
function has<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}
const positive = (a: number): number => (a > 0 ? a : 0);

const NOT_APPLICABLE = Object.freeze({ fund: 'tilt', base: 0, rule: 'tilt.not_applicable', amount: 0 } as const);

export const tiltTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const rule = ctx.rules.tilt;
  const at = rule && has(rule.visitKinds, ctx.visit.kind) ? BEST_RATIO_AT(ctx.identities, rule.floors) : -1;
  if (at < 0) return NOT_APPLICABLE;
  const identity = ctx.identities[at]!;
  const ratio = rule!.floors[identity]!;
  const paid = ctx.compliant - unpaid;
  // Never more than is unpaid: a floor tops up, it does not pay twice.
  let amount = positive(APPLY_RATIO(ctx.compliant, ratio) - paid);
  if (amount > unpaid) amount = unpaid;
  ytd.tilt += amount;
  return { fund: 'tilt', base: ctx.compliant, rule: 'tilt.floor', amount, ratio, identity };
};
