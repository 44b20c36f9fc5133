/**
 * Issue 11: reversing a bill that is not the person's last one. Twins settle the
 * same bills at the same hospital; one of them has an extra bill B that is then
 * reversed. The year must end exactly as if B had never been settled.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadPolicies, type PolicyRegistry } from '../src/domain/policy/registry.ts';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadPolicies();
  await seedFixture(t.db, policies);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const auth = { authorization: `Bearer ${KEYS.county}` };
const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;

async function settle(transactionId: string, idNumber: string, total: number, compliant: number, date: string) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: auth,
    payload: { transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date }, amounts: { total, compliant } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function reverse(transactionId: string, reversalId: string) {
  return app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/reversal`, headers: auth, payload: { reversalId } });
}

/** What each fund and the patient paid over the year, as the hospital's settlement list shows it (adjustments included). */
async function yearTotals(personId: number) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${personId}&year=2025`, headers: auth });
  expect(res.statusCode).toBe(200);
  const totals: Record<string, number> = { basic: 0, critical: 0, assistance: 0, supplementary: 0, tilt: 0, selfPay: 0 };
  for (const s of res.json().items as { status: string; funds: Record<string, number>; selfPay: number; effective?: { funds: Record<string, number>; selfPay: number } }[]) {
    if (s.status !== 'settled') continue;
    const figures = s.effective ?? { funds: s.funds, selfPay: s.selfPay };
    for (const fund of FUNDS) totals[fund]! += figures.funds[fund]!;
    totals.selfPay! += figures.selfPay;
  }
  return totals;
}

// dege-2025 at the county hospital (level 2): deductible 300 yuan, 85 %; critical illness above 10,000 yuan a year.
const A = { total: 6_000_000, compliant: 5_000_000, date: '2025-02-01' };
const B = { total: 12_000_000, compliant: 10_000_000, date: '2025-03-01' };
const C = { total: 9_000_000, compliant: 8_000_000, date: '2025-04-01' };
const D = { total: 7_000_000, compliant: 6_000_000, date: '2025-05-01' };

describe('reversal of a bill that is not the last one (issue 11)', () => {
  it('ends the year with the same funds, patient part and accumulators as never having settled it', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const y = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, B, C })) await settle(`X-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const reversed = await reverse('X-B', 'X-B-R');
    expect(reversed.statusCode, reversed.body).toBe(200);
    await settle('X-D', x.idNumber, D.total, D.compliant, D.date);
    for (const [name, b] of Object.entries({ A, C, D })) await settle(`Y-${name}`, y.idNumber, b.total, b.compliant, b.date);

    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(await readYearToDate(t.db, y.id, 2025));
    expect(await yearTotals(x.id)).toEqual(await yearTotals(y.id));
  });
});
