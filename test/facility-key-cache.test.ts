/**
 * The hospital API remembers verified facility keys (src/api/auth.ts); a change
 * made in the console must count at once in the same process: a disabled
 * facility refused on its next request, a rotated key refused, a new level used
 * for the next bill. One app throughout, so the cache is in play (a bill is
 * settled first, so the key is remembered before each change).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CACHE_TTL_MS } from '../src/api/auth.ts';
import { rotateFacilityKey, setFacilityEnabled } from '../src/service/facility-admin.ts';
import type { Db } from '../src/store/db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let admin: Record<string, string>;
let key: string;
let sequence = 0;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin'] });
  ({ t, app, f } = testApp);
  admin = testApp.as('admin');
  const made = await app.inject({ method: 'POST', url: '/api/v1/console/facilities', headers: admin, payload: { code: 'H51333000009', name: '德格县第二医院', level: 1, divisionCode: '513330' } });
  expect(made.statusCode).toBe(201);
  key = made.json().apiKey;
});
afterAll(() => testApp?.close());

function settleWith(apiKey: string) {
  return app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${apiKey}` },
    payload: { transactionId: `KC-${++sequence}`, patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 20_000, compliant: 20_000 } },
  });
}

const change = (path: string, payload?: object) => app.inject({ method: payload ? 'PUT' : 'POST', url: `/api/v1/console/facilities/H51333000009/${path}`, headers: admin, ...(payload ? { payload } : {}) });

describe('a facility changed in the console, while its key is remembered', () => {
  it('refuses a disabled facility on its very next request, and takes it back once enabled', async () => {
    expect((await settleWith(key)).statusCode).toBe(201);
    expect((await change('disable')).statusCode).toBe(200);
    const refused = await settleWith(key);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FACILITY_DISABLED']);
    expect((await change('enable')).statusCode).toBe(200);
    expect((await settleWith(key)).statusCode).toBe(201);
  });

  it('settles the next bill at the new level', async () => {
    const before = await settleWith(key);
    expect(before.json().visit.level).toBe(1);
    expect((await change('level', { level: 2 })).statusCode).toBe(200);
    expect((await settleWith(key)).json().visit.level).toBe(2);
  });

  it('refuses a rotated key at once and takes the new one', async () => {
    expect((await settleWith(key)).statusCode).toBe(201);
    const rotated = await change('rotate-key');
    expect(rotated.statusCode).toBe(200);
    const old = await settleWith(key);
    expect([old.statusCode, old.json().error.code]).toEqual([401, 'INVALID_API_KEY']);
    key = rotated.json().apiKey;
    expect((await settleWith(key)).statusCode).toBe(201);
  });
});

/**
 * A change made by another process (`sanbao facility disable|rotate-key` beside
 * the running service): the database tells the service (NOTIFY at commit), which
 * forgets the keys it verified — refused within moments, not after the cache's
 * 30 s. PostgreSQL: the change on a connection of its own; PGlite: in-process.
 */
describe('a facility changed by another process, while its key is remembered', () => {
  const CLI = { actor: 'cli', divisionCode: null };
  let other: Db;
  beforeAll(async () => {
    other = t.url ? await openPostgres(t.url, 1) : t.db;
  });
  afterAll(async () => {
    if (other !== t.db) await other?.close();
  });

  const identify = (apiKey: string) =>
    app.inject({ method: 'POST', url: '/api/v1/identify', headers: { authorization: `Bearer ${apiKey}` }, payload: { patient: { idNumber: f.plain.idNumber }, year: 2025 } });

  /** Asks with the key every 10 ms until it is refused with `status`; how long that took, at most 3 s (the cache keeps a key 30 s). */
  async function refusedWithin(apiKey: string, status: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < 3_000) {
      if ((await identify(apiKey)).statusCode === status) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`the key was still accepted 3 s after the change (the key cache keeps it ${KEY_CACHE_TTL_MS / 1000} s)`);
  }

  it('refuses a facility disabled from the CLI on its next requests, and takes it back once enabled there', async () => {
    expect((await settleWith(key)).statusCode).toBe(201);
    expect((await identify(key)).statusCode).toBe(200);
    await setFacilityEnabled(other, CLI, 'H51333000009', false);
    expect(await refusedWithin(key, 403)).toBeLessThan(3_000);
    const refused = await settleWith(key);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FACILITY_DISABLED']);
    await setFacilityEnabled(other, CLI, 'H51333000009', true);
    expect((await settleWith(key)).statusCode).toBe(201);
  });

  it('refuses a key rotated from the CLI, and takes the new one', async () => {
    expect((await settleWith(key)).statusCode).toBe(201);
    const rotated = await rotateFacilityKey(other, CLI, 'H51333000009');
    await refusedWithin(key, 401);
    const old = await settleWith(key);
    expect([old.statusCode, old.json().error.code]).toEqual([401, 'INVALID_API_KEY']);
    key = rotated.apiKey;
    expect((await settleWith(key)).statusCode).toBe(201);
  });
});
