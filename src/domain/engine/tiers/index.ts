/** The tier modules by kind, and a policy period's pipeline made ready to run. */
import type { RulePeriod, TierKind } from '../../policy/types.ts';
import { supplementaryStage, type SupplementaryStage } from './supplementary.ts';

export { applicationDue, assistanceApplies, assistanceCapLeft, assistanceDue, assistanceGround, assistanceTier, type AssistancePool } from './assistance.ts';
export { basicTier } from './basic.ts';
export { criticalTier } from './critical.ts';
export { supplementaryTier, type SupplementaryStage } from './supplementary.ts';
export { tiltTier } from './tilt.ts';
export type { Tier, TierContext } from './types.ts';

/** The kinds as small integers: the engine switches on them (a jump table, no string compares). */
export const TIER_OP = { basic: 0, critical: 1, assistance: 2, supplementary: 3, tilt: 4 } as const satisfies Record<TierKind, number>;

/** One stage of a pipeline: the kind of tier to run and, for a supplementary one, its rule. */
export interface Stage {
  readonly kind: TierKind;
  readonly op: (typeof TIER_OP)[TierKind];
  readonly supplementary: SupplementaryStage | null;
}

const READY = Symbol('sanbao.pipeline');
type WithPipeline = RulePeriod & { [READY]?: readonly Stage[] };

/** A period's stages in order, made once per compiled policy (kept on the period, out of sight of equality and JSON). */
export function pipelineOf(period: RulePeriod): readonly Stage[] {
  const p = period as WithPipeline;
  let stages = p[READY];
  if (stages === undefined) {
    stages = period.benefits.tiers.map((t) => ({
      kind: t.kind,
      op: TIER_OP[t.kind],
      supplementary: t.kind === 'supplementary' ? supplementaryStage(t.rule) : null,
    }));
    Object.defineProperty(p, READY, { value: stages, enumerable: false });
  }
  return stages;
}
