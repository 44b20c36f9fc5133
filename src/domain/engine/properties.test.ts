/**
 * Properties of the settlement engine over generated cases: every reference
 * policy, visit kind, hospital level, identity (plain and with validity spans),
 * employment status, out-of-area state and year-to-date state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRatio } from '../money.ts';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import type { Policy } from '../policy/types.ts';
import { CHRONIC_CLASSES, IDENTITIES, type Identity, type VisitKind } from '../vocabulary.ts';
import { criticalCumulative } from './critical.ts';
import { identitiesOn } from './identities.ts';
import { rulesFor, settle } from './settle.ts';
import { supplementaryByTier } from './types.ts';
import type { IdentitySpan, Settlement, SettlementInput, YearToDate } from './types.ts';
import { YEAR_TO_DATE_FIELDS } from './types.ts';

const registry = loadFixturePolicies();
const POLICIES = registry.list();
const RUNS = { numRuns: 1_000 };

interface Case {
  policy: Policy;
  input: SettlementInput;
}

const dateIn = (year: number) =>
  fc
    .record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
    .map(({ month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

const identityEntry = (year: number): fc.Arbitrary<Identity | IdentitySpan> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...IDENTITIES) },
    {
      weight: 1,
      arbitrary: fc.record({
        identity: fc.constantFrom(...IDENTITIES),
        from: fc.option(dateIn(year), { nil: null }),
        to: fc.option(dateIn(year), { nil: undefined }),
      }),
    },
  );

/** compliant ≤ total, spread over small, medium and very large bills. */
const amounts = fc
  .oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 80_000_000 }))
  .chain((total) => fc.record({ total: fc.constant(total), compliant: fc.integer({ min: 0, max: total }) }));

/** A year so far that starts within every yearly cap of the policy and scheme. */
function yearToDate(policy: Policy, scheme: 'resident' | 'employee'): fc.Arbitrary<Partial<YearToDate> | undefined> {
  const b = scheme === 'employee' ? policy.benefits.employee! : policy.benefits.resident;
  const cap = (n: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max: n }), fc.constant(n));
  return fc.option(
    fc.record(
      {
        basic: cap(b.yearlyCap),
        criticalBase: fc.integer({ min: 0, max: 80_000_000 }),
        critical: cap(policy.benefits.critical.standard.yearlyCap ?? 40_000_000),
        assistance: cap(policy.benefits.assistance.yearlyCap.ordinary),
        assistanceMajor: cap(policy.benefits.assistance.yearlyCap.major),
        outpatientDeductibleUsed: cap(b.outpatient.yearlyDeductible.in_service),
        outpatientFund: cap(b.outpatient.yearlyCap),
        chronicFund: cap(b.chronic.classLimits.B),
        selfPay: fc.integer({ min: 0, max: 5_000_000 }),
        tilt: fc.integer({ min: 0, max: 1_000_000 }),
        supplementary: fc.integer({ min: 0, max: 20_000_000 }),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  );
}

/** Each supplementary tier's year so far, within its cap, when the caller keeps them. */
function supplementaryYearToDate(policy: Policy): fc.Arbitrary<Partial<Record<string, number>> | undefined> {
  const entries: Record<string, fc.Arbitrary<number>> = {};
  for (const period of policy.periods) {
    for (const t of period.benefits.tiers) {
      if (t.kind === 'supplementary' && t.rule) entries[t.rule.id] = fc.integer({ min: 0, max: t.rule.yearlyCap ?? 10_000_000 });
    }
  }
  return fc.option(fc.record(entries, { requiredKeys: [] }), { nil: undefined });
}

const caseFor = (policy: Policy): fc.Arbitrary<Case> =>
  fc
    .record({
      scheme: policy.benefits.employee ? fc.constantFrom('resident' as const, 'employee' as const) : fc.constant('resident' as const),
      kind: fc.constantFrom<VisitKind>('inpatient', 'outpatient', 'chronic'),
    })
    .chain(({ scheme, kind }) =>
      fc.record({
        policy: fc.constant(policy),
        input: fc.record({
          person: fc.record(
            {
              scheme: fc.constant(scheme),
              identities: fc.array(identityEntry(policy.year), { maxLength: 4 }),
              status: fc.constantFrom('in_service' as const, 'retired' as const),
              personalAccountBalance: fc.integer({ min: 0, max: 2_000_000 }),
              attributes: fc.constantFrom([], ['civil_servant' as const]),
            },
            { requiredKeys: ['scheme', 'identities'] },
          ),
          visit: fc.record(
            {
              kind: fc.constant(kind),
              level: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
              date: dateIn(policy.year),
              outOfArea: fc.boolean(),
              filed: fc.boolean(),
              majorIllness: fc.boolean(),
              admissionDate: fc.constant(`${policy.year}-01-01`),
              ...(kind === 'chronic' ? { chronicClass: fc.constantFrom(...CHRONIC_CLASSES), chronicCategory: fc.integer({ min: 1, max: 33 }) } : {}),
            },
            { requiredKeys: kind === 'chronic' ? ['kind', 'level', 'date', 'chronicClass'] : ['kind', 'level', 'date'] },
          ),
          amounts,
          yearToDate: yearToDate(policy, scheme),
          supplementaryYearToDate: supplementaryYearToDate(policy),
        }),
      }),
    );

const anyCase: fc.Arbitrary<Case> = fc.constantFrom(...POLICIES).chain(caseFor);

const fundsSum = (s: Settlement): number => s.funds.basic + s.funds.critical + s.funds.assistance + s.funds.supplementary + s.funds.tilt;

/** Every number inside a value, with its path. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('settlement properties', () => {
  it('the generator covers every policy, kind, level and scheme', () => {
    const seen = new Set<string>();
    fc.sample(anyCase, { numRuns: 2_000, seed: 7 }).forEach(({ policy, input }) => {
      seen.add(`${policy.id}/${input.person.scheme}/${input.visit.kind}/${input.visit.level}`);
    });
    // 4 policies × resident × 3 kinds × 4 levels, plus lhasa-2024/2025 employee × 3 × 4
    expect(seen.size).toBe(4 * 3 * 4 + 2 * 3 * 4);
  });

  it('funds + selfPay = total; compliant = funds + selfPayCompliant; excluded = total − compliant', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        const s = settle(policy, input);
        expect(fundsSum(s) + s.selfPay).toBe(s.total);
        expect(fundsSum(s) + s.selfPayCompliant).toBe(s.compliant);
        expect(s.selfPayExcluded).toBe(input.amounts.total - input.amounts.compliant);
        expect(s.selfPayCompliant + s.selfPayExcluded).toBe(s.selfPay);
        expect(s.total).toBe(input.amounts.total);
        expect(s.compliant).toBe(input.amounts.compliant);
        // the steps explain the funds, one per tier, in the order the policy lists them
        const tiers = rulesFor(policy, input.visit).benefits.tiers;
        expect(s.steps.map((x) => x.fund)).toEqual(tiers.map((t) => t.fund));
        for (const fund of ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const) {
          expect(s.steps.filter((x) => x.fund === fund).reduce((t, x) => t + x.amount, 0)).toBe(s.funds[fund]);
        }
        expect(Object.values(supplementaryByTier(s)).reduce((t, x) => t + x, 0)).toBe(s.funds.supplementary);
        if (s.payment) expect(s.payment.personalAccount + s.payment.cash).toBe(s.selfPay);
      }),
      RUNS,
    );
  });

  it('every figure is a non-negative integer', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        const s = settle(policy, input);
        for (const [path, n] of numbers(s)) {
          if (path.endsWith('upTo')) continue;
          expect(Number.isSafeInteger(n), `${path} = ${n}`).toBe(true);
          expect(n, path).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('no fund above its base or its cap', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        const s = settle(policy, input);
        const benefits = input.person.scheme === 'employee' ? policy.benefits.employee! : policy.benefits.resident;
        const before = input.yearToDate ?? {};
        const after = s.yearToDate;
        const kind = input.visit.kind;
        expect(s.funds.basic).toBeLessThanOrEqual(s.compliant);
        for (const step of s.steps) expect(step.amount).toBeLessThanOrEqual(step.fund === 'tilt' ? s.compliant : step.base);
        // yearly caps, given a year that started within them
        expect(after.basic).toBeLessThanOrEqual(benefits.yearlyCap);
        expect(after.outpatientFund).toBeLessThanOrEqual(benefits.outpatient.yearlyCap);
        if (kind === 'chronic') expect(after.chronicFund).toBeLessThanOrEqual(Math.max(before.chronicFund ?? 0, benefits.chronic.classLimits[input.visit.chronicClass!]));
        else expect(after.chronicFund).toBe(before.chronicFund ?? 0);
        expect(after.assistance).toBeLessThanOrEqual(policy.benefits.assistance.yearlyCap.ordinary);
        expect(after.assistanceMajor).toBeLessThanOrEqual(policy.benefits.assistance.yearlyCap.major);
        const critical = s.steps.find((x) => x.fund === 'critical')!;
        if (critical.rule === 'critical.standard') expect(after.critical).toBeLessThanOrEqual(policy.benefits.critical.standard.yearlyCap!);
        // outpatient deductible: never more used than the year's deductible
        const yearly = benefits.outpatient.yearlyDeductible[input.person.status ?? 'in_service'];
        expect(after.outpatientDeductibleUsed).toBeLessThanOrEqual(Math.max(before.outpatientDeductibleUsed ?? 0, yearly));
        // the tiers that do not apply pay nothing
        if (kind === 'outpatient' || input.person.scheme === 'employee') expect(s.funds.critical).toBe(0);
        if (kind === 'outpatient') expect(s.funds.assistance).toBe(0);
        if (policy.benefits.tilt === null || kind !== 'inpatient') expect(s.funds.tilt).toBe(0);
        // the year-to-date accumulators grow by this bill's payments exactly
        expect(after.basic - (before.basic ?? 0)).toBe(s.funds.basic);
        expect(after.critical - (before.critical ?? 0)).toBe(s.funds.critical);
        expect(after.assistance + after.assistanceMajor - (before.assistance ?? 0) - (before.assistanceMajor ?? 0)).toBe(s.funds.assistance);
        expect(after.tilt - (before.tilt ?? 0)).toBe(s.funds.tilt);
        expect(after.supplementary - (before.supplementary ?? 0)).toBe(s.funds.supplementary);
        // each supplementary tier within its own yearly cap, given the year so far by tier
        for (const t of rulesFor(policy, input.visit).benefits.tiers) {
          if (t.kind !== 'supplementary' || t.rule === null || t.rule.yearlyCap === null) continue;
          const paid = supplementaryByTier(s)[t.rule.id] ?? 0;
          const already = input.supplementaryYearToDate === undefined || t.rule.id === 'supplementary' ? (before.supplementary ?? 0) : (input.supplementaryYearToDate[t.rule.id] ?? 0);
          expect(paid).toBeLessThanOrEqual(Math.max(0, t.rule.yearlyCap - already));
          if (t.rule.attribute !== null && !(input.person.attributes ?? []).includes(t.rule.attribute)) expect(paid).toBe(0);
        }
        expect(after.selfPay - (before.selfPay ?? 0)).toBe(s.selfPay);
      }),
      RUNS,
    );
  });

  it('runs the tiers in order: each takes what the tiers before it left unpaid', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        const s = settle(policy, input);
        let unpaid = s.compliant;
        for (const step of s.steps) {
          // The tiers whose base is "what is still unpaid" see exactly that.
          if (/^(critical\.(standard|tilted)|assistance\.(ordinary|major))$/.test(step.rule)) expect(step.base, step.rule).toBe(unpaid);
          if (step.fund === 'basic') expect(step.base + (step.deductible ?? 0), step.rule).toBe(unpaid);
          expect(step.amount, step.rule).toBeLessThanOrEqual(unpaid);
          unpaid -= step.amount;
        }
        expect(unpaid).toBe(s.selfPayCompliant);
      }),
      RUNS,
    );
  });

  it('more compliant cost never lowers the funds\' sum nor the patient\'s self-pay', () => {
    fc.assert(
      fc.property(anyCase, fc.integer({ min: 1, max: 5_000_000 }), ({ policy, input }, d) => {
        const more: SettlementInput = { ...input, amounts: { total: input.amounts.total + d, compliant: input.amounts.compliant + d } };
        const a = settle(policy, input);
        const b = settle(policy, more);
        expect(fundsSum(b)).toBeGreaterThanOrEqual(fundsSum(a));
        expect(b.selfPay).toBeGreaterThanOrEqual(a.selfPay);
        // and the funds never take more than the extra cost
        expect(fundsSum(b) - fundsSum(a)).toBeLessThanOrEqual(d);
      }),
      RUNS,
    );
  });

  it('more excluded cost only adds to the patient\'s self-pay', () => {
    fc.assert(
      fc.property(anyCase, fc.integer({ min: 1, max: 5_000_000 }), ({ policy, input }, d) => {
        const a = settle(policy, input);
        const b = settle(policy, { ...input, amounts: { total: input.amounts.total + d, compliant: input.amounts.compliant } });
        expect(b.funds).toEqual(a.funds);
        expect(b.selfPay).toBe(a.selfPay + d);
      }),
      RUNS,
    );
  });

  it('the year\'s critical illness depends only on the sum of its bases, however split into bills', () => {
    const residentPolicies = POLICIES;
    const bill = fc.record({
      kind: fc.constantFrom<VisitKind>('inpatient', 'inpatient', 'chronic', 'outpatient'),
      level: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
      chronicClass: fc.constantFrom(...CHRONIC_CLASSES),
      compliant: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 30_000_000 })),
      outOfArea: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...residentPolicies),
        fc.array(fc.constantFrom<Identity>(...IDENTITIES), { maxLength: 3 }),
        fc.array(bill, { minLength: 1, maxLength: 8 }),
        (policy, identities, bills) => {
          let ytd: Partial<YearToDate> = {};
          let paid = 0;
          let base = 0;
          for (const b of bills) {
            const s = settle(policy, {
              person: { scheme: 'resident', identities },
              visit: {
                kind: b.kind,
                level: b.level,
                date: `${policy.year}-05-01`,
                outOfArea: b.outOfArea,
                ...(b.kind === 'chronic' ? { chronicClass: b.chronicClass } : {}),
              },
              amounts: { total: b.compliant, compliant: b.compliant },
              yearToDate: ytd,
            });
            paid += s.funds.critical;
            base += s.steps.find((x) => x.fund === 'critical')!.base;
            ytd = s.yearToDate;
          }
          expect(ytd.criticalBase).toBe(base);
          // One bill carrying the whole base: with the basic fund used up, the base is the compliant cost.
          const one = settle(policy, {
            person: { scheme: 'resident', identities },
            visit: { kind: 'inpatient', level: 2, date: `${policy.year}-05-01` },
            amounts: { total: base, compliant: base },
            yearToDate: { basic: policy.benefits.resident.yearlyCap },
          });
          expect(one.steps.find((x) => x.fund === 'critical')!.base).toBe(base);
          expect(Math.abs(paid - one.funds.critical)).toBeLessThanOrEqual(bills.length);
          // and both are f(year's base) of the schedule that applies
          const tilted = policy.benefits.critical.tilted;
          const schedule = tilted && identities.some((i) => tilted.identities.includes(i)) ? tilted : policy.benefits.critical.standard;
          expect(one.funds.critical).toBe(criticalCumulative(base, schedule));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('haixi-2023: the tilt floor holds for eligible inpatients (funds ≥ floor × compliant, rounded)', () => {
    const haixi = registry.get('haixi-2023')!;
    const floors = haixi.benefits.tilt!.floors;
    fc.assert(
      fc.property(
        caseFor(haixi).filter(({ input }) => input.visit.kind === 'inpatient'),
        fc.constantFrom<Identity>('extreme_poverty', 'minimum_living', 'monitored', 'poverty_alleviated'),
        ({ input }, eligible) => {
          const withIdentity: SettlementInput = { ...input, person: { ...input.person, identities: [...input.person.identities, eligible] } };
          const s = settle(haixi, withIdentity);
          let floor = 0;
          for (const identity of identitiesOn(withIdentity.person.identities, withIdentity.visit.date)) floor = Math.max(floor, floors[identity] ?? 0);
          expect(floor).toBeGreaterThanOrEqual(floors[eligible]!);
          expect(fundsSum(s)).toBeGreaterThanOrEqual(applyRatio(s.compliant, floor));
          // the tilt tops up to the floor and not beyond it
          if (s.funds.tilt > 0) expect(fundsSum(s)).toBe(applyRatio(s.compliant, floor));
        },
      ),
      RUNS,
    );
  });

  it('is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        const copy = structuredClone(input);
        const frozen = deepFreeze(structuredClone(input));
        const a = settle(policy, input);
        const b = settle(policy, frozen); // throws in strict mode if it writes to its input
        expect(input).toEqual(copy);
        expect(b).toEqual(a);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        // the year-to-date it returns is its own object
        if (input.yearToDate) expect(a.yearToDate).not.toBe(input.yearToDate);
      }),
      RUNS,
    );
  });

  it('returns every year-to-date field, whether or not the input had it', () => {
    fc.assert(
      fc.property(anyCase, ({ policy, input }) => {
        expect(Object.keys(settle(policy, input).yearToDate)).toEqual([...YEAR_TO_DATE_FIELDS]);
      }),
      { numRuns: 200 },
    );
  });
});
