import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRatio, formatPercent, formatYuan, FULL, isFen, MAX_FEN, MoneyError, parsePercent, parseYuan } from './money.ts';

describe('parseYuan: yuan (decimal string or whole number) → integer fen, digit by digit', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    [0, 0],
    ['1', 100],
    [1, 100],
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['0.99', 99],
    ['707.5', 70_750], // Lhasa fiscal subsidy per person
    ['707.50', 70_750],
    ['380', 38_000],
    [380, 38_000],
    ['31358', 3_135_800], // region per-capita disposable income, the monitoring line
    ['150000', 15_000_000], // ordinary assistance cap
    [150_000, 15_000_000],
    ['400000', 40_000_000],
    ['12.34', 1_234],
    ['007', 700],
    [' 12.3 ', 1_230], // surrounding blanks are trimmed
    ['999999999.99', 99_999_999_999], // the largest value the pattern admits, below MAX_FEN
    [999_999_999, 99_999_999_900],
  ])('%j → %i fen', (input, fen) => {
    expect(parseYuan(input)).toBe(fen);
  });

  it.each<[string | number]>([
    ['707.555'], // three decimals
    ['0.001'],
    ['-1'], // signs
    ['+1'],
    ['1e3'], // exponents
    ['1,000'], // separators
    ['1 000'],
    [''],
    [' '],
    ['.5'],
    ['5.'],
    ['abc'],
    ['0x10'],
    ['１２'], // full-width digits
    ['1000000000'], // ten digits: above the largest accepted amount
    [707.5], // a float: must be written as the string "707.5"
    [0.1],
    [-1],
    [-0.5],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [2 ** 53], // not a safe integer
    [10_000_000_000], // a safe integer, but too many digits
  ])('rejects %j with a MoneyError', (input) => {
    expect(() => parseYuan(input)).toThrow(MoneyError);
  });

  it('names the bad input in its message', () => {
    expect(() => parseYuan(707.5)).toThrow(/707\.5.*"707\.50"/);
    expect(() => parseYuan('12.345')).toThrow('"12.345" is not a yuan amount');
  });
});

describe('parsePercent: "92.5%" or 90 → basis points', () => {
  it.each<[string | number, number]>([
    ['0%', 0],
    [0, 0],
    ['0.01%', 1],
    ['0.1%', 10],
    ['5%', 500],
    ['5.05%', 505],
    ['50%', 5_000],
    ['70%', 7_000],
    ['75%', 7_500],
    ['80%', 8_000],
    ['85%', 8_500],
    ['90%', 9_000],
    [90, 9_000],
    ['90', 9_000],
    ['92%', 9_200],
    ['92.5%', 9_250],
    ['92.25%', 9_225],
    ['92.25 %', 9_225],
    [' 60% ', 6_000],
    ['100%', 10_000],
    [100, 10_000],
  ])('%j → %i bp', (input, bp) => {
    expect(parsePercent(input)).toBe(bp);
  });

  it.each<[string | number]>([
    ['120%'], // above 100 %
    ['100.01%'],
    [101],
    [120],
    ['1000%'],
    ['-5%'],
    ['+5%'],
    ['92.555%'],
    ['%'],
    [''],
    ['ninety'],
    [92.5], // a float
    [-1],
    [Number.NaN],
  ])('rejects %j with a MoneyError', (input) => {
    expect(() => parsePercent(input)).toThrow(MoneyError);
  });

  it('reads "0.9" as 0.9 percent (90 bp), not as a fraction', () => {
    expect(parsePercent('0.9')).toBe(90);
  });

  it('names the problem', () => {
    expect(() => parsePercent('120%')).toThrow('120% is above 100%');
    expect(() => parsePercent('ninety')).toThrow('"ninety" is not a percentage');
  });
});

describe('applyRatio: amount × bp / 10000, rounded half-up to the fen', () => {
  it.each<[number, number, number, string]>([
    [0, 10_000, 0, 'nothing'],
    [12_345, 10_000, 12_345, '100 %'],
    [12_345, 0, 0, '0 %'],
    [100, 5_000, 50, 'exact'],
    [1, 5_000, 1, '0.5 → 1 (half-up)'],
    [3, 5_000, 2, '1.5 → 2'],
    [5, 1_000, 1, '0.5 → 1'],
    [25, 1_000, 3, '2.5 → 3 (half-up, not to even)'],
    [35, 1_000, 4, '3.5 → 4'],
    [6, 7_500, 5, '4.5 → 5 (half-up, not to even)'],
    [2, 7_500, 2, '1.5 → 2'],
    [1, 4_999, 0, '0.4999 → 0'],
    [1, 5_001, 1, '0.5001 → 1'],
    [15, 3_333, 5, '4.9995 → 5'],
    [15, 3_330, 5, '4.995 → 5'],
    [15, 3_300, 5, '4.95 → 5'],
    [15, 3_000, 5, '4.5 → 5'],
    [15, 2_900, 4, '4.35 → 4'],
    [9_770_000, 8_500, 8_304_500, 'SPEC §5 basic: 97,700 yuan × 85 %'],
    [995_500, 6_500, 647_075, 'SPEC §5 critical: 9,955 yuan × 65 %'],
    [848_425, 8_000, 678_740, 'SPEC §5 assistance: 8,484.25 yuan × 80 %'],
    [1, 9_999, 1, '0.9999 → 1'],
    [MAX_FEN, 10_000, MAX_FEN, 'the largest amount at 100 %'],
    // 99,999,999,999 × 9,999 = 999,899,999,990,001; + 5,000 = 999,899,999,995,001; / 10,000 → 99,989,999,999.5001 → floor
    [MAX_FEN - 1, 9_999, 99_989_999_999, 'the largest products stay exact'],
  ])('%i × %i bp = %i (%s)', (amount, ratio, expected) => {
    expect(applyRatio(amount, ratio)).toBe(expected);
  });

  it('agrees with exact integer arithmetic (BigInt) on every amount and ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), fc.integer({ min: 0, max: FULL }), (amount, ratio) => {
        const exact = (BigInt(amount) * BigInt(ratio) * 2n + 10_000n) / 20_000n; // floor(x + 1/2)
        expect(applyRatio(amount, ratio)).toBe(Number(exact));
      }),
      { numRuns: 2_000 },
    );
  });

  it('never pays more than the amount, and is monotone in the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN - 1 }), fc.integer({ min: 0, max: FULL }), (amount, ratio) => {
        const paid = applyRatio(amount, ratio);
        expect(paid).toBeLessThanOrEqual(amount);
        const next = applyRatio(amount + 1, ratio);
        expect(next - paid).toBeGreaterThanOrEqual(0);
        expect(next - paid).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('formatYuan: fen → yuan with two decimals and thousands separators', () => {
  it.each<[number, string]>([
    [0, '0.00'],
    [1, '0.01'],
    [5, '0.05'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [70_750, '707.50'],
    [38_000, '380.00'],
    [123_456, '1,234.56'],
    [1_234_567, '12,345.67'],
    [3_135_800, '31,358.00'],
    [100_000_000, '1,000,000.00'],
    [99_999_999_999, '999,999,999.99'],
    [-1_234, '-12.34'],
    [-5, '-0.05'],
  ])('%i fen → "%s"', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('round-trips through parseYuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (fen) => {
        expect(parseYuan(formatYuan(fen).replaceAll(',', ''))).toBe(fen);
      }),
    );
  });
});

describe('formatPercent: basis points → "92.5%"', () => {
  it.each<[number, string]>([
    [0, '0%'],
    [1, '0.01%'],
    [10, '0.1%'],
    [500, '5%'],
    [505, '5.05%'],
    [550, '5.5%'],
    [8_550, '85.5%'],
    [9_000, '90%'],
    [9_225, '92.25%'],
    [9_250, '92.5%'],
    [10_000, '100%'],
  ])('%i bp → "%s"', (bp, text) => {
    expect(formatPercent(bp)).toBe(text);
  });

  it('round-trips through parsePercent for every ratio from 0 to 100 %', () => {
    for (let bp = 0; bp <= FULL; bp++) expect(parsePercent(formatPercent(bp))).toBe(bp);
  });
});

describe('isFen', () => {
  it.each<[unknown, boolean]>([
    [0, true],
    [1, true],
    [MAX_FEN, true],
    [MAX_FEN + 1, false],
    [-1, false],
    [0.5, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['100', false],
    [null, false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isFen(value)).toBe(expected);
  });
});
