/**
 * Worked examples for every settlement rule of SPEC §3.2–§4, each computed by
 * hand (the arithmetic is in the comment beside it) and asserted to the fen.
 * Unless a test says otherwise: policy lhasa-2025, a resident, no identities,
 * visit on 2025-06-01, total = compliant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { compilePolicy } from '../policy/compile.ts';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import type { Policy } from '../policy/types.ts';
import type { Identity } from '../vocabulary.ts';
import { settle } from './settle.ts';
import type { IdentitySpan, Settlement, SettlementInput, Step, YearToDate } from './types.ts';

const registry = loadFixturePolicies();
const policy = (id: string): Policy => registry.get(id)!;

interface Case {
  policy?: string;
  scheme?: 'resident' | 'employee';
  identities?: (Identity | IdentitySpan)[];
  status?: 'in_service' | 'retired';
  kind?: 'inpatient' | 'outpatient' | 'chronic';
  level?: 0 | 1 | 2 | 3;
  chronicClass?: 'A' | 'B';
  date?: string;
  outOfArea?: boolean;
  filed?: boolean;
  majorIllness?: boolean;
  compliant: number;
  total?: number;
  ytd?: Partial<YearToDate>;
  balance?: number;
}

function input(c: Case): SettlementInput {
  const p = policy(c.policy ?? 'lhasa-2025');
  return {
    person: {
      scheme: c.scheme ?? 'resident',
      identities: c.identities ?? [],
      ...(c.status ? { status: c.status } : {}),
      ...(c.balance !== undefined ? { personalAccountBalance: c.balance } : {}),
    },
    visit: {
      kind: c.kind ?? 'inpatient',
      level: c.level ?? 2,
      date: c.date ?? `${p.year}-06-01`,
      outOfArea: c.outOfArea ?? false,
      filed: c.filed ?? false,
      majorIllness: c.majorIllness ?? false,
      ...(c.chronicClass ? { chronicClass: c.chronicClass } : {}),
    },
    amounts: { total: c.total ?? c.compliant, compliant: c.compliant },
    ...(c.ytd ? { yearToDate: c.ytd } : {}),
  };
}

function run(c: Case): Settlement {
  const s = settle(policy(c.policy ?? 'lhasa-2025'), input(c));
  // The invariant of SPEC §5 holds in every example.
  const f = s.funds;
  expect(f.basic + f.critical + f.assistance + f.supplementary + f.tilt + s.selfPay).toBe(s.total);
  expect(s.selfPayCompliant + s.selfPayExcluded).toBe(s.selfPay);
  return s;
}

const step = (s: Settlement, fund: Step['fund']): Step => s.steps.find((x) => x.fund === fund)!;

/** The funds and the patient's parts in one object, for one exact comparison. */
const breakdown = (s: Settlement) => ({ ...s.funds, selfPayCompliant: s.selfPayCompliant, selfPay: s.selfPay });
const funds = (
  basic: number,
  critical: number,
  assistance: number,
  tilt: number,
  selfPayCompliant: number,
  selfPay = selfPayCompliant,
) => ({ basic, critical, assistance, supplementary: 0, tilt, selfPayCompliant, selfPay });

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('SPEC §5 example', () => {
  it('lhasa-2025, minimum_living, inpatient level 2, total 112,110, compliant 98,000 yuan', () => {
    // basic: deductible 300 yuan = 30,000; (9,800,000 − 30,000) × 85 % = 9,770,000 × 0.85 = 8,304,500
    // left 9,800,000 − 8,304,500 = 1,495,500; minimum_living is tilted: threshold 5,000 yuan = 500,000,
    // first band 60 + 5 = 65 %: (1,495,500 − 500,000) × 65 % = 995,500 × 0.65 = 647,075
    // left 848,425; assistance minimum_living 80 %: 678,740; left 169,685
    // excluded 11,211,000 − 9,800,000 = 1,411,000; selfPay 169,685 + 1,411,000 = 1,580,685
    const s = run({ identities: ['minimum_living'], compliant: 9_800_000, total: 11_211_000 });
    expect(breakdown(s)).toEqual(funds(8_304_500, 647_075, 678_740, 0, 169_685, 1_580_685));
    expect(s.selfPayExcluded).toBe(1_411_000);
    expect(s.steps.map((x) => [x.fund, x.rule, x.base, x.amount])).toEqual([
      ['basic', 'basic.inpatient', 9_770_000, 8_304_500],
      ['critical', 'critical.tilted', 1_495_500, 647_075],
      ['assistance', 'assistance.ordinary', 848_425, 678_740],
      ['supplementary', 'supplementary.not_applicable', 0, 0],
      ['tilt', 'tilt.not_applicable', 0, 0],
    ]);
    expect(step(s, 'basic')).toMatchObject({ ratio: 8_500, deductible: 30_000 });
    expect(step(s, 'critical')).toMatchObject({ identity: 'minimum_living', accumulated: { before: 0, after: 1_495_500, threshold: 500_000 } });
    expect(step(s, 'assistance')).toMatchObject({ ratio: 8_000, identity: 'minimum_living' });
    expect(s.alerts).toEqual([]); // 15,806.85 yuan is below every threshold
    expect(s.aboveCap).toBe(0);
    expect(s.yearToDate).toEqual({
      basic: 8_304_500,
      criticalBase: 1_495_500,
      critical: 647_075,
      assistance: 678_740,
      assistanceMajor: 0,
      supplementary: 0,
      tilt: 0,
      outpatientDeductibleUsed: 0,
      outpatientFund: 0,
      chronicFund: 0,
      selfPay: 1_580_685,
    });
  });
});

describe('basic fund, resident inpatient (deductible 100/300/600 yuan; 90/85/75 %)', () => {
  it('level 1: (1,000,000 − 10,000) × 90 % = 891,000', () => {
    // left 109,000 is below the critical threshold (1,000,000): no critical; excluded 200,000
    const s = run({ level: 1, compliant: 1_000_000, total: 1_200_000 });
    expect(breakdown(s)).toEqual(funds(891_000, 0, 0, 0, 109_000, 309_000));
    expect(step(s, 'basic')).toMatchObject({ base: 990_000, deductible: 10_000, ratio: 9_000, rule: 'basic.inpatient' });
  });

  it('level 2: (1,000,000 − 30,000) × 85 % = 824,500', () => {
    const s = run({ level: 2, compliant: 1_000_000 });
    expect(breakdown(s)).toEqual(funds(824_500, 0, 0, 0, 175_500));
    expect(step(s, 'basic')).toMatchObject({ base: 970_000, deductible: 30_000, ratio: 8_500 });
  });

  it('level 3: (1,000,000 − 60,000) × 75 % = 705,000', () => {
    const s = run({ level: 3, compliant: 1_000_000 });
    expect(breakdown(s)).toEqual(funds(705_000, 0, 0, 0, 295_000));
    expect(step(s, 'basic')).toMatchObject({ base: 940_000, deductible: 60_000, ratio: 7_500 });
  });

  it('level 0 (village clinic) settles under the level-1 rule: 891,000', () => {
    const s = run({ level: 0, compliant: 1_000_000 });
    expect(s.funds.basic).toBe(891_000);
    expect(step(s, 'basic')).toMatchObject({ deductible: 10_000, ratio: 9_000 });
  });

  it('a bill below the deductible: the fund pays nothing, the deductible is the bill', () => {
    const s = run({ level: 2, compliant: 5_000 });
    expect(breakdown(s)).toEqual(funds(0, 0, 0, 0, 5_000));
    expect(step(s, 'basic')).toMatchObject({ base: 0, deductible: 5_000 });
  });

  it.each([
    [2, 30_001, 1, '1 × 0.85 = 0.85 → 1'],
    [2, 30_003, 3, '3 × 0.85 = 2.55 → 3'],
    [3, 60_002, 2, '2 × 0.75 = 1.5 → 2 (half-up)'],
    [3, 60_006, 5, '6 × 0.75 = 4.5 → 5 (half-up, not to even)'],
    [1, 10_005, 5, '5 × 0.9 = 4.5 → 5'],
    [1, 10_001, 1, '1 × 0.9 = 0.9 → 1'],
  ] as const)('level %i, compliant %i: basic %i (%s)', (level, compliant, basic, _why) => {
    expect(run({ level, compliant }).funds.basic).toBe(basic);
  });

  it('the yearly basic cap (200,000 yuan = 20,000,000) binds: 100,000 left of 891,000 due', () => {
    // left 900,000; critical base 900,000 < threshold 1,000,000 → 0
    const s = run({ level: 1, compliant: 1_000_000, ytd: { basic: 19_900_000 } });
    expect(breakdown(s)).toEqual(funds(100_000, 0, 0, 0, 900_000));
    expect(step(s, 'basic').capRemaining).toBe(100_000);
    expect(s.yearToDate.basic).toBe(20_000_000);
  });

  it('once the basic cap is reached the fund pays nothing (also when ytd is above it)', () => {
    for (const basic of [20_000_000, 20_500_000]) {
      const s = run({ level: 1, compliant: 100_000, ytd: { basic } });
      expect(s.funds.basic).toBe(0);
      expect(step(s, 'basic').capRemaining).toBe(0);
      expect(s.yearToDate.basic).toBe(basic);
    }
  });
});

describe('basic fund, resident outpatient (no deductible; 50/40/30 %; yearly cap 500 yuan)', () => {
  it.each([
    [0, 10_000, '20,000 × 50 % (level 0 as level 1)'],
    [1, 10_000, '20,000 × 50 %'],
    [2, 8_000, '20,000 × 40 %'],
    [3, 6_000, '20,000 × 30 %'],
  ] as const)('level %i pays %i (%s)', (level, basic, _why) => {
    const s = run({ kind: 'outpatient', level, compliant: 20_000, total: 25_000 });
    // selfPay = 20,000 − basic + 5,000 excluded
    expect(breakdown(s)).toEqual(funds(basic, 0, 0, 0, 20_000 - basic, 25_000 - basic));
    expect(step(s, 'basic')).toMatchObject({ rule: 'basic.outpatient', deductible: 0, base: 20_000 });
    expect(s.yearToDate.outpatientFund).toBe(basic);
  });

  it('the yearly cap of 50,000 fen: 45,000 used → 5,000 of 10,000 due', () => {
    const s = run({ kind: 'outpatient', level: 1, compliant: 20_000, ytd: { outpatientFund: 45_000 } });
    expect(breakdown(s)).toEqual(funds(5_000, 0, 0, 0, 15_000));
    expect(step(s, 'basic').capRemaining).toBe(5_000);
    expect(s.yearToDate.outpatientFund).toBe(50_000);
  });

  it('three bills of 40,000 at level 1 pay 20,000, 20,000, then the last 10,000 under the cap', () => {
    let ytd: Partial<YearToDate> = {};
    const paid: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = run({ kind: 'outpatient', level: 1, compliant: 40_000, ytd });
      paid.push(s.funds.basic);
      ytd = s.yearToDate;
    }
    expect(paid).toEqual([20_000, 20_000, 10_000, 0]);
    expect(ytd.outpatientFund).toBe(50_000);
  });

  it('gets the basic fund only: no critical illness, no assistance, even for extreme_poverty', () => {
    const s = run({ kind: 'outpatient', level: 1, compliant: 20_000, identities: ['extreme_poverty'], ytd: { criticalBase: 5_000_000 } });
    expect(breakdown(s)).toEqual(funds(10_000, 0, 0, 0, 10_000));
    expect(step(s, 'critical').rule).toBe('critical.not_applicable');
    expect(step(s, 'assistance').rule).toBe('assistance.not_applicable');
    expect(s.yearToDate.criticalBase).toBe(5_000_000); // outpatient costs do not enter the critical base
  });
});

describe('basic fund, chronic outpatient (no deductible; 80 % resident, 85 % employee; A 50,000 / B 5,000 yuan)', () => {
  it('class B, resident: 300,000 × 80 % = 240,000', () => {
    const s = run({ kind: 'chronic', chronicClass: 'B', level: 2, compliant: 300_000 });
    // left 60,000; critical base 60,000 < threshold → 0
    expect(breakdown(s)).toEqual(funds(240_000, 0, 0, 0, 60_000));
    expect(step(s, 'basic')).toMatchObject({ rule: 'basic.chronic', ratio: 8_000, deductible: 0, base: 300_000 });
    expect(s.yearToDate.chronicFund).toBe(240_000);
  });

  it('class B limit 500,000 fen: 400,000 used → 100,000 of 240,000 due', () => {
    const s = run({ kind: 'chronic', chronicClass: 'B', compliant: 300_000, ytd: { chronicFund: 400_000 } });
    expect(breakdown(s)).toEqual(funds(100_000, 0, 0, 0, 200_000));
    expect(step(s, 'basic').capRemaining).toBe(100_000);
    expect(s.yearToDate.chronicFund).toBe(500_000);
  });

  it('class A limit 5,000,000 fen: 4,500,000 used → 500,000 of 800,000 due', () => {
    const s = run({ kind: 'chronic', chronicClass: 'A', compliant: 1_000_000, ytd: { chronicFund: 4_500_000 } });
    // left 500,000 < critical threshold
    expect(breakdown(s)).toEqual(funds(500_000, 0, 0, 0, 500_000));
  });

  it('class A with the same 400,000 used is not limited: 300,000 × 80 % = 240,000', () => {
    expect(run({ kind: 'chronic', chronicClass: 'A', compliant: 300_000, ytd: { chronicFund: 400_000 } }).funds.basic).toBe(240_000);
  });

  it('employee: 1,000,000 × 85 % = 850,000, and no critical illness', () => {
    const s = run({ scheme: 'employee', kind: 'chronic', chronicClass: 'A', compliant: 1_000_000, ytd: { criticalBase: 20_000_000 } });
    expect(breakdown(s)).toEqual(funds(850_000, 0, 0, 0, 150_000));
    expect(step(s, 'basic').ratio).toBe(8_500);
    expect(step(s, 'critical').rule).toBe('critical.not_applicable');
  });

  it('chronic visits get critical illness and assistance: minimum_living, class A 1,000,000', () => {
    // basic 800,000; left 200,000; tilted critical: 200,000 < 500,000 → 0; assistance 80 % × 200,000 = 160,000
    const s = run({ kind: 'chronic', chronicClass: 'A', compliant: 1_000_000, identities: ['minimum_living'] });
    expect(breakdown(s)).toEqual(funds(800_000, 0, 160_000, 0, 40_000));
    expect(step(s, 'critical').rule).toBe('critical.tilted');
    expect(s.yearToDate.criticalBase).toBe(200_000);
  });

  it('a chronic visit crossing the critical threshold: base 1,500,000 → (1,500,000 − 1,000,000) × 60 % = 300,000', () => {
    // ytd criticalBase 1,300,000; class A 1,000,000: basic 800,000; left 200,000 → after 1,500,000
    // f(1,500,000) − f(1,300,000) = 300,000 − 180,000 = 120,000
    const s = run({ kind: 'chronic', chronicClass: 'A', compliant: 1_000_000, ytd: { criticalBase: 1_300_000, critical: 180_000 } });
    expect(breakdown(s)).toEqual(funds(800_000, 120_000, 0, 0, 80_000));
  });
});

describe('basic fund, employee inpatient (deductible 300/500/800 yuan; 92/90/85 %; yearly cap 400,000)', () => {
  it.each([
    [1, 1_812_400, 30_000, '(2,000,000 − 30,000) × 92 % = 1,970,000 × 0.92'],
    [0, 1_812_400, 30_000, 'level 0 as level 1'],
    [2, 1_755_000, 50_000, '(2,000,000 − 50,000) × 90 % = 1,950,000 × 0.9'],
    [3, 1_632_000, 80_000, '(2,000,000 − 80,000) × 85 % = 1,920,000 × 0.85'],
  ] as const)('level %i: %i (deductible %i; %s)', (level, basic, deductible, _why) => {
    const s = run({ scheme: 'employee', level, compliant: 2_000_000 });
    expect(breakdown(s)).toEqual(funds(basic, 0, 0, 0, 2_000_000 - basic));
    expect(step(s, 'basic').deductible).toBe(deductible);
  });

  it('the employee cap 40,000,000 binds, and the employee scheme has no critical illness', () => {
    // (50,000,000 − 80,000) × 85 % = 42,432,000 > 40,000,000 → 40,000,000; left 10,000,000, all to the patient
    const s = run({ scheme: 'employee', level: 3, compliant: 50_000_000 });
    expect(breakdown(s)).toEqual(funds(40_000_000, 0, 0, 0, 10_000_000));
    expect(step(s, 'basic').capRemaining).toBe(40_000_000);
    expect(step(s, 'critical')).toEqual({ fund: 'critical', base: 0, rule: 'critical.not_applicable', amount: 0 });
  });

  it('an employee with minimum_living still gets assistance: 145,000 × 80 % = 116,000', () => {
    // (1,000,000 − 50,000) × 90 % = 855,000; left 145,000; no critical; assistance 116,000; left 29,000
    const s = run({ scheme: 'employee', level: 2, compliant: 1_000_000, identities: ['minimum_living'] });
    expect(breakdown(s)).toEqual(funds(855_000, 0, 116_000, 0, 29_000));
  });
});

describe('employee outpatient pooling (deductible 200 in service / 140 retired a year; cap 5,000 yuan)', () => {
  it.each([
    ['in_service', 1, 24_000, 20_000, '(50,000 − 20,000) × 80 %'],
    ['in_service', 0, 24_000, 20_000, 'level 0 as level 1'],
    ['in_service', 2, 21_000, 20_000, '30,000 × 70 %'],
    ['in_service', 3, 18_000, 20_000, '30,000 × 60 %'],
    ['retired', 1, 32_400, 14_000, '(50,000 − 14,000) × 90 %'],
    ['retired', 2, 28_800, 14_000, '36,000 × 80 %'],
    ['retired', 3, 25_200, 14_000, '36,000 × 70 %'],
  ] as const)('%s, level %i: %i (deductible %i; %s)', (status, level, basic, deductible, _why) => {
    const s = run({ scheme: 'employee', status, kind: 'outpatient', level, compliant: 50_000 });
    expect(breakdown(s)).toEqual(funds(basic, 0, 0, 0, 50_000 - basic));
    expect(step(s, 'basic')).toMatchObject({ deductible, base: 50_000 - deductible });
    expect(s.yearToDate.outpatientDeductibleUsed).toBe(deductible);
  });

  it('without a status the person counts as in service', () => {
    expect(run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 50_000 }).funds.basic).toBe(24_000);
  });

  it('the yearly deductible is consumed across bills through yearToDate', () => {
    // bill 1: 15,000 all deductible → fund 0, used 15,000
    const first = run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 15_000 });
    expect(first.funds.basic).toBe(0);
    expect(step(first, 'basic').deductible).toBe(15_000);
    expect(first.yearToDate.outpatientDeductibleUsed).toBe(15_000);
    // bill 2: 5,000 deductible left; (50,000 − 5,000) × 80 % = 36,000
    const second = run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 50_000, ytd: first.yearToDate });
    expect(second.funds.basic).toBe(36_000);
    expect(step(second, 'basic').deductible).toBe(5_000);
    expect(second.yearToDate.outpatientDeductibleUsed).toBe(20_000);
    // bill 3: nothing left to deduct: 50,000 × 80 % = 40,000
    const third = run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 50_000, ytd: second.yearToDate });
    expect(third.funds.basic).toBe(40_000);
    expect(step(third, 'basic').deductible).toBe(0);
    expect(third.yearToDate.outpatientFund).toBe(76_000);
  });

  it('the retired deductible is 14,000: 10,000 used → 4,000 more', () => {
    // (50,000 − 4,000) × 90 % = 41,400
    const s = run({ scheme: 'employee', status: 'retired', kind: 'outpatient', level: 1, compliant: 50_000, ytd: { outpatientDeductibleUsed: 10_000 } });
    expect(s.funds.basic).toBe(41_400);
    expect(s.yearToDate.outpatientDeductibleUsed).toBe(14_000);
  });

  it('the yearly cap 500,000: 490,000 used → 10,000 of 40,000 due', () => {
    const s = run({
      scheme: 'employee',
      kind: 'outpatient',
      level: 1,
      compliant: 50_000,
      ytd: { outpatientFund: 490_000, outpatientDeductibleUsed: 20_000 },
    });
    expect(breakdown(s)).toEqual(funds(10_000, 0, 0, 0, 40_000));
    expect(step(s, 'basic').capRemaining).toBe(10_000);
    expect(s.yearToDate.outpatientFund).toBe(500_000);
  });
});

describe('out of area (basic ratio only): filed −5 points, not filed −20 points', () => {
  it('filed: (1,000,000 − 30,000) × (85 − 5) % = 776,000', () => {
    const s = run({ level: 2, compliant: 1_000_000, outOfArea: true, filed: true });
    expect(breakdown(s)).toEqual(funds(776_000, 0, 0, 0, 224_000));
    expect(step(s, 'basic').ratio).toBe(8_000);
    expect(step(s, 'basic').note).toMatch(/out of area, filed.*5 points/);
  });

  it('not filed: 970,000 × (85 − 20) % = 630,500', () => {
    const s = run({ level: 2, compliant: 1_000_000, outOfArea: true, filed: false });
    expect(breakdown(s)).toEqual(funds(630_500, 0, 0, 0, 369_500));
    expect(step(s, 'basic').ratio).toBe(6_500);
    expect(step(s, 'basic').note).toMatch(/not filed.*20 points/);
  });

  it('a filing without leaving the area changes nothing: 824,500', () => {
    const s = run({ level: 2, compliant: 1_000_000, outOfArea: false, filed: true });
    expect(s.funds.basic).toBe(824_500);
    expect(step(s, 'basic').note).toBeUndefined();
  });

  it('the critical tier keeps its own ratios on the larger remainder', () => {
    // (5,000,000 − 30,000) × 65 % = 3,230,500; left 1,769,500
    // critical (standard, not lowered): (1,769,500 − 1,000,000) × 60 % = 461,700; left 1,307,800
    const s = run({ level: 2, compliant: 5_000_000, outOfArea: true });
    expect(breakdown(s)).toEqual(funds(3_230_500, 461_700, 0, 0, 1_307_800));
  });

  it('applies to every visit kind: resident outpatient 50 − 20 = 30 %; employee retired outpatient 90 − 5 = 85 %', () => {
    expect(run({ kind: 'outpatient', level: 1, compliant: 20_000, outOfArea: true }).funds.basic).toBe(6_000);
    // (50,000 − 14,000) × 85 % = 30,600
    const s = run({ scheme: 'employee', status: 'retired', kind: 'outpatient', level: 1, compliant: 50_000, outOfArea: true, filed: true });
    expect(s.funds.basic).toBe(30_600);
    // chronic class B: 300,000 × (80 − 20) % = 180,000
    expect(run({ kind: 'chronic', chronicClass: 'B', compliant: 300_000, outOfArea: true }).funds.basic).toBe(180_000);
  });
});

describe('critical illness: f(after) − f(before) on the year\'s base (threshold 10,000 yuan; 60/70/80 %; cap 400,000)', () => {
  it('across a band boundary in one bill', () => {
    // basic (10,000,000 − 30,000) × 85 % = 8,474,500; left 1,525,500
    // before 4,000,000, after 5,525,500: 1,000,000 × 60 % + 525,500 × 70 % = 600,000 + 367,850 = 967,850
    const s = run({ level: 2, compliant: 10_000_000, ytd: { criticalBase: 4_000_000, critical: 1_800_000 } });
    expect(breakdown(s)).toEqual(funds(8_474_500, 967_850, 0, 0, 557_650));
    expect(step(s, 'critical')).toMatchObject({
      rule: 'critical.standard',
      base: 1_525_500,
      accumulated: { before: 4_000_000, after: 5_525_500, threshold: 1_000_000 },
    });
    expect(s.yearToDate.criticalBase).toBe(5_525_500);
    expect(s.yearToDate.critical).toBe(1_800_000 + 967_850);
  });

  it('across several bills, all three bands, with the basic cap reached on the way', () => {
    const bills = [10_000_000, 10_000_000, 10_000_000, 1_000_000];
    const results: Settlement[] = [];
    let ytd: Partial<YearToDate> = {};
    for (const compliant of bills) {
      const s = run({ level: 2, compliant, ytd });
      results.push(s);
      ytd = s.yearToDate;
    }
    // bill 1: basic 8,474,500; left 1,525,500; base 0 → 1,525,500: 525,500 × 60 % = 315,300
    // bill 2: basic 8,474,500; left 1,525,500; base → 3,051,000: f = 2,051,000 × 60 % = 1,230,600; pays 915,300
    // bill 3: basic cap 20,000,000 − 16,949,000 = 3,051,000 left; left 6,949,000; base → 10,000,000:
    //         f = 4,000,000 × 60 % + 5,000,000 × 70 % = 2,400,000 + 3,500,000 = 5,900,000; pays 4,669,400
    // bill 4: basic 0 (cap reached); base → 11,000,000: f = 5,900,000 + 1,000,000 × 80 % = 6,700,000; pays 800,000
    expect(results.map((s) => s.funds.basic)).toEqual([8_474_500, 8_474_500, 3_051_000, 0]);
    expect(results.map((s) => s.funds.critical)).toEqual([315_300, 915_300, 4_669_400, 800_000]);
    expect(results.map((s) => s.selfPayCompliant)).toEqual([1_210_200, 610_200, 2_279_600, 200_000]);
    expect(ytd.criticalBase).toBe(11_000_000);
    expect(ytd.critical).toBe(6_700_000);
    expect(ytd.basic).toBe(20_000_000);
    expect(step(results[2]!, 'basic').capRemaining).toBe(3_051_000);
    expect(step(results[3]!, 'basic').capRemaining).toBe(0);
  });

  it('nothing below the threshold, exactly at it, and 60 % of the first fen above it', () => {
    // with the basic cap used up, the whole compliant cost is the critical base
    const full = { basic: 20_000_000 };
    expect(run({ compliant: 1_000_000, ytd: full }).funds.critical).toBe(0);
    expect(run({ compliant: 1_000_001, ytd: full }).funds.critical).toBe(1); // 0.6 → 1
    expect(run({ compliant: 1_000_002, ytd: full }).funds.critical).toBe(1); // 1.2 → 1
    expect(run({ compliant: 1_000_003, ytd: full }).funds.critical).toBe(2); // 1.8 → 2
  });

  it('rounds once on the year\'s total, so the bills of a year add up to f(year)', () => {
    // three bills of base 1,000,001 → f(3,000,003) = 2,000,003 × 0.6 = 1,200,001.8 → 1,200,002
    let ytd: Partial<YearToDate> = { basic: 20_000_000 };
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const s = run({ compliant: 1_000_001, ytd });
      total += s.funds.critical;
      ytd = s.yearToDate;
    }
    expect(total).toBe(1_200_002);
  });

  it('the yearly cap 40,000,000 binds', () => {
    // before 50,000,000: f = 5,900,000 + 40,000,000 × 80 % = 37,900,000
    // after 55,000,000: 5,900,000 + 45,000,000 × 80 % = 41,900,000 → capped 40,000,000; pays 2,100,000
    const s = run({ compliant: 5_000_000, ytd: { basic: 20_000_000, criticalBase: 50_000_000, critical: 37_900_000 } });
    expect(breakdown(s)).toEqual(funds(0, 2_100_000, 0, 0, 2_900_000));
    expect(s.yearToDate.critical).toBe(40_000_000);
    // the next bill gets nothing more
    const next = run({ compliant: 5_000_000, ytd: s.yearToDate });
    expect(next.funds.critical).toBe(0);
    expect(next.yearToDate.critical).toBe(40_000_000);
  });

  it('the cap also holds against the year\'s payments as recorded', () => {
    // f(55,000,000) − f(50,000,000) = 2,100,000 due, but 39,000,000 already paid → 1,000,000
    const s = run({ compliant: 5_000_000, ytd: { basic: 20_000_000, criticalBase: 50_000_000, critical: 39_000_000 } });
    expect(s.funds.critical).toBe(1_000_000);
    expect(step(s, 'critical').capRemaining).toBe(1_000_000);
    expect(s.yearToDate.critical).toBe(40_000_000);
  });
});

describe('tilted critical illness (extreme_poverty, minimum_living, returned_to_poverty): threshold 5,000, +5 points, no cap', () => {
  it('pays from 5,000 yuan where the standard schedule pays nothing', () => {
    // base 800,000: standard 0 (< 1,000,000); tilted (800,000 − 500,000) × 65 % = 195,000
    const full = { basic: 20_000_000 };
    expect(run({ compliant: 800_000, ytd: full }).funds.critical).toBe(0);
    // returned_to_poverty: then assistance 70 % × (800,000 − 195,000) = 423,500; left 181,500
    const s = run({ compliant: 800_000, ytd: full, identities: ['returned_to_poverty'] });
    expect(breakdown(s)).toEqual(funds(0, 195_000, 423_500, 0, 181_500));
    expect(step(s, 'critical')).toMatchObject({ rule: 'critical.tilted', identity: 'returned_to_poverty' });
  });

  it('monitored is not a tilted identity: the standard schedule applies', () => {
    const s = run({ compliant: 800_000, ytd: { basic: 20_000_000 }, identities: ['monitored'] });
    expect(s.funds.critical).toBe(0);
    expect(step(s, 'critical').rule).toBe('critical.standard');
  });

  it('bands at 65 / 75 / 85 % across boundaries', () => {
    // before 4,500,000, after 10,500,000 (basic capped, base = compliant 6,000,000):
    // 500,000 × 65 % + 5,000,000 × 75 % + 500,000 × 85 % = 325,000 + 3,750,000 + 425,000 = 4,500,000
    // left 1,500,000; extreme_poverty assistance 100 % → 1,500,000; left 0
    const s = run({ compliant: 6_000_000, identities: ['extreme_poverty'], ytd: { basic: 20_000_000, criticalBase: 4_500_000 } });
    expect(breakdown(s)).toEqual(funds(0, 4_500_000, 1_500_000, 0, 0));
  });

  it('has no yearly cap: it pays past 40,000,000', () => {
    // before 60,000,000: g = 4,500,000 × 65 % + 5,000,000 × 75 % + 50,000,000 × 85 %
    //                      = 2,925,000 + 3,750,000 + 42,500,000 = 49,175,000 (above the standard cap)
    // bill 1,000,000 → 850,000; left 150,000; minimum_living assistance 80 % = 120,000; left 30,000
    const s = run({
      compliant: 1_000_000,
      identities: ['minimum_living'],
      ytd: { basic: 20_000_000, criticalBase: 60_000_000, critical: 49_175_000 },
    });
    expect(breakdown(s)).toEqual(funds(0, 850_000, 120_000, 0, 30_000));
    expect(step(s, 'critical').capRemaining).toBeUndefined();
    expect(s.yearToDate.critical).toBe(50_025_000);
  });

  it('dege-2025 tilts the same way', () => {
    const s = run({ policy: 'dege-2025', compliant: 800_000, ytd: { basic: 20_000_000 }, identities: ['extreme_poverty'] });
    // 195,000 tilted critical; extreme_poverty assistance 100 % of 605,000
    expect(breakdown(s)).toEqual(funds(0, 195_000, 605_000, 0, 0));
  });
});

describe('assistance: the best ratio among the person\'s identities, never a sum', () => {
  // level 2, compliant 1,000,000: basic 824,500; left 175,500; critical 0 (below both thresholds)
  it.each<[Identity[], number, number, string | null]>([
    [['minimum_living'], 140_400, 35_100, 'minimum_living'], // 175,500 × 80 %
    [['monitored', 'minimum_living'], 140_400, 35_100, 'minimum_living'], // 80 % beats 70 %, not 150 %
    [['minimum_living', 'monitored'], 140_400, 35_100, 'minimum_living'],
    [['extreme_poverty', 'minimum_living', 'border_resident'], 175_500, 0, 'extreme_poverty'], // 100 %
    [['monitored'], 122_850, 52_650, 'monitored'], // × 70 %
    [['returned_to_poverty'], 122_850, 52_650, 'returned_to_poverty'],
    [['sudden_hardship'], 122_850, 52_650, 'sudden_hardship'],
    [['border_resident'], 157_950, 17_550, 'border_resident'], // × 90 % (Tibet)
    [['border_resident', 'minimum_living'], 157_950, 17_550, 'border_resident'],
    [['poverty_alleviated'], 0, 175_500, null], // no assistance ratio
    [['low_income_margin', 'severe_disability', 'special_care'], 0, 175_500, null],
    [[], 0, 175_500, null],
  ])('%j → %i', (identities, assistance, selfPay, identity) => {
    const s = run({ level: 2, compliant: 1_000_000, identities });
    expect(breakdown(s)).toEqual(funds(824_500, 0, assistance, 0, selfPay));
    if (identity === null) expect(step(s, 'assistance')).toEqual({ fund: 'assistance', base: 0, rule: 'assistance.not_applicable', amount: 0 });
    else expect(step(s, 'assistance')).toMatchObject({ identity, base: 175_500, rule: 'assistance.ordinary' });
  });

  it('the ordinary cap (150,000 yuan): 14,900,000 used → 100,000 of 175,500; 75,500 above the cap', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: ['extreme_poverty'], ytd: { assistance: 14_900_000 } });
    expect(breakdown(s)).toEqual(funds(824_500, 0, 100_000, 0, 75_500));
    expect(s.aboveCap).toBe(75_500);
    expect(step(s, 'assistance').capRemaining).toBe(100_000);
    expect(step(s, 'assistance').note).toContain('一事一议');
    expect(s.yearToDate.assistance).toBe(15_000_000);
  });

  it('a major illness counts against its own cap (300,000 yuan), apart from the ordinary one', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: ['extreme_poverty'], majorIllness: true, ytd: { assistance: 14_900_000 } });
    expect(breakdown(s)).toEqual(funds(824_500, 0, 175_500, 0, 0));
    expect(step(s, 'assistance').rule).toBe('assistance.major');
    expect(s.aboveCap).toBe(0);
    expect(s.yearToDate.assistance).toBe(14_900_000);
    expect(s.yearToDate.assistanceMajor).toBe(175_500);
  });

  it('the major cap: 29,950,000 used → 50,000 of 175,500; 125,500 above the cap', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: ['extreme_poverty'], majorIllness: true, ytd: { assistanceMajor: 29_950_000 } });
    expect(breakdown(s)).toEqual(funds(824_500, 0, 50_000, 0, 125_500));
    expect(s.aboveCap).toBe(125_500);
    expect(s.yearToDate.assistanceMajor).toBe(30_000_000);
  });

  it('with aboveCap "none" in the policy nothing is reported above the cap', () => {
    const source = registryText('lhasa-2025').replace('id: lhasa-2025', 'id: nocap-2025').replace('aboveCap: case_by_case', 'aboveCap: none');
    const nocap = compilePolicy(source, 'x/nocap-2025.yaml');
    const s = settle(nocap, input({ level: 2, compliant: 1_000_000, identities: ['extreme_poverty'], ytd: { assistance: 14_900_000 } }));
    expect(s.funds.assistance).toBe(100_000);
    expect(s.aboveCap).toBe(0);
    expect(step(s, 'assistance').note).toBeUndefined();
  });

  it('border_resident (Tibet): 90 % of what basic and critical leave, on a large bill', () => {
    // basic 8,474,500; left 1,525,500; critical standard 315,300; left 1,210,200
    // assistance 1,210,200 × 90 % = 1,089,180; left 121,020; + 1,000,000 excluded
    const s = run({ level: 2, compliant: 10_000_000, total: 11_000_000, identities: ['border_resident'] });
    expect(breakdown(s)).toEqual(funds(8_474_500, 315_300, 1_089_180, 0, 121_020, 1_121_020));
  });

  it('dege-2025 has no border rule: the same border_resident gets no assistance', () => {
    const s = run({ policy: 'dege-2025', level: 2, compliant: 10_000_000, total: 11_000_000, identities: ['border_resident'] });
    expect(breakdown(s)).toEqual(funds(8_474_500, 315_300, 0, 0, 1_210_200, 2_210_200));
    expect(step(s, 'assistance').rule).toBe('assistance.not_applicable');
  });
});

describe('Haixi tilt (haixi-2023, inpatient): funds topped up to 90 % / 80 % of compliant cost', () => {
  const haixi = { policy: 'haixi-2023', level: 3 as const };

  it('poverty_alleviated (80 %, no assistance): 800,000 − 705,000 = 95,000', () => {
    // basic (1,000,000 − 60,000) × 75 % = 705,000; left 295,000; critical 0; assistance none
    const s = run({ ...haixi, compliant: 1_000_000, identities: ['poverty_alleviated'] });
    expect(breakdown(s)).toEqual(funds(705_000, 0, 0, 95_000, 200_000));
    expect(step(s, 'tilt')).toEqual({ fund: 'tilt', base: 1_000_000, rule: 'tilt.floor', amount: 95_000, ratio: 8_000, identity: 'poverty_alleviated' });
    expect(s.yearToDate.tilt).toBe(95_000);
  });

  it('monitored (90 %) on a small bill: 90,000 − 79,000 = 11,000', () => {
    // basic (100,000 − 60,000) × 75 % = 30,000; left 70,000; assistance 70 % = 49,000; paid 79,000
    const s = run({ ...haixi, compliant: 100_000, identities: ['monitored'] });
    expect(breakdown(s)).toEqual(funds(30_000, 0, 49_000, 11_000, 10_000));
  });

  it('the floor is rounded half-up: 100,005 × 90 % = 90,004.5 → 90,005', () => {
    // basic 40,005 × 75 % = 30,003.75 → 30,004; left 70,001; assistance 70 % = 49,000.7 → 49,001
    // paid 79,005; tilt 90,005 − 79,005 = 11,000; left 10,000
    const s = run({ ...haixi, compliant: 100_005, identities: ['monitored'] });
    expect(breakdown(s)).toEqual(funds(30_004, 0, 49_001, 11_000, 10_000));
  });

  it('no top-up when the funds already reach the floor: minimum_living 94.1 %', () => {
    // basic 705,000; left 295,000; tilted critical 0 (< 500,000); assistance 80 % = 236,000; paid 941,000 ≥ 900,000
    const s = run({ ...haixi, compliant: 1_000_000, identities: ['minimum_living'] });
    expect(breakdown(s)).toEqual(funds(705_000, 0, 236_000, 0, 59_000));
    expect(step(s, 'tilt')).toMatchObject({ rule: 'tilt.floor', amount: 0 });
  });

  it('tops up what the assistance cap withheld: minimum_living at the cap → 195,000', () => {
    // assistance 0 (cap used), aboveCap 236,000; paid 705,000; tilt 900,000 − 705,000 = 195,000
    const s = run({ ...haixi, compliant: 1_000_000, identities: ['minimum_living'], ytd: { assistance: 15_000_000 } });
    expect(breakdown(s)).toEqual(funds(705_000, 0, 0, 195_000, 100_000));
    expect(s.aboveCap).toBe(236_000);
  });

  it('the best floor among identities: poverty_alleviated + monitored → 90 %', () => {
    // basic 705,000; monitored assistance 70 % × 295,000 = 206,500; paid 911,500 ≥ 900,000 → 0
    // with the assistance cap used: paid 705,000 → tilt 195,000 (90 %, not 80 %)
    const s = run({ ...haixi, compliant: 1_000_000, identities: ['poverty_alleviated', 'monitored'], ytd: { assistance: 15_000_000 } });
    expect(s.funds.tilt).toBe(195_000);
    expect(step(s, 'tilt')).toMatchObject({ ratio: 9_000, identity: 'monitored' });
  });

  it('inpatient only: an outpatient visit is not topped up', () => {
    const s = run({ ...haixi, kind: 'outpatient', level: 1, compliant: 20_000, identities: ['poverty_alleviated'] });
    expect(breakdown(s)).toEqual(funds(10_000, 0, 0, 0, 10_000));
    expect(step(s, 'tilt').rule).toBe('tilt.not_applicable');
  });

  it('Lhasa has no tilt', () => {
    const s = run({ level: 3, compliant: 1_000_000, identities: ['poverty_alleviated'] });
    expect(breakdown(s)).toEqual(funds(705_000, 0, 0, 0, 295_000));
  });
});

describe('identities with validity spans (身份存续期间)', () => {
  // level 2, compliant 1,000,000: basic 824,500; left 175,500; minimum_living assistance 140,400
  it.each<[string, IdentitySpan, boolean]>([
    ['ended before the visit', { identity: 'minimum_living', to: '2025-05-31' }, false],
    ['starts after the visit', { identity: 'minimum_living', from: '2025-06-02' }, false],
    ['starts on the visit date (inclusive)', { identity: 'minimum_living', from: '2025-06-01' }, true],
    ['ends on the visit date (inclusive)', { identity: 'minimum_living', from: '2025-01-01', to: '2025-06-01' }, true],
    ['open at both ends', { identity: 'minimum_living', from: null, to: null }, true],
  ])('%s', (_, span, applies) => {
    const s = run({ level: 2, compliant: 1_000_000, identities: [span] });
    expect(s.funds.assistance).toBe(applies ? 140_400 : 0);
    expect(s.identities).toEqual(applies ? ['minimum_living'] : []);
  });

  it('an expired extreme_poverty span does not beat a current monitored identity', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: [{ identity: 'extreme_poverty', to: '2025-03-31' }, 'monitored'] });
    expect(s.funds.assistance).toBe(122_850); // 70 %, not 100 %
    expect(s.identities).toEqual(['monitored']);
  });

  it('an identity listed twice counts once', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: ['monitored', { identity: 'monitored', from: '2025-01-01' }] });
    expect(s.identities).toEqual(['monitored']);
  });
});

describe('monitoring alerts: yearly self-pay crossing a threshold with this bill', () => {
  // level 2, compliant 1,000,000, no identities: selfPay 175,500
  it('crossing 31,358 yuan (3,135,800 fen) → becoming_poor → civil_affairs + county_bureau', () => {
    const s = run({ level: 2, compliant: 1_000_000, ytd: { selfPay: 3_000_000 } });
    // 3,000,000 + 175,500 = 3,175,500 > 3,135,800
    expect(s.alerts).toEqual([
      {
        threshold: 'region_income',
        label: 'region per-capita disposable income 2024',
        amount: 3_135_800,
        yearlySelfPay: 3_175_500,
        risk: 'becoming_poor',
        departments: ['civil_affairs', 'county_bureau'],
      },
    ]);
    expect(s.yearToDate.selfPay).toBe(3_175_500);
  });

  it('from exactly at the threshold to above it → alert', () => {
    expect(run({ level: 2, compliant: 1_000_000, ytd: { selfPay: 3_135_800 } }).alerts.map((a) => a.threshold)).toEqual(['region_income']);
  });

  it('already above the threshold → no alert', () => {
    expect(run({ level: 2, compliant: 1_000_000, ytd: { selfPay: 3_135_801 } }).alerts).toEqual([]);
  });

  it('ending exactly at the threshold → no alert (not above it)', () => {
    // 2,960,300 + 175,500 = 3,135,800
    const s = run({ level: 2, compliant: 1_000_000, ytd: { selfPay: 2_960_300 } });
    expect(s.yearToDate.selfPay).toBe(3_135_800);
    expect(s.alerts).toEqual([]);
  });

  it('poverty_alleviated crossing 12,500 yuan → falling_back → rural_revitalization + county_bureau', () => {
    // 1,200,000 + 175,500 = 1,375,500 > 1,250,000
    const s = run({ level: 2, compliant: 1_000_000, identities: ['poverty_alleviated'], ytd: { selfPay: 1_200_000 } });
    expect(s.alerts).toEqual([
      {
        threshold: 'alleviated_half_rural',
        label: '50% of Lhasa rural per-capita disposable income 2024',
        amount: 1_250_000,
        yearlySelfPay: 1_375_500,
        risk: 'falling_back',
        departments: ['rural_revitalization', 'county_bureau'],
      },
    ]);
  });

  it('the 12,500 threshold is for poverty_alleviated only', () => {
    expect(run({ level: 2, compliant: 1_000_000, identities: ['severe_disability'], ytd: { selfPay: 1_200_000 } }).alerts).toEqual([]);
  });

  it('an expired poverty_alleviated span does not raise the 12,500 alert', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: [{ identity: 'poverty_alleviated', to: '2025-01-31' }], ytd: { selfPay: 1_200_000 } });
    expect(s.alerts).toEqual([]);
  });

  it('one bill crossing both thresholds raises both, in the policy\'s order', () => {
    // selfPay 175,500 + 2,000,000 excluded = 2,175,500; 1,000,000 → 3,175,500
    const s = run({ level: 2, compliant: 1_000_000, total: 3_000_000, identities: ['poverty_alleviated'], ytd: { selfPay: 1_000_000 } });
    expect(s.alerts.map((a) => [a.threshold, a.yearlySelfPay, a.risk])).toEqual([
      ['region_income', 3_175_500, 'falling_back'],
      ['alleviated_half_rural', 3_175_500, 'falling_back'],
    ]);
  });

  it('a monitored person is at risk of falling back', () => {
    // monitored: assistance 122,850; selfPay 52,650; 3,100,000 → 3,152,650
    const s = run({ level: 2, compliant: 1_000_000, identities: ['monitored'], ytd: { selfPay: 3_100_000 } });
    expect(s.alerts.map((a) => [a.threshold, a.risk, a.departments])).toEqual([['region_income', 'falling_back', ['rural_revitalization', 'county_bureau']]]);
  });

  it('the excluded (non-compliant) part counts as self-pay', () => {
    const s = run({ level: 2, compliant: 0, total: 200_000, ytd: { selfPay: 3_000_000 } });
    expect(s.selfPay).toBe(200_000);
    expect(s.alerts.map((a) => a.yearlySelfPay)).toEqual([3_200_000]);
  });

  it('a bill with no self-pay raises nothing', () => {
    const s = run({ level: 2, compliant: 1_000_000, identities: ['extreme_poverty'], ytd: { selfPay: 3_135_800 } });
    expect(s.selfPay).toBe(0);
    expect(s.alerts).toEqual([]);
  });

  it('each policy has its own lines: haixi-2023 at 27,000 yuan', () => {
    const s = run({ policy: 'haixi-2023', level: 2, compliant: 1_000_000, ytd: { selfPay: 2_600_000 } });
    expect(s.alerts.map((a) => [a.threshold, a.amount])).toEqual([['region_income', 2_700_000]]);
  });
});

describe('personal account (employee): how the patient\'s part is paid', () => {
  // employee outpatient level 1, compliant 50,000, total 60,000: basic (50,000 − 20,000) × 80 % = 24,000
  // selfPay 26,000 + 10,000 = 36,000
  it.each([
    [20_000, 20_000, 16_000],
    [100_000, 36_000, 0],
    [36_000, 36_000, 0],
    [0, 0, 36_000],
  ])('balance %i → account %i, cash %i', (balance, personalAccount, cash) => {
    const s = run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 50_000, total: 60_000, balance });
    expect(s.selfPay).toBe(36_000);
    expect(s.payment).toEqual({ personalAccount, cash });
  });

  it('without a balance there is no payment split', () => {
    expect(run({ scheme: 'employee', kind: 'outpatient', level: 1, compliant: 50_000 }).payment).toBeUndefined();
  });
});

describe('errors', () => {
  const lhasa = policy('lhasa-2025');

  it.each(['2024-12-31', '2026-01-01', '2019-06-01'])('a visit on %s is outside lhasa-2025 → DATE_OUTSIDE_POLICY', (date) => {
    const e = domainError(() => settle(lhasa, input({ compliant: 1_000, date })));
    expect(e.code).toBe('DATE_OUTSIDE_POLICY');
    expect(e.field).toBe('visit.date');
    expect(e.message).toContain(date);
  });

  it('the first and the last day of the year are inside', () => {
    expect(run({ compliant: 1_000, date: '2025-01-01' }).policy).toBe('lhasa-2025');
    expect(run({ compliant: 1_000, date: '2025-12-31' }).policy).toBe('lhasa-2025');
  });

  it('compliant above total → COMPLIANT_ABOVE_TOTAL', () => {
    const e = domainError(() => settle(lhasa, input({ compliant: 1_001, total: 1_000 })));
    expect(e.code).toBe('COMPLIANT_ABOVE_TOTAL');
    expect(e.field).toBe('amounts.compliant');
  });

  it.each(['dege-2025', 'haixi-2023'])('an employee on %s → SCHEME_NOT_COVERED', (id) => {
    const e = domainError(() => settle(policy(id), input({ policy: id, scheme: 'employee', compliant: 1_000 })));
    expect(e.code).toBe('SCHEME_NOT_COVERED');
    expect(e.field).toBe('person.scheme');
  });

  it('a chronic visit without its class → CHRONIC_CLASS_REQUIRED', () => {
    const e = domainError(() => settle(lhasa, input({ kind: 'chronic', compliant: 1_000 })));
    expect(e.code).toBe('CHRONIC_CLASS_REQUIRED');
    expect(e.field).toBe('visit.chronicClass');
  });

  it.each([
    [-1, 'amounts.compliant'],
    [0.5, 'amounts.compliant'],
    [Number.NaN, 'amounts.compliant'],
  ])('compliant %s → INVALID_AMOUNT', (compliant, field) => {
    const e = domainError(() => settle(lhasa, input({ compliant, total: 1_000 })));
    expect(e.code).toBe('INVALID_AMOUNT');
    expect(e.field).toBe(field);
  });

  it('a negative total → INVALID_AMOUNT', () => {
    expect(domainError(() => settle(lhasa, input({ compliant: 0, total: -5 }))).field).toBe('amounts.total');
  });

  it('a hospital level outside 0..3 → INVALID_LEVEL', () => {
    const bad = input({ compliant: 1_000 });
    const e = domainError(() => settle(lhasa, { ...bad, visit: { ...bad.visit, level: 4 as 3 } }));
    expect(e.code).toBe('INVALID_LEVEL');
  });
});

function registryText(id: string): string {
  return readFileSync(policy(id).source, 'utf8');
}
