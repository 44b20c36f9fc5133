/**
 * A year of bills settled in order (what settlement does bill by bill, and what
 * a recomputation of the year must reproduce): properties over generated years.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { CHRONIC_CLASSES, IDENTITIES, type VisitKind } from '../vocabulary.ts';
import { settle } from './settle.ts';
import { settleYear, type YearBill } from './settle-year.ts';
import { supplementaryByTier, YEAR_TO_DATE_FIELDS, type YearToDate } from './types.ts';

const POLICIES = loadFixturePolicies().list();

const yearOf = (year: number, scheme: 'resident' | 'employee') =>
  fc.record({
    identities: fc.array(fc.constantFrom(...IDENTITIES), { maxLength: 2 }),
    attributes: fc.constantFrom([], ['civil_servant' as const]),
    bills: fc.array(
      fc.record({
        kind: fc.constantFrom<VisitKind>('inpatient', 'inpatient', 'outpatient', 'chronic'),
        level: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
        day: fc.integer({ min: 0, max: 364 }),
        compliant: fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 60_000_000 })),
        excluded: fc.integer({ min: 0, max: 500_000 }),
        chronicClass: fc.constantFrom(...CHRONIC_CLASSES),
        majorIllness: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
  }).map(({ identities, attributes, bills }): YearBill[] =>
    bills
      .map((b) => ({ ...b, date: new Date(Date.UTC(year, 0, 1 + Math.min(b.day, 364))).toISOString().slice(0, 10) }))
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((b) => ({
        person: { scheme, identities, attributes },
        visit: { kind: b.kind, level: b.level, date: b.date, majorIllness: b.majorIllness, ...(b.kind === 'chronic' ? { chronicClass: b.chronicClass } : {}) },
        amounts: { total: b.compliant + b.excluded, compliant: b.compliant },
      })),
  );

const aYear = fc
  .constantFrom(...POLICIES)
  .chain((policy) =>
    fc.record({
      policy: fc.constant(policy),
      bills: (policy.benefits.employee ? fc.constantFrom('resident' as const, 'employee' as const) : fc.constant('resident' as const)).chain((scheme) =>
        yearOf(policy.year, scheme),
      ),
    }),
  );

describe('a year of bills in order', () => {
  it('is the bills settled one by one, each with the year the bills before it left', () => {
    fc.assert(
      fc.property(aYear, ({ policy, bills }) => {
        const year = settleYear(policy, bills);
        let ytd: Partial<YearToDate> | undefined;
        const byTier: Record<string, number> = {};
        bills.forEach((bill, i) => {
          const s = settle(policy, { ...bill, yearToDate: ytd, supplementaryYearToDate: { ...byTier } });
          expect(year.settlements[i]).toEqual(s);
          for (const [id, paid] of Object.entries(supplementaryByTier(s))) byTier[id] = (byTier[id] ?? 0) + paid;
          ytd = s.yearToDate;
        });
        expect(year.supplementaryYearToDate).toEqual(byTier);
      }),
      { numRuns: 300 },
    );
  });

  it('ends with accumulators that add up its bills, every fund within its yearly cap', () => {
    fc.assert(
      fc.property(aYear, ({ policy, bills }) => {
        const year = settleYear(policy, bills);
        const total = (f: 'basic' | 'critical' | 'assistance' | 'supplementary' | 'tilt') => year.settlements.reduce((t, s) => t + s.funds[f], 0);
        expect(year.yearToDate.basic).toBe(total('basic'));
        expect(year.yearToDate.critical).toBe(total('critical'));
        expect(year.yearToDate.assistance + year.yearToDate.assistanceMajor).toBe(total('assistance'));
        expect(year.yearToDate.supplementary).toBe(total('supplementary'));
        expect(year.yearToDate.selfPay).toBe(year.settlements.reduce((t, s) => t + s.selfPay, 0));
        expect(Object.keys(year.yearToDate)).toEqual([...YEAR_TO_DATE_FIELDS]);
        const scheme = bills[0]?.person.scheme ?? 'resident';
        const benefits = scheme === 'employee' ? policy.benefits.employee! : policy.benefits.resident;
        expect(year.yearToDate.basic).toBeLessThanOrEqual(benefits.yearlyCap);
        expect(year.yearToDate.assistance).toBeLessThanOrEqual(policy.benefits.assistance.yearlyCap.ordinary);
        expect(year.yearToDate.assistanceMajor).toBeLessThanOrEqual(policy.benefits.assistance.yearlyCap.major);
        // each supplementary tier within its own yearly cap, over the whole year
        for (const period of policy.periods) {
          for (const t of period.benefits.tiers) {
            if (t.kind !== 'supplementary' || t.rule === null || t.rule.yearlyCap === null) continue;
            expect(year.supplementaryYearToDate[t.rule.id] ?? 0, t.rule.id).toBeLessThanOrEqual(t.rule.yearlyCap);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an empty year is the start, every field present', () => {
    const policy = POLICIES[0]!;
    const year = settleYear(policy, [], { yearToDate: { basic: 5 } });
    expect(year.settlements).toEqual([]);
    expect(year.yearToDate).toEqual({ basic: 5, criticalBase: 0, critical: 0, assistance: 0, assistanceMajor: 0, supplementary: 0, tilt: 0, outpatientDeductibleUsed: 0, outpatientFund: 0, chronicFund: 0, selfPay: 0 });
  });
});
