/**
 * A settle write carries the transaction's COMMIT only when nothing follows it,
 * claim review's flags among them — decided before the bill is written, so before
 * its id is known (mayFlagOnSettle, src/service/claim-review.ts): review runs with
 * an id above every other. That is sound only if a bill no rule flags with that id
 * is flagged by none with any other id: checked here on random bills, histories
 * and rule settings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReviewBill, ReviewLine } from '../src/domain/review/facts.ts';
import { reviewBill } from '../src/domain/review/review.ts';
import { RULE_IDS, ruleSet, type RuleConfig } from '../src/domain/review/rules.ts';

const day = (n: number) => new Date(Date.UTC(2025, 5, 1) + n * 86_400_000).toISOString().slice(0, 10);

const line = (index: number): fc.Arbitrary<ReviewLine> =>
  fc.record({ code: fc.constantFrom('BED', 'PILL', 'XRAY'), d: fc.integer({ min: 0, max: 6 }), quantity: fc.integer({ min: 1, max: 5 }) }).map(({ code, d, quantity }) => ({
    index, code, date: day(d), quantity, unitPrice: 100, compliant: quantity * 100,
    restrictions: { diagnoses: code === 'XRAY' ? ['K35'] : [], ...(code === 'BED' ? { maxPerDay: 1 } : {}), ...(code === 'PILL' ? { sex: 'F' as const } : {}) },
  }));

const bill = (settlementId: number): fc.Arbitrary<ReviewBill> =>
  fc.record({
    facilityId: fc.constantFrom(1, 2),
    kind: fc.constantFrom('inpatient', 'outpatient', 'chronic') as fc.Arbitrary<ReviewBill['kind']>,
    admission: fc.integer({ min: 0, max: 40 }),
    stay: fc.option(fc.integer({ min: 0, max: 12 })),
    diagnosis: fc.constantFrom(null, 'J18.900', 'J18.1', 'K35.8'),
    lines: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i)))),
  }).map((b) => ({
    settlementId, personId: 1, facilityId: b.facilityId, kind: b.kind, admission: day(b.admission),
    discharge: b.stay === null || b.kind !== 'inpatient' ? null : day(b.admission + b.stay), diagnosis: b.diagnosis,
    compliant: 10_000, sex: 'M' as const, birthDate: '1980-03-15', lines: b.lines,
  }));

const rules: fc.Arbitrary<RuleConfig[]> = fc.tuple(
  ...RULE_IDS.map((id) => fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 0, max: 20 }), sameFacility: fc.boolean(), maxPerDay: fc.integer({ min: 1, max: 3 }) })
    .map(({ enabled, ...params }): RuleConfig => ({ id, enabled, params }))),
);

describe('claim review before the bill has its id', () => {
  it('flags a bill with the highest id whenever it flags it with any id', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 6 }).chain((ids) => fc.tuple(...ids.map(bill))),
        fc.integer({ min: 1, max: 80 }),
        bill(0),
        rules,
        (history, id, shape, stored) => {
          const set = ruleSet(stored);
          const others = history.filter((o) => o.settlementId !== id);
          const withId = reviewBill({ ...shape, settlementId: id }, others, set);
          const before = reviewBill({ ...shape, settlementId: Number.MAX_SAFE_INTEGER }, others, set);
          if (withId.length > 0) expect(before.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
