/**
 * Effective-dated rules: a bill takes the rules in force on its rule date
 * (admission or discharge, as the policy says); the year's accumulators carry
 * across a change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from '../../../test/support/policies.ts';
import { DomainError } from '../errors.ts';
import { compilePolicy } from '../policy/compile.ts';
import { addDays } from '../policy/periods.ts';
import { settle } from './settle.ts';
import type { SettlementInput, YearToDate } from './types.ts';

const lhasa = loadFixturePolicies().get('lhasa-2025')!;

function chronic(scheme: 'resident' | 'employee', date: string, category: number, admissionDate?: string): SettlementInput {
  return {
    person: { scheme, identities: [] },
    visit: { kind: 'chronic', level: 2, date, chronicClass: 'B', chronicCategory: category, ...(admissionDate ? { admissionDate } : {}) },
    amounts: { total: 100_000, compliant: 100_000 },
  };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('lhasa-2025: one chronic-disease catalogue of 43 categories for both schemes from 1 September', () => {
  it('has two periods, split on 1 September', () => {
    expect(lhasa.periods.map((p) => [p.from, p.to])).toEqual([
      ['2025-01-01', '2025-08-31'],
      ['2025-09-01', '2025-12-31'],
    ]);
    expect(lhasa.periods[1]!.benefits.resident.chronic.catalogue?.categories).toBe(43);
    expect(lhasa.periods[1]!.benefits.employee!.chronic.catalogue?.categories).toBe(43);
    // only the catalogue changed: the rest carries over from the year's rules
    expect(lhasa.periods[1]!.benefits.resident.chronic.ratio).toBe(lhasa.benefits.resident.chronic.ratio);
  });

  it.each([
    ['resident', 33, 34],
    ['employee', 36, 37],
  ] as const)('%s: before 1 September categories 1–%i, not %i', (scheme, last, first) => {
    expect(settle(lhasa, chronic(scheme, '2025-08-31', last)).funds.basic).toBe(scheme === 'resident' ? 80_000 : 85_000);
    const e = refusal(() => settle(lhasa, chronic(scheme, '2025-08-31', first)));
    expect(e.code).toBe('CHRONIC_NOT_IN_CATALOGUE');
    expect(e.field).toBe('visit.chronicCategory');
    expect(e.message).toContain(`in force from 2025-01-01 (${last} categories)`);
  });

  it.each(['resident', 'employee'] as const)('%s: from 1 September categories 1–43, not 44', (scheme) => {
    const s = settle(lhasa, chronic(scheme, '2025-09-01', 43));
    expect(s.rulesFrom).toBe('2025-09-01');
    expect(s.funds.basic).toBeGreaterThan(0);
    expect(refusal(() => settle(lhasa, chronic(scheme, '2025-09-01', 44))).code).toBe('CHRONIC_NOT_IN_CATALOGUE');
  });

  it('picks the rules by the admission date, as the policy says', () => {
    expect(lhasa.ruleDate).toBe('admission');
    // admitted 30 August, billed 3 September: the August catalogue (33)
    expect(refusal(() => settle(lhasa, chronic('resident', '2025-09-03', 40, '2025-08-30'))).code).toBe('CHRONIC_NOT_IN_CATALOGUE');
    expect(settle(lhasa, chronic('resident', '2025-09-03', 40, '2025-09-01')).rulesFrom).toBe('2025-09-01');
    // no admission date: the bill's own date
    expect(settle(lhasa, chronic('resident', '2025-09-03', 40)).rulesFrom).toBe('2025-09-01');
  });

  it('refuses an admission after the bill\'s date', () => {
    const e = refusal(() => settle(lhasa, chronic('resident', '2025-09-03', 1, '2025-09-04')));
    expect([e.code, e.field]).toEqual(['ADMISSION_AFTER_DISCHARGE', 'visit.admissionDate']);
  });

  it('carries the year\'s accumulators across the change', () => {
    // class B limit 5,000 yuan: 4,000 × 80 % = 3,200 in August; in September 4,000 × 80 % = 3,200 due, 1,800 left
    const august = settle(lhasa, { ...chronic('resident', '2025-08-20', 1), amounts: { total: 400_000, compliant: 400_000 } });
    expect(august.funds.basic).toBe(320_000);
    const september = settle(lhasa, {
      ...chronic('resident', '2025-09-05', 40),
      amounts: { total: 400_000, compliant: 400_000 },
      yearToDate: august.yearToDate,
    });
    expect(september.funds.basic).toBe(180_000);
    expect(september.steps[0]).toMatchObject({ capRemaining: 180_000 });
    expect(september.yearToDate.chronicFund).toBe(500_000);
  });
});

describe('a rule that changes twice in the year (dege-2025 with level-2 inpatient ratio changes)', () => {
  const text = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8');
  const policy = compilePolicy(
    `${text}
changes:
  - from: "2025-07-01"
    benefits: { resident: { inpatient: { levels: { 2: { deductible: 300, ratio: 95% } } } } }
  - from: "2025-10-01"
    to: "2025-12-31"
    benefits: { resident: { outpatient: { yearlyCap: 800 } } }
`,
    'dege-2025.yaml',
  );
  const ratioIn = (date: string): number => (date < '2025-07-01' ? 8_500 : 9_500);

  it('merges each change on top of the rules before it', () => {
    expect(policy.periods.map((p) => [p.from, p.to])).toEqual([
      ['2025-01-01', '2025-06-30'],
      ['2025-07-01', '2025-09-30'],
      ['2025-10-01', '2025-12-31'],
    ]);
    const [, second, third] = policy.periods;
    expect(second!.benefits.resident.inpatient[2]!.ratio).toBe(9_500);
    expect(third!.benefits.resident.inpatient[2]!.ratio).toBe(9_500); // kept from the change before
    expect(third!.benefits.resident.outpatient.yearlyCap).toBe(80_000);
    expect(second!.benefits.resident.outpatient.yearlyCap).toBe(50_000);
  });

  it('on every day of the year, a bill takes the ratio in force that day (discharge date: the default)', () => {
    expect(policy.ruleDate).toBe('discharge');
    const day = fc.integer({ min: 0, max: 364 }).map((n) => addDays('2025-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 30_000, max: 50_000_000 }), fc.option(day, { nil: undefined }), (date, compliant, admitted) => {
        const visit = { kind: 'inpatient' as const, level: 2 as const, date, ...(admitted && admitted <= date ? { admissionDate: admitted } : {}) };
        const s = settle(policy, { person: { scheme: 'resident', identities: [] }, visit, amounts: { total: compliant, compliant } });
        expect(s.steps[0]!.ratio).toBe(ratioIn(date));
        expect(s.rulesFrom <= date).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the boundary days', () => {
    const on = (date: string) =>
      settle(policy, { person: { scheme: 'resident', identities: [] }, visit: { kind: 'inpatient', level: 2, date }, amounts: { total: 1_030_000, compliant: 1_030_000 } });
    expect(on('2025-06-30').funds.basic).toBe(850_000);
    expect(on('2025-07-01').funds.basic).toBe(950_000);
    expect(on('2025-09-30').rulesFrom).toBe('2025-07-01');
    expect(on('2025-10-01').rulesFrom).toBe('2025-10-01');
    expect(on('2025-12-31').rulesFrom).toBe('2025-10-01');
  });

  it('a year settled bill by bill across the changes ends with the accumulators of its bills', () => {
    let ytd: Partial<YearToDate> = {};
    let basic = 0;
    for (const date of ['2025-03-01', '2025-06-30', '2025-07-01', '2025-09-30', '2025-10-01', '2025-12-31']) {
      const s = settle(policy, { person: { scheme: 'resident', identities: [] }, visit: { kind: 'outpatient', level: 1, date }, amounts: { total: 100_000, compliant: 100_000 }, yearToDate: ytd });
      basic += s.funds.basic;
      ytd = s.yearToDate;
    }
    // outpatient 50 %: 500 yuan a bill until the yearly cap (500 yuan through September, 800 from October)
    expect(basic).toBe(80_000);
    expect(ytd.outpatientFund).toBe(80_000);
  });
});
