/** Tilt (倾斜保障/兜底, Haixi): top the funds before it up to a guaranteed share of the compliant cost. */
import { applyRatio, type Fen } from '../../money.ts';
import { bestRatio } from '../identities.ts';
import type { YearToDate } from '../types.ts';
import { has, positive, type Tier, type TierContext } from './types.ts';

const NOT_APPLICABLE = Object.freeze({ fund: 'tilt', base: 0, rule: 'tilt.not_applicable', amount: 0 } as const);

export const tiltTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const rule = ctx.rules.tilt;
  const floorBy = rule && has(rule.visitKinds, ctx.visit.kind) ? bestRatio(ctx.identities, rule.floors) : null;
  if (!floorBy) return NOT_APPLICABLE;
  const paid = ctx.compliant - unpaid;
  // Never more than is unpaid: a floor tops up, it does not pay twice.
  let amount = positive(applyRatio(ctx.compliant, floorBy.ratio) - paid);
  if (amount > unpaid) amount = unpaid;
  ytd.tilt += amount;
  return { fund: 'tilt', base: ctx.compliant, rule: 'tilt.floor', amount, ratio: floorBy.ratio, identity: floorBy.identity };
};
