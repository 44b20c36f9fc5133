/**
 * Details a hospital integrator hit on Sanbao's own API (issue 15), each
 * reproduced here first: replays answer the first answer whole, defaults do not
 * change a request's identity, a reversed transaction is not mistaken for
 * success, the Bearer scheme is case-insensitive, every error has our shape
 * with its field, identify's default year is the bureau's, the list pages.
 */
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());
afterEach(() => {
  vi.useRealTimers();
});

const auth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });

function bill(idNumber: string, total: number, compliant: number, transactionId: string, visit: Record<string, unknown> = {}) {
  return { transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-06-01', ...visit }, amounts: { total, compliant } };
}

const settle = (payload: object, headers: Record<string, string> = auth()) =>
  app.inject({ method: 'POST', url: '/api/v1/settlements', headers, payload });

async function settlementCount(): Promise<number> {
  const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements');
  return row!.n;
}

describe('replays', () => {
  it('answers a retry with the first answer whole, alerts included', async () => {
    // dege-2025: poverty_alleviated threshold 1,050,000 fen of yearly self-pay; 1,100,000 excluded crosses it.
    const payload = bill(f.alleviated.idNumber, 1_100_000, 0, 'INT-ALERT-1');
    const first = await settle(payload);
    expect(first.statusCode).toBe(201);
    expect(first.json().alerts).toHaveLength(1);
    const retry = await settle(payload);
    expect(retry.statusCode).toBe(200);
    const { replayed: r1, ...firstBody } = first.json();
    const { replayed: r2, ...retryBody } = retry.json();
    expect([r1, r2]).toEqual([false, true]);
    expect(retryBody).toEqual(firstBody);
  });

  it('answers a retry of a settlement written before the first answer was kept with the alerts it raised', async () => {
    const payload = bill(f.alleviated.idNumber, 10_000, 0, 'INT-ALERT-2');
    const first = await settle(payload);
    expect(first.statusCode).toBe(201);
    const [row] = await t.db.query<{ first_alerts: unknown }>(`SELECT first_alerts FROM settlements WHERE transaction_id = 'INT-ALERT-1'`);
    expect(row!.first_alerts).toEqual(expect.any(Array));
    // As a settlement from before migration 202611271200 stands: no kept alerts.
    await t.db.query(`UPDATE settlements SET first_alerts = NULL WHERE transaction_id = 'INT-ALERT-1'`);
    const legacy = await settle(bill(f.alleviated.idNumber, 1_100_000, 0, 'INT-ALERT-1'));
    expect(legacy.statusCode).toBe(200);
    expect(legacy.json().alerts).toEqual([
      expect.objectContaining({ threshold: 'alleviated_half_rural', risk: 'falling_back', departments: ['rural_revitalization', 'county_bureau'], yearlySelfPay: 1_100_000 }),
    ]);
    expect(legacy.json().alerts[0].label).not.toBe('alleviated_half_rural');
    // A bill that raised no alert answers none, kept as such.
    expect((await settle(payload)).json().alerts).toEqual([]);
  });

  it('treats "majorIllness": false as the omitted default, not a different body', async () => {
    const omitted = bill(f.plain.idNumber, 30_000, 30_000, 'INT-DEFAULT-1');
    const first = await settle(omitted);
    expect(first.statusCode).toBe(201);
    const explicit = bill(f.plain.idNumber, 30_000, 30_000, 'INT-DEFAULT-1', { majorIllness: false });
    const retry = await settle(explicit);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    // A real difference still is one.
    const major = await settle(bill(f.plain.idNumber, 30_000, 30_000, 'INT-DEFAULT-1', { majorIllness: true }));
    expect(major.statusCode).toBe(409);
    expect(major.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('answers the body of a reversed transaction with 409 TRANSACTION_REVERSED, never a 200', async () => {
    const payload = bill(f.plain.idNumber, 20_000, 20_000, 'INT-REV-1');
    expect((await settle(payload)).statusCode).toBe(201);
    const reversal = await app.inject({ method: 'POST', url: '/api/v1/settlements/INT-REV-1/reversal', headers: auth(), payload: { reversalId: 'INT-REV-1-R' } });
    expect(reversal.statusCode).toBe(200);
    const before = await settlementCount();
    const again = await settle(payload);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'TRANSACTION_REVERSED', field: 'transactionId' });
    expect(again.json().error.message).toContain('INT-REV-1-R');
    expect(await settlementCount()).toBe(before);
  });
});

describe('authentication', () => {
  it('accepts the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/identify', headers: { authorization: `${scheme} ${KEYS.county}` },
        payload: { patient: { idNumber: f.plain.idNumber }, year: 2025 },
      });
      expect(res.statusCode, scheme).toBe(200);
    }
  });
});

describe('every error is {error: {code, message, field}}', () => {
  const cases: [string, () => InjectOptions, number, string, string][] = [
    ['no key', () => ({ method: 'POST', url: '/api/v1/identify', payload: { patient: { idNumber: f.plain.idNumber } } }), 401, 'API_KEY_REQUIRED', 'authorization'],
    ['a wrong key', () => ({ method: 'POST', url: '/api/v1/identify', headers: auth('sb_nope'), payload: { patient: { idNumber: f.plain.idNumber } } }), 401, 'INVALID_API_KEY', 'authorization'],
    ['a body above the limit', () => ({
      method: 'POST', url: '/api/v1/settlements', headers: { ...auth(), 'content-type': 'application/json' }, payload: `{"x": "${'a'.repeat(1_100_000)}"}`,
    }), 413, 'BODY_TOO_LARGE', 'body'],
    ['a body that is not JSON', () => ({ method: 'POST', url: '/api/v1/settlements', headers: { ...auth(), 'content-type': 'application/xml' }, payload: '<bill/>' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'],
    ['invalid JSON', () => ({ method: 'POST', url: '/api/v1/settlements', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"transactionId": ' }), 400, 'INVALID_JSON', 'body'],
    ['a 200-character path id', () => ({ method: 'GET', url: `/api/v1/settlements/${'A'.repeat(200)}`, headers: auth() }), 400, 'INVALID_INPUT', 'transactionId'],
    ['a 200-character path id on a reversal', () => ({
      method: 'POST', url: `/api/v1/settlements/${'A'.repeat(200)}/reversal`, headers: auth(), payload: { reversalId: 'R-X' },
    }), 400, 'INVALID_INPUT', 'transactionId'],
  ];
  for (const [name, request, status, code, field] of cases) {
    it(`answers ${name} with ${status} ${code} naming ${field}`, async () => {
      const res = await app.inject(request());
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toEqual({ code, message: expect.any(String), field });
    });
  }
});

describe('every error has a field, even when no single field is at fault', () => {
  it('names the credentials of a 429 and the path of an unknown route', async () => {
    const limited = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent', limits: { identifyPerFacility: { limit: 1, windowSeconds: 60 } } });
    try {
      const look = () => limited.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(KEYS.clinic), payload: { patient: { idNumber: f.plain.idNumber }, year: 2025 } });
      expect((await look()).statusCode).toBe(200);
      const refused = await look();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toEqual({ code: 'IDENTIFY_RATE_LIMITED', message: expect.any(String), field: 'authorization' });
    } finally {
      await limited.close();
    }
    const noRoute = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: auth() });
    expect(noRoute.json().error).toEqual({ code: 'NOT_FOUND', message: expect.any(String), field: 'path' });
  });
});

describe('identify without a year', () => {
  it('takes the year of the date in the bureau\'s time zone (Asia/Shanghai), not the server\'s', async () => {
    // 2025-12-31 17:30 UTC is 2026-01-01 01:30 in Beijing: a desk there looks up 2026.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-12-31T17:30:00Z'));
    const res = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(), payload: { patient: { idNumber: f.plain.idNumber } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().year).toBe(2026);
    vi.setSystemTime(new Date('2025-12-31T15:30:00Z')); // 23:30 in Beijing: still 2025
    const before = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(), payload: { patient: { idNumber: f.plain.idNumber } } });
    expect(before.json().year).toBe(2025);
    expect(before.json().enrolled).toBe(true);
  });
});

describe('GET /api/v1/settlements pages', () => {
  it('pages past 100 with limit and offset, and gives the total', async () => {
    const person = f.extreme;
    for (let i = 0; i < 105; i++) {
      const res = await settle(bill(person.idNumber, 1_000 + i, 1_000, `INT-PAGE-${i}`, { kind: 'outpatient' }));
      expect(res.statusCode).toBe(201);
    }
    const first = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${person.id}&year=2025`, headers: auth() });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ total: 105, limit: 100, offset: 0, nextOffset: 100 });
    expect(first.json().items).toHaveLength(100);
    const rest = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${person.id}&year=2025&offset=100`, headers: auth() });
    expect(rest.json()).toMatchObject({ total: 105, offset: 100, nextOffset: null });
    expect(rest.json().items).toHaveLength(5);
    const ids = [...first.json().items, ...rest.json().items].map((s: { transactionId: string }) => s.transactionId);
    expect(new Set(ids).size).toBe(105);
    const small = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${person.id}&year=2025&limit=10&offset=20`, headers: auth() });
    expect(small.json().items).toHaveLength(10);
    expect(small.json().nextOffset).toBe(30);
    const tooMany = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${person.id}&year=2025&limit=5000`, headers: auth() });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.field).toBe('limit');
  });
});
