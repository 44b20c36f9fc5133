import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemisedBillStep, MAX_LINE_GROUPS, unverifiedBillStep, type BillFacts, type LineGroup } from './bill-step.ts';
import type { CatalogueItem, ItemClass, ItemRestrictions } from './items.ts';
import { priceBill, type FeeLine } from './pricing.ts';

const item = (code: string, cls: ItemClass, extra: Partial<CatalogueItem> = {}, restrictions: Partial<ItemRestrictions> = {}): CatalogueItem => ({
  region: 'national', code, name: `name of ${code}`, kind: 'western_drug', class: cls, selfPayFirst: { resident: cls === 'B' ? 1_000 : 0, employee: cls === 'B' ? 500 : 0 },
  priceCap: null, unit: '', restrictions: { diagnoses: [], ...restrictions }, validFrom: '2025-01-01', validTo: null, ...extra,
});
const line = (code: string, quantity: number, unitPrice: number, date = '2025-06-01'): FeeLine => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date, department: 'd' });
const facts: BillFacts = { scheme: 'resident', kind: 'inpatient', level: 2, sex: 'M', birthDate: '1960-03-01', diagnosis: 'I10', admission: '2025-06-01', discharge: '2025-06-03' };

function stepOf(entries: [CatalogueItem, FeeLine][], f: BillFacts = facts) {
  const bill = priceBill(entries.map(([, l]) => l), (_l, i) => entries[i]![0], f.scheme);
  return { bill, step: itemisedBillStep(bill, entries.map(([i]) => i), f) };
}

describe('the bill step: how the compliant amount came about', () => {
  it('tells each code at each price once, with its count, class, parts and why the patient pays them', () => {
    const a = item('A1', 'A');
    const b = item('B1', 'B', { priceCap: 3_000 });
    const c = item('C1', 'C');
    const { step } = stepOf([[a, line('A1', 2, 150)], [b, line('B1', 3, 3_500)], [a, line('A1', 1, 150, '2025-06-02')], [c, line('C1', 1, 2_000)]]);
    expect(step).toMatchObject({ fund: 'bill', rule: 'bill.itemised', base: 300 + 10_500 + 150 + 2_000, lineCount: 4 });
    expect(step.groups).toEqual([
      { code: 'A1', name: 'name of A1', class: 'A', lines: 2, first: 0, quantity: 3, unitPrice: 150, amount: 450, aboveCap: 0, excluded: 0, selfPayFirst: 0, compliant: 450, rule: 'line.class_a' },
      // Above the ceiling: (3 500 − 3 000) × 3 = 1 500; class B: 10 % of the 9 000 left first.
      { code: 'B1', name: 'name of B1', class: 'B', lines: 1, first: 1, quantity: 3, unitPrice: 3_500, amount: 10_500, aboveCap: 1_500, excluded: 0, selfPayFirst: 900, compliant: 8_100,
        rule: 'line.class_b.above_cap', priceCap: 3_000, selfPayFirstRatio: 1_000 },
      { code: 'C1', name: 'name of C1', class: 'C', lines: 1, first: 3, quantity: 1, unitPrice: 2_000, amount: 2_000, aboveCap: 0, excluded: 2_000, selfPayFirst: 0, compliant: 0, rule: 'line.class_c' },
    ]);
    expect(step.amount).toBe(450 + 8_100);
    expect(step.others).toBeUndefined();
  });

  it('takes the scheme’s own self-pay-first ratio', () => {
    const { step } = stepOf([[item('B1', 'B'), line('B1', 1, 10_000)]], { ...facts, scheme: 'employee' });
    expect(step.groups![0]).toMatchObject({ selfPayFirst: 500, selfPayFirstRatio: 500, compliant: 9_500 });
  });

  it('names each restriction a line does not meet: hospital level, sex, age, diagnosis, quantity', () => {
    const { step } = stepOf([
      [item('L3', 'A', {}, { minLevel: 3 }), line('L3', 1, 100)],
      [item('F1', 'A', {}, { sex: 'F' }), line('F1', 1, 100)],
      [item('K1', 'A', {}, { maxAge: 14 }), line('K1', 1, 100)],
      [item('D1', 'B', {}, { diagnoses: ['E11'] }), line('D1', 1, 100)],
      [item('Q1', 'A', {}, { maxPerDay: 1 }), line('Q1', 3, 100)],
      [item('Q1', 'A', {}, { maxPerDay: 1 }), line('Q1', 1, 100, '2025-06-02')],
      [item('OK', 'A', {}, { minLevel: 2, sex: 'M', minAge: 18, diagnoses: ['I1'], maxPerStay: 5 }), line('OK', 2, 100)],
    ]);
    const unmet = Object.fromEntries(step.groups!.map((g) => [g.code, g.unmet]));
    expect(unmet).toEqual({
      L3: [{ restriction: 'level', minLevel: 3, level: 2 }],
      F1: [{ restriction: 'sex', sex: 'F' }],
      K1: [{ restriction: 'age', minAge: null, maxAge: 14, age: 65 }],
      D1: [{ restriction: 'diagnosis', diagnoses: ['E11'], diagnosis: 'I10' }],
      // A stay of 2 days (discharge day not counted): 2 allowed, 4 billed — told on every line of the code.
      Q1: [{ restriction: 'quantity', allowed: 2, billed: 4 }],
      OK: undefined,
    });
    // A restriction not met leaves the money as priced (claim review takes it up with the hospital).
    expect(step.groups!.find((g) => g.code === 'L3')).toMatchObject({ compliant: 100 });
  });

  it('stays small for a bill of 500 lines: identical lines told once, at most the bound of groups, the rest summed', () => {
    const entries: [CatalogueItem, FeeLine][] = [];
    for (let i = 0; i < 500; i++) {
      const k = i % 120; // 120 codes, each on several lines
      const cls: ItemClass = k % 20 === 0 ? 'C' : k % 7 === 0 ? 'B' : 'A'; // 6 class C codes, 17 class B
      entries.push([item(`X${k}`, cls), line(`X${k}`, 1 + (i % 4 === 0 ? 1 : 0), 100 + k)]);
    }
    const { bill, step } = stepOf(entries);
    expect(step.lineCount).toBe(500);
    expect(step.groups!.length).toBeLessThanOrEqual(MAX_LINE_GROUPS);
    const listed = step.groups!.reduce((a, g) => a + g.lines, 0);
    expect(listed + step.others!.lines).toBe(500);
    const sum = (f: (g: LineGroup) => number) => step.groups!.reduce((a, g) => a + f(g), 0);
    expect(sum((g) => g.compliant) + step.others!.compliant).toBe(bill.compliant);
    expect(sum((g) => g.amount) + step.others!.amount).toBe(bill.total);
    // Every group the patient pays part of is listed (only fully compliant ones are summed).
    expect(step.others!.amount).toBe(step.others!.compliant);
    expect(step.groups!.filter((g) => g.class === 'C').length).toBe(6);
    expect(step.groups!.filter((g) => g.class === 'B').length).toBe(17);
    expect(JSON.stringify(step).length).toBeLessThan(16_000);
  });

  it('adds up, for any bill: the groups and the rest to the total and the compliant amount', () => {
    const anyLine = fc.record({ code: fc.constantFrom('A', 'B', 'C', 'D', 'E'), quantity: fc.integer({ min: 1, max: 20 }), unitPrice: fc.integer({ min: 1, max: 5_000 }) });
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 200 }), (rows) => {
        const classes: Record<string, ItemClass> = { A: 'A', B: 'B', C: 'C', D: 'B', E: 'A' };
        const { bill, step } = stepOf(rows.map((r) => [item(r.code, classes[r.code]!, { priceCap: r.code === 'E' ? 1_000 : null }), line(r.code, r.quantity, r.unitPrice)]));
        const groups = step.groups!;
        const o = step.others ?? { lines: 0, amount: 0, compliant: 0 };
        expect(groups.reduce((a, g) => a + g.lines, 0) + o.lines).toBe(rows.length);
        expect(groups.reduce((a, g) => a + g.amount, 0) + o.amount).toBe(bill.total);
        expect(groups.reduce((a, g) => a + g.compliant, 0) + o.compliant).toBe(step.amount);
        for (const g of groups) expect(g.aboveCap + g.excluded + g.selfPayFirst + g.compliant).toBe(g.amount);
      }),
    );
  });

  it('says a bill without lines is unverified: the compliant amount as the hospital declared it', () => {
    expect(unverifiedBillStep(10_000, 8_000)).toEqual({ fund: 'bill', rule: 'bill.unverified', base: 10_000, amount: 8_000, note: 'compliant amount as declared by the hospital' });
  });
});
