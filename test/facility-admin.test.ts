/** Facilities from the bureau admin's console API (issue 9): add with a key shown once, level, disable (403 with a clear code), rotate. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadFixturePolicies } from './support/policies.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let f: Fixture;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
  admin = { authorization: `Bearer ${login.json().token}` };
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

/** A fresh app each time: no key cache between the change and the call. */
async function quoteWith(key: string) {
  const fresh = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  try {
    return await fresh.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${key}` },
      payload: { patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 100000, compliant: 100000 } },
    });
  } finally {
    await fresh.close();
  }
}

describe('facilities in the console', () => {
  let key: string;
  let atLevel1: string;

  it('adds a facility and shows its key once; the list never shows it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/facilities', headers: admin, payload: { code: 'H51333000008', name: '德格县藏医院', level: 1, divisionCode: '513330' } });
    expect(res.statusCode).toBe(201);
    key = res.json().apiKey;
    expect(key).toMatch(/^sb_h51333000008_/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/console/facilities', headers: admin });
    expect(list.json().items.find((x: { code: string }) => x.code === 'H51333000008')).toMatchObject({ level: 1, active: true, keyPrefix: key.slice(0, 12) });
    expect(list.body).not.toContain(key);
    const quote = await quoteWith(key);
    expect(quote.statusCode).toBe(200);
    atLevel1 = JSON.stringify(quote.json().steps);
  });

  it('changes the level, which the next settlement uses', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/v1/console/facilities/H51333000008/level', headers: admin, payload: { level: 3 } });
    expect(res.json()).toMatchObject({ code: 'H51333000008', level: 3 });
    const quote = await quoteWith(key);
    expect(quote.statusCode).toBe(200);
    expect(JSON.stringify(quote.json().steps)).not.toBe(atLevel1); // a county-level hospital's deductible and ratio differ from a township's
  });

  it('disables a facility: its key answers 403 FACILITY_DISABLED; enabled again it works', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/console/facilities/H51333000008/disable', headers: admin });
    const refused = await quoteWith(key);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FACILITY_DISABLED']);
    const wrong = await quoteWith('sb_h8_not_a_key');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'INVALID_API_KEY']);
    await app.inject({ method: 'POST', url: '/api/v1/console/facilities/H51333000008/enable', headers: admin });
    expect((await quoteWith(key)).statusCode).toBe(200);
  });

  it('rotates the key: the new one works, the old one is refused', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/facilities/H51333000008/rotate-key', headers: admin });
    const fresh = res.json().apiKey;
    expect((await quoteWith(fresh)).statusCode).toBe(200);
    expect((await quoteWith(key)).statusCode).toBe(401);
    const audit = await t.db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE entity = 'facility' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['facility.create', 'facility.set_level', 'facility.disable', 'facility.enable', 'facility.rotate_key']);
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['staff:admin']));
  });

  it('refuses bad input and other roles, writing nothing', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/console/facilities', { code: 'h8', name: 'x', level: 1, divisionCode: '513330' }, 400, 'INVALID_INPUT'],
      ['POST', '/api/v1/console/facilities', { code: 'H51333000008', name: 'x', level: 1, divisionCode: '513330' }, 409, 'FACILITY_EXISTS'],
      ['POST', '/api/v1/console/facilities', { code: 'H51333000010', name: 'x', level: 7, divisionCode: '513330' }, 400, 'INVALID_INPUT'],
      ['POST', '/api/v1/console/facilities', { code: 'H99999900010', name: 'x', level: 1, divisionCode: '999999' }, 400, 'UNKNOWN_DIVISION'],
      ['POST', '/api/v1/console/facilities', { code: 'H54010200010', name: 'x', level: 1, divisionCode: '540102' }, 403, 'OUTSIDE_DIVISION'],
      ['POST', '/api/v1/console/facilities', { code: 'H10', name: 'x', level: 1, divisionCode: '513330' }, 400, 'INVALID_INPUT'], // not the national 12-character form
      ['POST', '/api/v1/console/facilities', { code: 'H54010200010', name: 'x', level: 1, divisionCode: '513330' }, 400, 'INVALID_CODE'], // another division's code
      ['PUT', '/api/v1/console/facilities/NOPE/level', { level: 1 }, 404, 'UNKNOWN_FACILITY'],
      ['PUT', '/api/v1/console/facilities/H54010200001/level', { level: 1 }, 404, 'UNKNOWN_FACILITY'], // Lhasa: outside the county admin's division
    ];
    for (const [method, url, payload, status, code] of cases) {
      const res = await app.inject({ method: method as 'POST', url, headers: admin, payload: payload as object });
      expect([res.statusCode, res.json().error.code], `${method} ${url}`).toEqual([status, code]);
    }
    const clerk = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'clerk', password: DEMO_PASSWORD } });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/console/facilities/H51333000008/disable', headers: { authorization: `Bearer ${clerk.json().token}` } });
    expect(refused.statusCode).toBe(403);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities`);
    expect(rows[0]!.n).toBe(4);
  });
});
