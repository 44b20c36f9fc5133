import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDrgPolicy } from './drg-policy.ts';
import { formatFactor, parseFactor } from './factor.ts';
import { payDischarge, type PaymentRules } from './payment.ts';
import { baseRate, computeWeights } from './weights.ts';

const trim = { above: 30_000, below: 3_000 };

describe('factors', () => {
  it.each([['1.2345', 12345], ['3', 30000], ['0.3', 3000], [2, 20000], ['1.23456', undefined], ['-1', undefined], ['1e3', undefined], [0.5, undefined]])(
    '%s → %s', (text, value) => expect(parseFactor(text as string)).toBe(value),
  );
  it('prints back', () => expect([12345, 30000, 3000, 10500].map(formatFactor)).toEqual(['1.2345', '3', '0.3', '1.05']));
});

describe('weights from history', () => {
  it('trims outliers against the group mean, then divides by the mean of every kept case', () => {
    // FR15: ten cases of 10,000 and one of 100,000 (beyond 3 × the mean 18,182): trimmed.
    // FC11: two cases of 40,000. Kept: 10 × 10,000 + 2 × 40,000 = 180,000 over 12 → mean 15,000.
    const cases = [...Array(10).fill({ drg: 'FR15', cost: 10_000 }), { drg: 'FR15', cost: 100_000 }, { drg: 'FC11', cost: 40_000 }, { drg: 'FC11', cost: 40_000 }];
    const r = computeWeights(cases, trim);
    expect(r.meanCost).toBe(15_000);
    expect(r.weights).toEqual([
      { drg: 'FC11', weight: 26_667, cases: 2, trimmed: 0, meanCost: 40_000 },
      { drg: 'FR15', weight: 6_667, cases: 11, trimmed: 1, meanCost: 10_000 },
    ]);
  });

  it('keeps the case exactly at the threshold, and refuses history with no cost', () => {
    // mean of [1, 1, 1, 9] = 3; 9 ≤ 3 × 3 is kept
    expect(computeWeights([1, 1, 1, 9].map((cost) => ({ drg: 'A', cost })), trim).weights[0]!.trimmed).toBe(0);
    expect(() => computeWeights([{ drg: 'A', cost: 0 }], trim)).toThrow(/no historical case/);
    expect(() => computeWeights([], trim)).toThrow(/no historical case/);
  });

  it('a base rate is the budget over the expected weights, rounded down; never 0', () => {
    expect(baseRate(100_000_000, 3 * 10_000)).toBe(33_333_333);
    expect(() => baseRate(100, 0)).toThrow(/RATE|rate/);
    expect(() => baseRate(1, 20_000 * 10_000)).toThrow(/rate of 0/);
  });

  it('weights average to one over the kept cases (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ drg: fc.constantFrom('A', 'B', 'C'), cost: fc.integer({ min: 1_000, max: 10_000_000 }) }), { minLength: 1, maxLength: 60 }), (cases) => {
        const r = computeWeights(cases, { above: 1_000_000, below: 0 }); // no trimming
        const sum = r.weights.reduce((s, w) => s + w.weight * (w.cases - w.trimmed), 0);
        // Σ weight × cases ≈ cases × 1.0000, within half a ten-thousandth per group
        expect(Math.abs(sum - r.kept * 10_000)).toBeLessThanOrEqual(r.kept);
      }),
    );
  });
});

describe('payment of a discharge', () => {
  const rules: PaymentRules = { high: { above: 30_000, pay: 'ratio', ratio: 9_000 }, low: { below: 3_000, pay: 'fee_for_service' }, ungroupable: 'fee_for_service' };
  const base = { grouped: true, weight: 12_345, rate: 1_000_000, patientPaid: 300_000 };

  it.each([
    // total, kind, payment, fund, surplus
    [1_000_000, 'standard', 1_234_500, 934_500, 234_500],
    [3_703_500, 'standard', 1_234_500, 934_500, -2_469_000], // exactly 3 × standard: not an outlier
    [4_703_500, 'high_outlier', 1_234_500 + 900_000, 1_834_500, -2_569_000],
    [370_350, 'standard', 1_234_500, 934_500, 864_150], // exactly 0.3 × standard
    [370_349, 'low_outlier', 370_349, 70_349, 0],
  ])('a bill of %i fen is %s, paid %i (fund %i, surplus %i)', (total, kind, payment, fund, surplus) => {
    const p = payDischarge({ ...base, total }, rules);
    expect([p.kind, p.payment, p.fundPayment, p.surplus]).toEqual([kind, payment, fund, surplus]);
    expect(p.standard).toBe(1_234_500);
  });

  it('the fund never pays below 0: the patient’s part stays what it was', () => {
    const p = payDischarge({ ...base, weight: 1_000, total: 150_000, patientPaid: 120_000 }, { ...rules, low: { below: 3_000, pay: 'ratio', ratio: 5_000 } });
    expect(p).toMatchObject({ kind: 'standard', payment: 100_000, fundPayment: 0, surplus: -30_000 });
  });

  it('ungroupable cases and groups without weight follow the policy', () => {
    expect(payDischarge({ ...base, grouped: false, total: 500_000 }, rules)).toMatchObject({ kind: 'ungroupable', payment: 500_000, fundPayment: 200_000, surplus: 0 });
    expect(payDischarge({ ...base, weight: null, total: 500_000 }, { ...rules, ungroupable: 'none' })).toMatchObject({ kind: 'no_weight', payment: 0, fundPayment: 0, surplus: -200_000 });
  });

  it('hospital income = patient + fund, and surplus = income − total (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 5_000_000 }), (total, paidRaw, weight, rate) => {
        const patientPaid = Math.min(total, paidRaw);
        const p = payDischarge({ total, patientPaid, grouped: true, weight, rate }, rules);
        expect(Number.isSafeInteger(p.payment) && p.fundPayment >= 0).toBe(true);
        expect(p.surplus).toBe(patientPaid + p.fundPayment - total);
      }),
    );
  });
});

describe('DRG policy files', () => {
  const good = {
    id: 'x-2023', name: 'x', year: 2023, table: 'illustrative-2025', trim: { above: '3', below: '0.3' },
    outliers: { high: { above: '3', pay: 'ratio', ratio: '0.9' }, low: { below: '0.3', pay: 'fee_for_service' } }, budget: { '3': '1000' },
  };
  it('reads factors and yuan digit by digit', () => {
    const p = compileDrgPolicy(good, 'x');
    expect(p.budget.get(3)).toBe(100_000);
    expect(p.rules.high).toEqual({ above: 30_000, pay: 'ratio', ratio: 9_000 });
  });
  it.each([
    [{ budget: { '3': '0' } }, /budget.3: a budget of 0 is not positive/],
    [{ weights: { FC11: '0' } }, /weights.FC11: weight must be a positive decimal/],
    [{ weights: { FC11: '-1.2' } }, /weights.FC11/],
    [{ trim: { above: '0.2', below: '0.3' } }, /trim.below must be less/],
    [{ outliers: { ...good.outliers, high: { above: '3', pay: 'ratio' } } }, /outliers.high.ratio/],
  ])('refuses %j', (patch, message) => expect(() => compileDrgPolicy({ ...good, ...patch }, 'x')).toThrow(message));
});

describe('DRG policy minCases', () => {
  it('defaults to 1 and refuses 0', () => {
    const good = {
      id: 'x-2023', name: 'x', year: 2023, table: 't', trim: { above: '3', below: '0.3' },
      outliers: { high: { above: '3', pay: 'fee_for_service' }, low: { below: '0.3', pay: 'fee_for_service' } }, budget: { '2': '1' },
    };
    expect(compileDrgPolicy(good, 'x').minCases).toBe(1);
    expect(compileDrgPolicy({ ...good, minCases: 10 }, 'x').minCases).toBe(10);
    expect(() => compileDrgPolicy({ ...good, minCases: 0 }, 'x')).toThrow(/minCases/);
  });
});
