/** The tier modules by kind, and a policy period's pipeline bound to them. */
import type { RulePeriod, TierSpec } from '../../policy/types.ts';
import { assistanceTier } from './assistance.ts';
import { basicTier } from './basic.ts';
import { criticalTier } from './critical.ts';
import { supplementaryTier } from './supplementary.ts';
import { tiltTier } from './tilt.ts';
import type { Tier } from './types.ts';

export { assistanceApplies, assistanceCapLeft, assistanceDue, assistanceGround, type AssistancePool } from './assistance.ts';
export type { Tier, TierContext } from './types.ts';

/** The module that runs one tier of a pipeline. */
export function tierFor(spec: TierSpec): Tier {
  switch (spec.kind) {
    case 'basic':
      return basicTier;
    case 'critical':
      return criticalTier;
    case 'assistance':
      return assistanceTier;
    case 'supplementary':
      return supplementaryTier(spec.rule);
    case 'tilt':
      return tiltTier;
  }
}

const bound = new WeakMap<RulePeriod, readonly Tier[]>();

/** A period's tiers in order, bound once per compiled policy. */
export function pipelineOf(period: RulePeriod): readonly Tier[] {
  let tiers = bound.get(period);
  if (tiers === undefined) {
    tiers = period.benefits.tiers.map(tierFor);
    bound.set(period, tiers);
  }
  return tiers;
}
