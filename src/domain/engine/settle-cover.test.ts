/** The engine takes cover and continuity as inputs: a bill before cover is refused; continuous enrolment raises the critical cap. */
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { settle } from './settle.ts';

const policy = loadFixturePolicies().get('dege-2025')!;
const input = {
  person: { scheme: 'resident' as const, identities: [] },
  visit: { kind: 'inpatient' as const, level: 2 as const, date: '2025-07-10' },
  // A bill big enough to reach the critical-illness cap of 400,000 yuan.
  amounts: { total: 150_000_000, compliant: 150_000_000 },
};

describe('cover in the engine', () => {
  it('refuses a bill dated before cover starts, naming the day', () => {
    expect(() => settle(policy, { ...input, coverFrom: '2025-07-11' })).toThrow(expect.objectContaining({ code: 'NOT_COVERED', kind: 'unprocessable', field: 'visit.date' }));
    expect(() => settle(policy, { ...input, coverFrom: '2025-07-11' })).toThrow(/cover starts on 2025-07-11/);
  });
  it('judges an inpatient stay by its admission', () => {
    expect(() => settle(policy, { ...input, visit: { ...input.visit, admissionDate: '2025-07-01' }, coverFrom: '2025-07-05' })).toThrow(/treatment of 2025-07-01/);
  });
  it('settles from the first day of cover, and without a cover date', () => {
    expect(settle(policy, { ...input, coverFrom: '2025-07-10' }).funds.critical).toBe(settle(policy, input).funds.critical);
  });
});

describe('rewards for continuous enrolment', () => {
  it('raise the critical-illness cap by 2 % of it per year beyond the 4th and per claim-free year', () => {
    const plain = settle(policy, input);
    expect(plain.funds.critical).toBe(40_000_000);
    const six = settle(policy, { ...input, continuity: { yearsInsured: 6, claimFreeYears: 1 } });
    // 2 continuous years beyond the 4th + 1 claim-free year: 6 % of 400,000 yuan.
    expect(six.funds.critical).toBe(40_000_000 + 2_400_000);
    expect(six.steps.find((s) => s.fund === 'critical')!.note).toMatch(/raised by 2400000 fen/);
    expect(six.funds.basic + six.funds.critical + six.funds.assistance + six.funds.supplementary + six.funds.tilt + six.selfPay).toBe(six.total);
    const capped = settle(policy, { ...input, continuity: { yearsInsured: 40, claimFreeYears: 30 } });
    expect(capped.funds.critical).toBe(40_000_000 + 8_000_000);
  });
});
