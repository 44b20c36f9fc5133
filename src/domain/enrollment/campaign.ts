/**
 * The yearly campaign (年度参保征缴) in bulk: people with the same identities
 * under the same policy pay the same, so the contribution is computed once per
 * (policy, identity set) and the store applies it to everyone at once.
 */
import type { Fen } from '../money.ts';
import type { Policy } from '../policy/types.ts';
import { IDENTITIES, type Identity } from '../vocabulary.ts';
import { contributionFor, type Contribution } from './contribution.ts';

/** A canonical key for a set of identities: sorted, comma-joined ('' for none). */
export function identityKey(identities: readonly string[]): string {
  return [...new Set(identities)].sort().join(',');
}

/** The identities of a key, leaving out any the vocabulary does not know. */
export function identitiesOfKey(key: string): Identity[] {
  if (key === '') return [];
  return key.split(',').filter((i): i is Identity => (IDENTITIES as readonly string[]).includes(i));
}

export interface ContributionCase extends Contribution {
  readonly policyId: string;
  readonly key: string;
}

/** The contribution of every (policy, identity key) pair: the table the store joins people to. */
export function contributionTable(policies: readonly Policy[], keys: readonly string[]): ContributionCase[] {
  const out: ContributionCase[] = [];
  for (const policy of policies) {
    for (const key of keys) out.push({ policyId: policy.id, key, ...contributionFor(policy, identitiesOfKey(key)) });
  }
  return out;
}

export interface MemberShare {
  readonly contribution: Fen;
  readonly subsidy: Fen;
  readonly individual: Fen;
  readonly paid: Fen;
}

export interface HouseholdTotals {
  readonly members: number;
  readonly contribution: Fen;
  readonly subsidy: Fen;
  /** What the household pays in all: the individual parts of its members. */
  readonly individual: Fen;
  readonly paid: Fen;
  readonly due: Fen;
}

/** What a household pays and is subsidised: the sum over its members. */
export function householdTotals(members: readonly MemberShare[]): HouseholdTotals {
  let contribution = 0;
  let subsidy = 0;
  let individual = 0;
  let paid = 0;
  for (const m of members) {
    contribution += m.contribution;
    subsidy += m.subsidy;
    individual += m.individual;
    paid += m.paid;
  }
  return { members: members.length, contribution, subsidy, individual, paid, due: Math.max(0, individual - paid) };
}

/**
 * Coverage rate in basis points, rounded half-up as published (Haixi: 18,151 of
 * 18,287 → 9926 = 99.26 %), but never 100 % while anyone is not enrolled.
 */
export function coverageRate(enrolled: number, target: number): number {
  if (target === 0) return 0;
  const rate = Math.floor((enrolled * 20_000 + target) / (2 * target));
  return rate === 10_000 && enrolled < target ? 9_999 : rate;
}
