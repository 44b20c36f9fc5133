/**
 * Re-adjudication: examples, and the property of issue 11 — any interleaving
 * of settlements and reversals (and corrections) ends with the same per-fund
 * totals, accumulators and alerts as settling only the surviving bills, in
 * their order, from an empty year.
 */
import fc from 'fast-check';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../policy/types.ts';
import { FUNDS, IDENTITIES, type Identity, type VisitKind } from '../vocabulary.ts';
import { addYearToDate, alertsOfBills, figuresOf, readjudicate, type LedgerBill } from './readjudicate.ts';
import { rulesFor, settle } from './settle.ts';
import { applicationDue, assistanceApplies, assistanceCapLeft } from './tiers/assistance.ts';
import { EMPTY_YEAR_TO_DATE, supplementaryByTier, type Amounts, type IdentitySpan, type SettlementInput, type YearToDate } from './types.ts';

const registry = loadFixturePolicies();

/**
 * A person's year as the service keeps it: the surviving bills with what each stands at (funds, supplementary
 * tiers, assistance paid on application), the accumulators and each supplementary tier's year.
 */
interface Ledger {
  bills: LedgerBill[];
  ytd: YearToDate;
  tiers: Record<string, number>;
}

function addTiers(into: Record<string, number>, what: Record<string, number>): void {
  for (const [k, v] of Object.entries(what)) into[k] = (into[k] ?? 0) + v;
  for (const k of Object.keys(into)) if (into[k] === 0) delete into[k];
}

function settleInto(ledger: Ledger, id: number, policy: Policy, input: Omit<SettlementInput, 'yearToDate'>): void {
  const s = settle(policy, { ...input, yearToDate: ledger.ytd, supplementaryYearToDate: { ...ledger.tiers } });
  const tiers: Record<string, number> = {};
  addTiers(tiers, supplementaryByTier(s));
  ledger.bills.push({ id, policy, input, figures: figuresOf(ledger.ytd, s), tiers, applications: [] });
  ledger.ytd = s.yearToDate;
  addTiers(ledger.tiers, tiers);
}

/**
 * Assistance on application on the last bill, as approved right after it: the same function and caps as the
 * service (an application approved on an earlier bill is approved with the year's caps at approval, which is
 * the year right after its bill only when no bill came since).
 */
function applyOnLast(ledger: Ledger, applicationId: number, ratio: number): void {
  const b = ledger.bills.at(-1);
  if (!b || (b.applications?.length ?? 0) > 0) return;
  const rule = rulesFor(b.policy, b.input.visit).benefits.assistance;
  if (!assistanceApplies(rule, b.input.visit.kind)) return;
  const pool = b.input.visit.majorIllness ? 'major' : 'ordinary';
  const paid = applicationPaid(b, ledger.ytd, ratio, pool);
  ledger.ytd = { ...ledger.ytd, [pool === 'major' ? 'assistanceMajor' : 'assistance']: ledger.ytd[pool === 'major' ? 'assistanceMajor' : 'assistance'] + paid };
  ledger.bills[ledger.bills.length - 1] = { ...b, applications: [{ applicationId, pool, ratio, paid }] };
}

function applicationPaid(b: LedgerBill, ytd: YearToDate, ratio: number, pool: 'ordinary' | 'major'): number {
  const f = b.figures.funds;
  const compliant = b.input.amounts.compliant;
  const selfPayCompliant = compliant - FUNDS.reduce((t, x) => t + f[x], 0);
  const { due } = applicationDue({ compliant, basic: f.basic, critical: f.critical, assistance: f.assistance, selfPayCompliant }, ratio);
  return Math.min(due, assistanceCapLeft(rulesFor(b.policy, b.input.visit).benefits.assistance, ytd, pool));
}

function change(ledger: Ledger, index: number, amounts?: Amounts) {
  const target = ledger.bills[index]!;
  const r = readjudicate({
    current: ledger.ytd,
    earlier: ledger.bills.slice(0, index),
    from: ledger.bills.slice(index),
    change: amounts ? { kind: 'correction', id: target.id, amounts } : { kind: 'reversal', id: target.id },
    currentTiers: ledger.tiers,
  });
  const after = new Map(r.bills.map((b) => [b.id, b]));
  ledger.bills = ledger.bills.flatMap((b) => {
    const again = after.get(b.id);
    if (b.id === target.id && !amounts) return [];
    if (!again) return [b];
    const tiers = { ...b.tiers };
    addTiers(tiers, again.tierDifference);
    const applications = (b.applications ?? []).map((a) => ({ ...a, paid: r.applications.find((x) => x.billId === b.id && x.applicationId === a.applicationId)!.after }));
    return [{ ...b, input: b.id === target.id && amounts ? { ...b.input, amounts } : b.input, figures: again.after, tiers, applications }];
  });
  ledger.ytd = r.yearToDate;
  ledger.tiers = { ...r.supplementaryYearToDate };
  return r;
}

function totals(bills: readonly LedgerBill[]) {
  const t: Record<string, number> = { selfPay: 0 };
  for (const f of FUNDS) t[f] = 0;
  for (const b of bills) {
    for (const f of FUNDS) t[f]! += b.figures.funds[f];
    t.selfPay! += b.figures.selfPay;
  }
  return t;
}

/** The same bills settled from an empty year, in order, as if nothing had ever been reversed; each application right after its bill. */
function fresh(bills: readonly LedgerBill[]): Ledger {
  const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
  for (const b of bills) {
    settleInto(ledger, b.id, b.policy, b.input);
    for (const a of b.applications ?? []) applyOnLast(ledger, a.applicationId, a.ratio);
  }
  return ledger;
}

const alertKeys = (bills: readonly LedgerBill[]) =>
  alertsOfBills(bills.map((b) => ({ ...b, selfPay: b.figures.selfPay }))).map((a) => `${a.billId}:${a.alert.threshold}:${a.alert.risk}`);

describe('readjudicate: examples', () => {
  const policy = registry.get('dege-2025')!;
  const person = { scheme: 'resident' as const, identities: [] };
  const bill = (compliant: number, date: string): Omit<SettlementInput, 'yearToDate'> => ({
    person,
    visit: { kind: 'inpatient', level: 2, date },
    amounts: { total: compliant + 1_000_000, compliant },
  });

  it('A, B, C, reverse B: C pays what it would have without B; the critical-illness fund recovers on C', () => {
    const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
    settleInto(ledger, 1, policy, bill(5_000_000, '2025-02-01'));
    settleInto(ledger, 2, policy, bill(10_000_000, '2025-03-01'));
    settleInto(ledger, 3, policy, bill(8_000_000, '2025-04-01'));
    const r = change(ledger, 1);
    expect(r.removed?.funds.basic).toBeGreaterThan(0);
    expect(r.bills.map((b) => b.id)).toEqual([3]);
    const c = r.bills[0]!;
    // With B, C sat in a higher critical band; without it, less critical illness and more for the patient.
    expect(c.difference.funds.critical).toBeLessThan(0);
    expect(c.difference.funds.basic).toBe(0);
    expect(c.difference.selfPay).toBe(-c.difference.funds.critical);
    expect(ledger.ytd).toEqual(fresh(ledger.bills).ytd);
  });

  it('reversing the last bill changes no other bill', () => {
    const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
    settleInto(ledger, 1, policy, bill(5_000_000, '2025-02-01'));
    settleInto(ledger, 2, policy, bill(10_000_000, '2025-03-01'));
    const r = change(ledger, 1);
    expect(r.bills).toEqual([]);
    expect(r.yearToDate).toEqual(fresh(ledger.bills).ytd);
  });

  it('refuses a ledger that does not add up to the accumulators', () => {
    const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
    settleInto(ledger, 1, policy, bill(5_000_000, '2025-02-01'));
    expect(() =>
      readjudicate({ current: addYearToDate(ledger.ytd, ledger.ytd, -1), earlier: [], from: ledger.bills, change: { kind: 'reversal', id: 1 } }),
    ).toThrow(/below zero/);
  });

  it('insists the changed bill comes first', () => {
    const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
    settleInto(ledger, 1, policy, bill(5_000_000, '2025-02-01'));
    expect(() => readjudicate({ current: ledger.ytd, earlier: [], from: ledger.bills, change: { kind: 'reversal', id: 9 } })).toThrow(/first bill/);
  });
});

// --- The property ---------------------------------------------------------------------------

// lhasa-2024 lists three supplementary tiers (each with its own yearly cap).
const POLICY_IDS = ['dege-2025', 'lhasa-2025', 'lhasa-2024', 'haixi-2023'] as const;
const TILTED: Identity[] = ['extreme_poverty', 'minimum_living', 'poverty_alleviated', 'border_resident', 'monitored'];

const billArb = (year: number) =>
  fc.record({
    kind: fc.constantFrom<VisitKind>('inpatient', 'inpatient', 'outpatient', 'chronic'),
    level: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
    month: fc.integer({ min: 1, max: 12 }),
    compliant: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 30_000_000 })),
    excluded: fc.integer({ min: 0, max: 3_000_000 }),
    majorIllness: fc.boolean(),
    chronicClass: fc.constantFrom<'A' | 'B'>('A', 'B'),
    outOfArea: fc.boolean(),
  }).map((b) => ({ ...b, date: `${year}-${String(b.month).padStart(2, '0')}-15` }));

const opArb = (year: number) =>
  fc.oneof(
    { weight: 5, arbitrary: billArb(year).map((b) => ({ op: 'settle' as const, bill: b })) },
    { weight: 2, arbitrary: fc.nat().map((n) => ({ op: 'reverse' as const, n })) },
    { weight: 1, arbitrary: fc.record({ n: fc.nat(), compliant: fc.integer({ min: 0, max: 20_000_000 }) }).map((c) => ({ op: 'correct' as const, ...c })) },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 10_000 }).map((ratio) => ({ op: 'apply' as const, ratio })) },
  );

const scenarioArb = fc.constantFrom(...POLICY_IDS).chain((policyId) => {
  const year = registry.get(policyId)!.year;
  return fc.record({
    policyId: fc.constant(policyId),
    scheme: fc.constantFrom<'resident' | 'employee'>('resident', 'resident', 'employee'),
    identities: fc.array(
      fc.oneof(
        fc.constantFrom(...TILTED, ...IDENTITIES),
        fc.record({ identity: fc.constantFrom(...TILTED), from: fc.constant(`${year}-04-01`), to: fc.constant(`${year}-09-30`) }),
      ),
      { maxLength: 2 },
    ),
    ops: fc.array(opArb(year), { minLength: 1, maxLength: 14 }),
    civilServant: fc.boolean(),
  });
});

describe('readjudicate: property', () => {
  it('any interleaving of settlements, reversals and corrections ends as settling only the surviving bills in order', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const policy = registry.get(sc.policyId)!;
        if (sc.scheme === 'employee' && policy.benefits.employee === null) return;
        const person = { scheme: sc.scheme, identities: sc.identities as (Identity | IdentitySpan)[], ...(sc.civilServant ? { attributes: ['civil_servant' as const] } : {}) };
        const ledger: Ledger = { bills: [], ytd: { ...EMPTY_YEAR_TO_DATE }, tiers: {} };
        let id = 0;
        for (const op of sc.ops) {
          if (op.op === 'apply') {
            applyOnLast(ledger, 1_000 + id, op.ratio);
          } else if (op.op === 'settle') {
            const b = op.bill;
            id += 1;
            settleInto(ledger, id, policy, {
              person,
              visit: { kind: b.kind, level: b.level, date: b.date, outOfArea: b.outOfArea, filed: false, majorIllness: b.majorIllness, chronicClass: b.chronicClass },
              amounts: { total: b.compliant + b.excluded, compliant: b.compliant },
            });
          } else if (ledger.bills.length > 0) {
            const index = op.n % ledger.bills.length;
            if (op.op === 'reverse') change(ledger, index);
            else change(ledger, index, { total: op.compliant + 1_000, compliant: op.compliant });
          }
          for (const b of ledger.bills) {
            for (const f of FUNDS) expect(b.figures.funds[f]).toBeGreaterThanOrEqual(0);
            expect(b.figures.selfPay).toBeGreaterThanOrEqual(0);
          }
        }
        const again = fresh(ledger.bills);
        expect(ledger.ytd).toEqual(again.ytd);
        expect(ledger.tiers).toEqual(again.tiers);
        expect(totals(ledger.bills)).toEqual(totals(again.bills));
        for (let i = 0; i < ledger.bills.length; i++) {
          expect(ledger.bills[i]!.figures).toEqual(again.bills[i]!.figures);
          expect(ledger.bills[i]!.tiers).toEqual(again.bills[i]!.tiers);
          expect(ledger.bills[i]!.applications).toEqual(again.bills[i]!.applications);
        }
        expect(alertKeys(ledger.bills)).toEqual(alertKeys(again.bills));
      }),
      { numRuns: 400 },
    );
  });
});
