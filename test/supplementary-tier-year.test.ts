/**
 * Issue 11: each supplementary tier keeps its own year-to-date, at the
 * database: its cap applies per tier (another tier's payments never use it
 * up), it carries across a change of rules inside the year, and a reversal
 * (with the re-adjudication of the later bills) restores it exactly.
 *
 * The policy is the Dege fixture with two test tiers listed after assistance
 * (values chosen for the arithmetic, not a bureau's): A pays 50 % of what is
 * unpaid up to 1,000 yuan a year, B 50 % of what A left up to 1,500 yuan.
 * From 1 July A pays 60 %.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { readSupplementaryYearToDate, readYearToDate } from '../src/store/repositories/accumulators.ts';
import { residentQuote } from '../src/service/resident-self-service.ts';
import { findPersonById } from '../src/store/repositories/persons.ts';
import type { TestDb } from './support/db.ts';
import { hospitalAuth, hospitalSettle } from './support/hospital.ts';
import { loadTieredFixturePolicies } from './support/tiered-policy.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadTieredFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const auth = hospitalAuth();
const settle = (transactionId: string, idNumber: string, compliant: number, date: string): Promise<{ funds: Record<string, number>; steps: { rule: string; amount: number; tier?: string }[] }> =>
  hospitalSettle(app, { transactionId, idNumber, date, total: compliant, compliant });

const byTier = (s: { steps: readonly { amount: number; tier?: string | undefined }[] }) =>
  Object.fromEntries(s.steps.filter((x) => x.tier !== undefined).map((x) => [x.tier, x.amount]));

// County hospital (level 2): a bill of 10,000 yuan pays basic (10,000 − 300) × 85 % = 8,245; 1,755 is left,
// below the critical-illness threshold; no identity, no assistance.
const BILL = 1_000_000;

describe('each supplementary tier keeps its own year', () => {
  it('applies its cap per tier: A\'s payments never use up B\'s cap', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    // A: 50 % of 1,755 = 877.50; B: 50 % of the 877.50 left = 438.75.
    expect(byTier(await settle('ST1-1', p.idNumber, BILL, '2025-02-01'))).toEqual({ mutual_a: 87_750, mutual_b: 43_875 });
    // A: 122.50 left under its cap; B: 50 % of 1,632.50 = 816.25, within its own 1,500 − 438.75 (the fund's year,
    // 1,438.75 after A, would leave B only 61.25).
    expect(byTier(await settle('ST1-2', p.idNumber, BILL, '2025-03-01'))).toEqual({ mutual_a: 12_250, mutual_b: 81_625 });
    expect(await readSupplementaryYearToDate(t.db, p.id, 2025)).toEqual({ mutual_a: 100_000, mutual_b: 125_500 });
    expect((await readYearToDate(t.db, p.id, 2025)).supplementary).toBe(225_500);
  });

  it('carries across a change of rules inside the year: A, at its cap before 1 July, pays nothing after it at 60 %', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    await settle('ST2-1', p.idNumber, BILL, '2025-02-01');
    await settle('ST2-2', p.idNumber, BILL, '2025-03-01');
    const after = await settle('ST2-3', p.idNumber, BILL, '2025-08-01');
    // A: nothing left of 1,000; B: 50 % of 1,755 = 877.50, but only 1,500 − 1,255 = 245 left.
    expect(byTier(after)).toEqual({ mutual_a: 0, mutual_b: 24_500 });
    expect(await readSupplementaryYearToDate(t.db, p.id, 2025)).toEqual({ mutual_a: 100_000, mutual_b: 150_000 });
  });

  it('is restored by a reversal: the later bill is settled again from the year the reversed bill never touched', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const y = await addEnrolledPerson(t.db, policies);
    await settle('ST3-1', x.idNumber, BILL, '2025-02-01');
    await settle('ST3-2', x.idNumber, BILL, '2025-03-01');
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements/ST3-1/reversal', headers: auth, payload: { reversalId: 'ST3-1-R' } });
    expect(res.statusCode, res.body).toBe(200);
    // The twin settles only the surviving bill.
    expect(byTier(await settle('ST3-Y2', y.idNumber, BILL, '2025-03-01'))).toEqual({ mutual_a: 87_750, mutual_b: 43_875 });
    expect(await readSupplementaryYearToDate(t.db, x.id, 2025)).toEqual({ mutual_a: 87_750, mutual_b: 43_875 });
    expect(await readSupplementaryYearToDate(t.db, x.id, 2025)).toEqual(await readSupplementaryYearToDate(t.db, y.id, 2025));
    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(await readYearToDate(t.db, y.id, 2025));
  });

  it('is what a pre-settlement and a resident\'s trial calculation count on', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    await settle('ST4-1', p.idNumber, BILL, '2025-02-01');
    const res = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: auth,
      payload: { patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date: '2025-03-01' }, amounts: { total: BILL, compliant: BILL } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(byTier(res.json())).toEqual({ mutual_a: 12_250, mutual_b: 81_625 });
    // The resident's trial calculation likewise.
    const person = (await findPersonById(t.db, p.id))!;
    const quote = await residentQuote(t.db, policies, person, { kind: 'inpatient', level: 2, date: '2025-03-01', total: BILL, compliant: BILL });
    expect(byTier(quote)).toEqual({ mutual_a: 12_250, mutual_b: 81_625 });
  });
});
