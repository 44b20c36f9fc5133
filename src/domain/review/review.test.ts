import { describe, expect, it } from 'vitest';
import type { ItemRestrictions } from '../catalogue/items.ts';
import { stayDays, type ReviewBill, type ReviewLine } from './facts.ts';
import { reviewBill, reviewPerson } from './review.ts';
import { DEFAULT_RULES, ruleSet } from './rules.ts';

const rules = ruleSet([]);
const none: ItemRestrictions = { diagnoses: [] };
const line = (index: number, code: string, quantity: number, date = '2025-06-01', restrictions: Partial<ItemRestrictions> = {}, unitPrice = 100): ReviewLine => ({
  index, code, date, quantity, unitPrice, compliant: quantity * unitPrice, restrictions: { ...none, ...restrictions },
});
let id = 0;
const bill = (over: Partial<ReviewBill> = {}): ReviewBill => ({
  settlementId: ++id, personId: 1, facilityId: 10, kind: 'inpatient', admission: '2025-06-01', discharge: '2025-06-04', diagnosis: 'J18.900',
  compliant: 10_000, sex: 'M', birthDate: '1980-03-15', lines: [], ...over,
});
const rulesOf = (flags: { rule: string }[]) => flags.map((f) => f.rule);

describe('one-bill rules', () => {
  it('flags every repeated line after the first, for its compliant amount', () => {
    const b = bill({ lines: [line(0, 'X1', 2), line(1, 'X1', 2), line(2, 'X1', 2, '2025-06-02'), line(3, 'X1', 2)] });
    const flags = reviewBill(b, [], rules);
    expect(flags.map((f) => [f.rule, f.lineIndex, f.amount])).toEqual([['duplicate_lines', 1, 200], ['duplicate_lines', 3, 200]]);
  });

  it('counts a stay in days without the discharge day, and flags units beyond max per day × days or per stay', () => {
    expect(stayDays(bill())).toBe(3);
    expect(stayDays(bill({ discharge: '2025-06-01' }))).toBe(1);
    expect(stayDays(bill({ discharge: null, lines: [line(0, 'X', 1, '2025-06-05')] }))).toBe(5);
    const bed = { maxPerDay: 1 };
    expect(reviewBill(bill({ lines: [line(0, 'BED', 3, '2025-06-01', bed)] }), [], rules)).toEqual([]);
    const four = reviewBill(bill({ lines: [line(0, 'BED', 2, '2025-06-01', bed), line(1, 'BED', 2, '2025-06-03', bed)] }), [], rules);
    expect(four.map((f) => [f.rule, f.lineIndex, f.amount])).toEqual([['quantity_beyond_stay', 1, 100]]);
    const stent = reviewBill(bill({ discharge: '2025-06-20', lines: [line(0, 'STENT', 4, '2025-06-02', { maxPerStay: 3 })] }), [], rules);
    expect(stent[0]!.message).toMatch(/4 units where 3 are allowed/);
    const outpatient = reviewBill(bill({ kind: 'outpatient', discharge: null, lines: [line(0, 'PILL', 4, '2025-06-01', { maxPerDay: 6 }), line(1, 'PILL', 5, '2025-06-01', { maxPerDay: 6 })] }), [], rules);
    expect(outpatient.map((f) => [f.rule, f.amount])).toEqual([['quantity_beyond_stay', 300]]);
  });

  it('flags sex and age restrictions on the line date', () => {
    const b = bill({ sex: 'M', birthDate: '2010-06-02', lines: [line(0, 'ESTRADIOL', 1, '2025-06-01', { sex: 'F' }), line(1, 'KIDS', 1, '2025-06-01', { maxAge: 14 }), line(2, 'KIDS', 1, '2025-06-02', { maxAge: 14 })] });
    expect(reviewBill(b, [], rules).map((f) => [f.rule, f.lineIndex])).toEqual([['sex_restriction', 0], ['age_restriction', 2]]);
  });

  it('flags a restricted item without its qualifying diagnosis', () => {
    const insulin = { diagnoses: ['E10-E14'] };
    expect(reviewBill(bill({ diagnosis: 'E11.900', lines: [line(0, 'INS', 1, '2025-06-01', insulin)] }), [], rules)).toEqual([]);
    expect(rulesOf(reviewBill(bill({ diagnosis: 'J18.900', lines: [line(0, 'INS', 1, '2025-06-01', insulin)] }), [], rules))).toEqual(['restricted_diagnosis']);
    expect(rulesOf(reviewBill(bill({ diagnosis: null, lines: [line(0, 'INS', 1, '2025-06-01', insulin)] }), [], rules))).toEqual(['restricted_diagnosis']);
  });

  it('runs only enabled rules', () => {
    const off = ruleSet(DEFAULT_RULES.map((r) => ({ ...r, enabled: r.id !== 'duplicate_lines' })));
    expect(reviewBill(bill({ lines: [line(0, 'X1', 2), line(1, 'X1', 2)] }), [], off)).toEqual([]);
  });
});

describe('rules across bills', () => {
  it('flags a readmission for the same diagnosis within 15 days at the same facility, not later or for another diagnosis', () => {
    const first = bill({ admission: '2025-06-01', discharge: '2025-06-10' });
    const soon = bill({ admission: '2025-06-20', discharge: '2025-06-25', diagnosis: 'J18.000' });
    const late = bill({ admission: '2025-07-20', discharge: '2025-07-25' });
    const other = bill({ admission: '2025-06-12', discharge: '2025-06-14', diagnosis: 'K35.800' });
    const elsewhere = bill({ admission: '2025-06-11', discharge: '2025-06-14', facilityId: 11 });
    const flags = reviewPerson([first, soon, late, other, elsewhere], rules);
    expect(flags.filter((f) => f.rule === 'readmission').map((f) => [f.settlementId, f.relatedSettlementId])).toEqual([[soon.settlementId, first.settlementId]]);
    const anywhere = ruleSet([{ id: 'readmission', enabled: true, params: { sameFacility: false } }]);
    expect(reviewPerson([first, elsewhere], anywhere).filter((f) => f.rule === 'readmission')).toHaveLength(1);
  });

  it('flags two overlapping stays at different facilities, not a same-day transfer', () => {
    const a = bill({ admission: '2025-06-01', discharge: '2025-06-10' });
    const overlap = bill({ admission: '2025-06-05', discharge: '2025-06-08', facilityId: 11, diagnosis: 'K35.800' });
    const transfer = bill({ admission: '2025-06-10', discharge: '2025-06-12', facilityId: 12, diagnosis: 'K35.800' });
    const flags = reviewPerson([a, overlap, transfer], rules).filter((f) => f.rule === 'concurrent_stays');
    expect(flags.map((f) => [f.settlementId, f.relatedSettlementId])).toEqual([[overlap.settlementId, a.settlementId]]);
  });

  it('flags the second outpatient bill of a day at one facility', () => {
    const o = (facilityId: number, admission = '2025-06-01') => bill({ kind: 'outpatient', admission, discharge: null, facilityId });
    const [a, b, c, d] = [o(10), o(10), o(11), o(10, '2025-06-02')];
    expect(reviewPerson([a, b, c, d], rules).map((f) => [f.rule, f.settlementId])).toEqual([['outpatient_splitting', b.settlementId]]);
  });
});
