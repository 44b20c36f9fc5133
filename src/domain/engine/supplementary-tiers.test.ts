/**
 * Supplementary tiers as data (lhasa-2024 fixture, values illustrative like the
 * shipped ones): county mutual-aid insurance (县域互助保险), employee
 * large-amount medical insurance (大额医疗补助), civil-servant subsidy
 * (公务员医疗补助). Every figure worked by hand beside it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from '../../../test/support/policies.ts';
import { compilePolicy } from '../policy/compile.ts';
import type { Policy } from '../policy/types.ts';
import { settle } from './settle.ts';
import { supplementaryByTier } from './types.ts';
import type { Settlement, SettlementInput } from './types.ts';

const lhasa = loadFixturePolicies().get('lhasa-2024')!;

const steps = (s: Settlement) => s.steps.map((x) => [x.rule, x.amount]);
const sum = (s: Settlement) => s.funds.basic + s.funds.critical + s.funds.assistance + s.funds.supplementary + s.funds.tilt;

function bill(over: Partial<SettlementInput> & { compliant: number }): SettlementInput {
  return {
    person: over.person ?? { scheme: 'resident', identities: [] },
    visit: over.visit ?? { kind: 'inpatient', level: 3, date: '2024-03-01' },
    amounts: { total: over.compliant, compliant: over.compliant },
    ...(over.yearToDate ? { yearToDate: over.yearToDate } : {}),
    ...(over.supplementaryYearToDate ? { supplementaryYearToDate: over.supplementaryYearToDate } : {}),
  };
}

describe('county mutual-aid insurance (县域互助保险)', () => {
  // 且增 (seed 001): basic and critical illness had paid what they would; assistance then left
  // 28,800 yuan, and the county mutual-aid insurance paid 1.73万 of it, leaving 1.15万.
  // Here: basic and critical at their yearly caps, monitored (70 %) on 96,000 yuan:
  // assistance 67,200, left 28,800; mutual aid 60 % = 17,280 (≈ 1.73万); the patient 11,520 (≈ 1.15万).
  const qiezeng = bill({
    person: { scheme: 'resident', identities: ['monitored'] },
    compliant: 9_600_000,
    yearToDate: { basic: 20_000_000, criticalBase: 60_000_000, critical: 40_000_000 },
  });

  it('pays after assistance, as in the 且增 case', () => {
    const s = settle(lhasa, qiezeng);
    expect(steps(s)).toEqual([
      ['basic.inpatient', 0],
      ['supplementary.employee_large_amount.not_applicable', 0],
      ['critical.standard', 0],
      ['assistance.ordinary', 6_720_000],
      ['supplementary.county_mutual_aid', 1_728_000],
      ['supplementary.civil_servant_subsidy.not_applicable', 0],
    ]);
    expect(s.funds.supplementary).toBe(1_728_000);
    expect(supplementaryByTier(s)).toEqual({ county_mutual_aid: 1_728_000 });
    expect(s.selfPay).toBe(1_152_000);
    expect(s.yearToDate.supplementary).toBe(1_728_000);
  });

  it('stops at its yearly cap, counted by tier when the caller keeps each tier\'s year', () => {
    // cap 100,000 yuan; 99,000 already paid by this tier → 1,000 yuan left
    const s = settle(lhasa, { ...qiezeng, supplementaryYearToDate: { county_mutual_aid: 9_900_000 } });
    expect(s.steps[4]).toMatchObject({ rule: 'supplementary.county_mutual_aid', amount: 100_000, capRemaining: 100_000 });
    expect(s.selfPay).toBe(2_880_000 - 100_000);
  });

  it('without each tier\'s year, the whole supplementary fund\'s year bounds the cap (never more than the cap)', () => {
    const s = settle(lhasa, { ...qiezeng, yearToDate: { ...qiezeng.yearToDate, supplementary: 9_900_000 } });
    expect(s.funds.supplementary).toBe(100_000);
  });

  it('keeps its own cap when the caller keeps each tier\'s year: another tier\'s payments, or none yet, never use it up', () => {
    // The fund's year holds 99,000 yuan paid by other tiers; this tier has paid nothing (absent from the per-tier year): its whole cap is left.
    const s = settle(lhasa, { ...qiezeng, yearToDate: { ...qiezeng.yearToDate, supplementary: 9_900_000 }, supplementaryYearToDate: { employee_large_amount: 9_900_000 } });
    expect(s.steps[4]).toMatchObject({ rule: 'supplementary.county_mutual_aid', amount: 1_728_000 });
    expect(settle(lhasa, { ...qiezeng, yearToDate: { ...qiezeng.yearToDate, supplementary: 9_900_000 }, supplementaryYearToDate: {} }).funds.supplementary).toBe(1_728_000);
  });

  it('does not apply to an outpatient visit nor to the employee scheme', () => {
    const outpatient = settle(lhasa, bill({ compliant: 100_000, visit: { kind: 'outpatient', level: 1, date: '2024-03-01' } }));
    expect(outpatient.funds.supplementary).toBe(0);
    expect(outpatient.steps[4]).toMatchObject({ rule: 'supplementary.county_mutual_aid.not_applicable', amount: 0 });
    const employee = settle(lhasa, bill({ compliant: 1_000_000, person: { scheme: 'employee', identities: [] } }));
    expect(supplementaryByTier(employee).county_mutual_aid).toBeUndefined();
  });
});

describe('employee large-amount medical insurance (大额医疗补助) and the civil-servant subsidy (公务员医疗补助)', () => {
  // Employee, level 2 (deductible 500, 90 %), 1,000 yuan left under the basic cap of 400,000; compliant 10,500.
  // basic: base 1,000,000 × 90 % = 900,000 due, 100,000 left → 100,000; the cap kept
  //   1,000,000 − 111,112 (= 100,000 / 90 %, rounded up) = 888,888 of the base.
  // large amount: 888,888 × 90 % = 799,999.2 → 799,999; unpaid 1,050,000 − 100,000 − 799,999 = 150,001.
  const employee = (attributes?: 'civil_servant'[]): SettlementInput =>
    bill({
      person: { scheme: 'employee', identities: [], ...(attributes ? { attributes } : {}) },
      visit: { kind: 'inpatient', level: 2, date: '2024-05-01' },
      compliant: 1_050_000,
      yearToDate: { basic: 40_000_000 - 100_000 },
    });

  it('the large-amount insurance takes over what the basic fund\'s cap left', () => {
    const s = settle(lhasa, employee());
    expect(steps(s)).toEqual([
      ['basic.inpatient', 100_000],
      ['supplementary.employee_large_amount', 799_999],
      ['critical.not_applicable', 0],
      ['assistance.not_applicable', 0],
      ['supplementary.county_mutual_aid.not_applicable', 0],
      // no attribute given: existing callers are not civil servants
      ['supplementary.civil_servant_subsidy.not_applicable', 0],
    ]);
    expect(s.steps[1]).toMatchObject({ base: 888_888, ratio: 9_000 });
    expect(s.selfPay).toBe(150_001);
  });

  it('a civil servant also gets the subsidy: 50 % above 1,000 yuan a bill', () => {
    // 150,001 − 100,000 = 50,001 × 50 % = 25,000.5 → 25,001 (half up); the patient 125,000
    const s = settle(lhasa, employee(['civil_servant']));
    expect(s.steps[5]).toMatchObject({ rule: 'supplementary.civil_servant_subsidy', base: 50_001, amount: 25_001, deductible: 100_000 });
    expect(supplementaryByTier(s)).toEqual({ employee_large_amount: 799_999, civil_servant_subsidy: 25_001 });
    expect(s.funds.supplementary).toBe(825_000);
    expect(s.selfPay).toBe(125_000);
    expect(sum(s) + s.selfPay).toBe(s.total);
  });

  it('within the basic cap the large-amount insurance pays nothing', () => {
    const s = settle(lhasa, { ...employee(), yearToDate: {} });
    // basic (1,000,000 × 90 %) = 900,000; nothing above the cap
    expect(s.funds.basic).toBe(900_000);
    expect(s.steps[1]).toMatchObject({ rule: 'supplementary.employee_large_amount', base: 0, amount: 0 });
  });
});

describe('the order is the policy\'s', () => {
  /** haixi-2023 with its tiers listed: tilt before a supplementary insurance. */
  function haixiWith(tiers: string): Policy {
    const text = readFileSync(join(FIXTURE_POLICY_DIR, 'haixi-2023.yaml'), 'utf8').replace('\nmonitoring:', `${tiers}\nmonitoring:`);
    return compilePolicy(text, 'haixi-2023.yaml');
  }
  const supplementary = `
    - { kind: supplementary, id: mutual, label: test, schemes: [resident], visitKinds: [inpatient], ratio: 50%, yearlyCap: none }`;

  const alleviated = bill({
    person: { scheme: 'resident', identities: ['poverty_alleviated'] },
    visit: { kind: 'inpatient', level: 3, date: '2023-06-01' },
    compliant: 1_000_000,
  });

  it('a supplementary tier after tilt pays on what the tilt left', () => {
    const policy = haixiWith(`  tiers:\n    - basic\n    - critical\n    - assistance\n    - tilt${supplementary}`);
    // level 3: basic (1,000,000 − 60,000) × 75 % = 705,000; no critical (below 10,000 yuan), no assistance;
    // tilt to 80 % (poverty_alleviated) = 800,000 − 705,000 = 95,000; mutual 50 % of the 200,000 left = 100,000
    expect(steps(settle(policy, alleviated))).toEqual([
      ['basic.inpatient', 705_000],
      ['critical.standard', 0],
      ['assistance.not_applicable', 0],
      ['tilt.floor', 95_000],
      ['supplementary.mutual', 100_000],
    ]);
  });

  it('listed before tilt, it pays first and the floor is already met', () => {
    const policy = haixiWith(`  tiers:\n    - basic\n    - critical\n    - assistance${supplementary}\n    - tilt`);
    // mutual 50 % of 295,000 = 147,500; paid 852,500 ≥ 80 % → tilt 0
    expect(steps(settle(policy, alleviated))).toEqual([
      ['basic.inpatient', 705_000],
      ['critical.standard', 0],
      ['assistance.not_applicable', 0],
      ['supplementary.mutual', 147_500],
      ['tilt.floor', 0],
    ]);
  });
});
