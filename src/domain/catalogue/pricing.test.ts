import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogueItem, ItemClass } from './items.ts';
import { lineAmountProblem, priceBill, priceLine, type FeeLine } from './pricing.ts';

const item = (cls: ItemClass, selfPayFirst = 0, priceCap: number | null = null, employee = selfPayFirst): CatalogueItem => ({
  region: 'national', code: 'X', name: 'x', kind: 'western_drug', class: cls, selfPayFirst: { resident: selfPayFirst, employee }, priceCap, unit: '',
  restrictions: { diagnoses: [] }, validFrom: '2025-01-01', validTo: null,
});
const line = (quantity: number, unitPrice: number): FeeLine => ({ code: 'X', quantity, unitPrice, amount: quantity * unitPrice, date: '2025-06-01', department: 'd' });

describe('pricing one line', () => {
  it.each([
    // class, self-pay-first bp, ceiling, quantity, unit price → above ceiling, excluded, self-pay first, compliant
    ['A', 0, null, 10, 150, 0, 0, 0, 1_500],
    ['A', 0, 3_000, 3, 3_000, 0, 0, 0, 9_000],
    ['A', 0, 3_000, 3, 3_500, 1_500, 0, 0, 9_000],
    ['B', 1_000, null, 1, 10_000, 0, 0, 1_000, 9_000],
    ['B', 1_000, 3_850, 4, 4_000, 600, 0, 1_540, 13_860],
    ['B', 1_000, null, 1, 5, 0, 0, 1, 4], // 0.5 fen rounds half up
    ['B', 3_333, null, 1, 7, 0, 0, 2, 5],
    ['C', 0, null, 5, 2_000, 0, 10_000, 0, 0],
    ['C', 0, 1_000, 5, 2_000, 5_000, 5_000, 0, 0],
  ] as const)('class %s, %i bp, ceiling %s: %i × %i', (cls, spf, cap, q, p, aboveCap, excluded, selfPayFirst, compliant) => {
    expect(priceLine(item(cls, spf, cap), line(q, p), 0, 'resident')).toMatchObject({ aboveCap, excluded, selfPayFirst, compliant });
  });

  it('takes the scheme’s own self-pay-first ratio', () => {
    const stent = item('B', 3_000, null, 2_000);
    expect(priceLine(stent, line(1, 80_000), 0, 'resident').selfPayFirst).toBe(24_000);
    expect(priceLine(stent, line(1, 80_000), 0, 'employee').selfPayFirst).toBe(16_000);
  });

  it('names an amount that is not quantity × unit price', () => {
    expect(lineAmountProblem({ ...line(3, 100), amount: 301 })).toMatch(/not quantity 3 × unit price 100/);
    expect(lineAmountProblem(line(3, 100))).toBeNull();
  });
});

describe('pricing invariants', () => {
  const anyItem = fc.record({
    cls: fc.constantFrom<ItemClass>('A', 'B', 'C'),
    spf: fc.integer({ min: 0, max: 10_000 }),
    cap: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  });
  const anyLine = fc.record({ quantity: fc.integer({ min: 1, max: 1_000 }), unitPrice: fc.integer({ min: 1, max: 10_000_000 }) });

  it('the parts of a line are whole fen, never negative, and add up to its amount', () => {
    fc.assert(
      fc.property(anyItem, anyLine, (i, l) => {
        const p = priceLine(item(i.cls, i.cls === 'B' ? i.spf : 0, i.cap), line(l.quantity, l.unitPrice), 0, 'resident');
        const parts = [p.aboveCap, p.excluded, p.selfPayFirst, p.compliant];
        expect(parts.every((x) => Number.isSafeInteger(x) && x >= 0)).toBe(true);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(p.amount);
        if (i.cls === 'C') expect(p.compliant).toBe(0);
      }),
    );
  });

  it('a bill’s compliant amount is the sum of its lines’ and never above its total', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyItem, anyLine), { minLength: 1, maxLength: 30 }), (rows) => {
        const lines = rows.map(([, l]) => line(l.quantity, l.unitPrice));
        const bill = priceBill(lines, (_l, k) => item(rows[k]![0].cls, rows[k]![0].cls === 'B' ? rows[k]![0].spf : 0, rows[k]![0].cap), 'resident');
        expect(bill.compliant).toBe(bill.lines.reduce((a, l) => a + l.compliant, 0));
        expect(bill.total).toBe(lines.reduce((a, l) => a + l.amount, 0));
        expect(bill.compliant + bill.aboveCap + bill.excluded + bill.selfPayFirst).toBe(bill.total);
      }),
    );
  });
});
