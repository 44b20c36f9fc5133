/** The contribution after the single most favourable subsidy (SPEC §3.1), as an example table over the reference policies. */
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import type { Identity } from '../vocabulary.ts';
import { contributionTable, coverageRate, householdTotals, identitiesOfKey, identityKey } from './campaign.ts';
import { contributionFor } from './contribution.ts';

const policies = loadFixturePolicies();

// policy, identities → contribution, subsidy, individual (fen), paying department
const EXAMPLES: readonly [string, Identity[], number, number, number, string | null][] = [
  ['lhasa-2024', [], 38_000, 0, 38_000, null],
  ['lhasa-2024', ['minimum_living'], 38_000, 34_200, 3_800, 'medical_assistance'],
  ['lhasa-2024', ['sudden_hardship'], 38_000, 34_200, 3_800, 'medical_assistance'],
  ['lhasa-2024', ['extreme_poverty'], 38_000, 38_000, 0, 'medical_assistance'],
  ['lhasa-2024', ['border_resident'], 38_000, 38_000, 0, 'finance'],
  ['lhasa-2024', ['minimum_living', 'severe_disability'], 38_000, 38_000, 0, 'medical_assistance'],
  ['lhasa-2024', ['poverty_alleviated'], 38_000, 0, 38_000, null],
  ['lhasa-2025', ['monitored'], 40_000, 36_000, 4_000, 'medical_assistance'],
  ['dege-2025', ['minimum_living'], 40_000, 30_000, 10_000, 'medical_assistance'],
  ['dege-2025', ['monitored'], 40_000, 30_000, 10_000, 'medical_assistance'],
  ['dege-2025', ['severe_disability'], 40_000, 40_000, 0, 'disabled_federation'],
  ['dege-2025', ['special_care'], 40_000, 40_000, 0, 'veterans_affairs'],
  ['dege-2025', ['minimum_living', 'special_care'], 40_000, 40_000, 0, 'veterans_affairs'],
  ['dege-2025', ['border_resident'], 40_000, 0, 40_000, null],
  ['haixi-2023', ['minimum_living'], 38_000, 26_600, 11_400, 'medical_assistance'],
  ['haixi-2023', ['returned_to_poverty'], 38_000, 26_600, 11_400, 'medical_assistance'],
  ['haixi-2023', ['extreme_poverty', 'minimum_living'], 38_000, 38_000, 0, 'medical_assistance'],
];

describe('contributionFor', () => {
  it.each(EXAMPLES)('%s %j → %i = %i + %i (%s)', (id, identities, contribution, subsidy, individual, department) => {
    const c = contributionFor(policies.get(id)!, identities);
    expect(c.contribution).toBe(contribution);
    expect(c.subsidy).toBe(subsidy);
    expect(c.individual).toBe(individual);
    expect(c.subsidy + c.individual).toBe(c.contribution);
    expect(c.department).toBe(department);
  });
});

describe('the campaign table', () => {
  it('keys identity sets canonically and drops unknown identities', () => {
    expect(identityKey(['monitored', 'extreme_poverty', 'monitored'])).toBe('extreme_poverty,monitored');
    expect(identityKey([])).toBe('');
    expect(identitiesOfKey('extreme_poverty,herder')).toEqual(['extreme_poverty']);
  });

  it('computes each (policy, identity set) once', () => {
    const table = contributionTable([policies.get('dege-2025')!, policies.get('lhasa-2024')!], ['', 'minimum_living']);
    expect(table.map((c) => [c.policyId, c.key, c.individual])).toEqual([
      ['dege-2025', '', 40_000], ['dege-2025', 'minimum_living', 10_000], ['lhasa-2024', '', 38_000], ['lhasa-2024', 'minimum_living', 3_800],
    ]);
  });

  it('adds up a household: the Lhasa family of 7 pays 266 yuan, subsidised 2,394', () => {
    const member = contributionFor(policies.get('lhasa-2024')!, ['minimum_living']);
    const totals = householdTotals(Array.from({ length: 7 }, () => ({ ...member, paid: 0 })));
    expect(totals).toEqual({ members: 7, contribution: 266_000, subsidy: 239_400, individual: 26_600, paid: 0, due: 26_600 });
  });

  it('rounds the coverage rate half-up (Haixi: 99.26 %), but never to 100 % while anyone is missing', () => {
    expect(coverageRate(18_151, 18_287)).toBe(9_926);
    expect(coverageRate(99_999, 100_000)).toBe(9_999);
    expect(coverageRate(5, 5)).toBe(10_000);
    expect(coverageRate(0, 0)).toBe(0);
  });
});
