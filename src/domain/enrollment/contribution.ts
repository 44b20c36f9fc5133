/**
 * What a resident pays for a year (参保缴费) after the single most favourable
 * subsidy of their identities (SPEC §3.1): never the sum of several.
 */
import { applyRatio, type Fen } from '../money.ts';
import type { Policy, Subsidy } from '../policy/types.ts';
import type { Department, Identity } from '../vocabulary.ts';

export interface Contribution {
  readonly tier: string;
  readonly contribution: Fen;
  readonly subsidy: Fen;
  readonly individual: Fen;
  /** The identity, kind and paying department of the subsidy applied; null when none. */
  readonly subsidyIdentity: Identity | null;
  readonly subsidyKind: Subsidy['kind'] | null;
  readonly department: Department | null;
}

function subsidyAmount(subsidy: Subsidy, contribution: Fen): Fen {
  switch (subsidy.kind) {
    case 'full':
      return contribution;
    case 'fixed':
      return subsidy.amount < contribution ? subsidy.amount : contribution;
    case 'percentage':
      return applyRatio(contribution, subsidy.percent);
  }
}

/** The contribution of one person in a tier (the first tier by default), with the best subsidy. */
export function contributionFor(policy: Policy, identities: readonly Identity[], tierId?: string): Contribution {
  const tier = tierId ? policy.enrollment.tiers.find((t) => t.id === tierId) : policy.enrollment.tiers[0];
  if (!tier) throw new Error(`policy ${policy.id} has no contribution tier "${tierId}"`);
  let best: { amount: Fen; identity: Identity; subsidy: Subsidy } | null = null;
  for (const subsidy of policy.enrollment.subsidies) {
    const amount = subsidyAmount(subsidy, tier.contribution);
    for (const identity of identities) {
      if (!subsidy.identities.includes(identity)) continue;
      if (best === null || amount > best.amount) best = { amount, identity, subsidy };
    }
  }
  return {
    tier: tier.id,
    contribution: tier.contribution,
    subsidy: best?.amount ?? 0,
    individual: tier.contribution - (best?.amount ?? 0),
    subsidyIdentity: best?.identity ?? null,
    subsidyKind: best?.subsidy.kind ?? null,
    department: best?.subsidy.department ?? null,
  };
}
