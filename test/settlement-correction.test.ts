/**
 * Correcting a settled bill (issue 11, "reversing (or correcting) any bill"):
 * the year ends exactly as for a twin whose bill was right the first time;
 * retries are idempotent; bad input writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import type { TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { KEYS } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { hospitalSettle } from './support/hospital.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const auth = { authorization: `Bearer ${KEYS.county}` };
const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;

const settle = (transactionId: string, idNumber: string, b: { total: number; compliant: number; date: string }) =>
  hospitalSettle(app, { transactionId, idNumber, ...b });

const correct = (transactionId: string, correctionId: string, amounts: unknown) =>
  app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/correction`, headers: auth, payload: { correctionId, amounts } });

async function yearOf(personId: number) {
  const items = (await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${personId}&year=2025`, headers: auth })).json().items as {
    status: string; effective: { total: number; compliant: number; funds: Record<string, number>; selfPay: number };
  }[];
  const sum: Record<string, number> = { total: 0, compliant: 0, selfPay: 0 };
  for (const s of items.filter((i) => i.status === 'settled')) {
    sum.total! += s.effective.total;
    sum.compliant! += s.effective.compliant;
    sum.selfPay! += s.effective.selfPay;
    for (const f of FUNDS) sum[f] = (sum[f] ?? 0) + s.effective.funds[f]!;
  }
  return { ytd: await readYearToDate(t.db, personId, 2025), sum };
}

const A = { total: 6_000_000, compliant: 5_000_000, date: '2025-02-01' };
const B = { total: 12_000_000, compliant: 10_000_000, date: '2025-03-01' };
const B2 = { total: 3_000_000, compliant: 2_000_000, date: '2025-03-01' };
const C = { total: 9_000_000, compliant: 8_000_000, date: '2025-04-01' };

describe('correcting a settled bill', () => {
  it('settles it and the later bills again: the year ends as for a twin whose bill was right the first time', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const y = await addEnrolledPerson(t.db, policies);
    await settle('CX-A', x.idNumber, A);
    await settle('CX-B', x.idNumber, B);
    await settle('CX-C', x.idNumber, C);
    const res = await correct('CX-B', 'CX-B-C1', { total: B2.total, compliant: B2.compliant });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.effective).toMatchObject({ total: B2.total, compliant: B2.compliant });
    // C stays in the same critical-illness band (60 % up to 50,000 yuan) either way: only B itself changes.
    expect(body.readjudication.billsChanged).toBe(1);
    const [onB] = body.readjudication.adjustments;
    expect(onB).toMatchObject({ transactionId: 'CX-B', amounts: { total: B2.total - B.total, compliant: B2.compliant - B.compliant } });
    await settle('CX-D', x.idNumber, A);

    for (const [name, b] of Object.entries({ A, B2, C })) await settle(`CY-${name}`, y.idNumber, b);
    await settle('CY-D', y.idNumber, A);
    expect(await yearOf(x.id)).toEqual(await yearOf(y.id));

    // A retry answers the first result; the same id with other amounts is refused.
    const retry = await correct('CX-B', 'CX-B-C1', { total: B2.total, compliant: B2.compliant });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().replayed).toBe(true);
    const other = await correct('CX-B', 'CX-B-C1', { total: B2.total, compliant: B2.compliant - 1 });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await yearOf(x.id)).toEqual(await yearOf(y.id));

    // Reversing the corrected bill removes what it stands at now.
    const z = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, C })) await settle(`CZ-${name}`, z.idNumber, b);
    await settle('CZ-D', z.idNumber, A);
    expect((await app.inject({ method: 'POST', url: '/api/v1/settlements/CX-B/reversal', headers: auth, payload: { reversalId: 'CX-B-R' } })).statusCode).toBe(200);
    expect(await yearOf(x.id)).toEqual(await yearOf(z.id));
    const afterReversal = await correct('CX-B', 'CX-B-C2', { total: 1_000, compliant: 0 });
    expect(afterReversal.statusCode).toBe(409);
    expect(afterReversal.json().error.code).toBe('ALREADY_REVERSED');
  });

  it('refuses bad amounts and unknown bills and writes nothing', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    await settle('CB-A', x.idNumber, A);
    const before = await yearOf(x.id);
    const writes = async () => (await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM readjudications) + (SELECT count(*) FROM audit_log) AS n'))[0]!.n;
    const n = await writes();
    for (const [amounts, status] of [
      [{ total: 100, compliant: 200 }, 400],
      [{ total: -1, compliant: 0 }, 400],
      [{ total: 10.5, compliant: 0 }, 400],
      [{ total: '100', compliant: 0 }, 400],
    ] as const) {
      const res = await correct('CB-A', 'CB-A-C', amounts);
      expect(res.statusCode, JSON.stringify(amounts)).toBe(status);
      expect(res.json().error.code).toBeTruthy();
    }
    expect((await correct('NOPE', 'NOPE-C', { total: 1, compliant: 0 })).statusCode).toBe(404);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/settlements/CB-A/correction', headers: auth, payload: { amounts: { total: 1, compliant: 0 } } });
    expect(bad.statusCode).toBe(400);
    expect(await yearOf(x.id)).toEqual(before);
    expect(await writes()).toBe(n);
  });
});
