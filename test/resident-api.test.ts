/** Resident self-service API: one-time code sign-in, own data only, trial calculation, out-of-area filing. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { beijingToday } from '../src/api/routes/monitoring.ts';
import { lastDayOf } from '../src/domain/policy/filing-limits.ts';
import type { OtpSender } from '../src/service/resident-auth.ts';
import { fileOutOfArea } from '../src/service/resident-self-service.ts';
import type { Db, Queryable } from '../src/store/db.ts';
import { findPersonById } from '../src/store/repositories/persons.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const sent: { idNumber: string; code: string }[] = [];
const sender: OtpSender = { send: async (m) => void sent.push({ idNumber: m.idNumber, code: m.code }) };

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', otpSender: sender });
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
    payload: { transactionId: 'R-1', patient: { idNumber: f.poor.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 5_000_000, compliant: 4_000_000 } },
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function signIn(idNumber: string): Promise<string> {
  expect((await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber } })).statusCode).toBe(200);
  const code = sent.filter((s) => s.idNumber === idNumber).at(-1)!.code;
  const res = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber, code } });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toMatch(/^sanbao_resident=[^;]+; HttpOnly; SameSite=Strict/);
  return cookie.split(';')[0]!;
}

describe('resident sign-in', () => {
  it('signs in with the one-time code, once; a wrong code is refused', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber: f.plain.idNumber } });
    const code = sent.at(-1)!.code;
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.plain.idNumber, code: code === '000000' ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.plain.idNumber, code } });
    expect(ok.statusCode).toBe(200);
    const again = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.plain.idNumber, code } });
    expect(again.statusCode).toBe(401);
  });

  it('answers alike for an unknown ID number, and sends nothing', async () => {
    const before = sent.length;
    const res = await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber: '51333019900101000X' } });
    expect([200, 400]).toContain(res.statusCode);
    expect(sent.length).toBe(before);
  });

  it('keeps resident and staff sessions apart', async () => {
    const cookie = await signIn(f.plain.idNumber);
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/persons', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });
});

describe('own data', () => {
  it('shows the enrollment and every reimbursement with what each fund paid', async () => {
    const cookie = await signIn(f.poor.idNumber);
    const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    expect(me.person.idNumber).toContain('*');
    expect(me.enrollments[0]).toMatchObject({ year: 2025, status: 'enrolled' });
    const items = (await app.inject({ method: 'GET', url: '/api/v1/me/settlements', headers: { cookie } })).json().items;
    expect(items).toHaveLength(1);
    const s = items[0];
    expect(s.funds.basic).toBeGreaterThan(0);
    expect(Object.values(s.funds as Record<string, number>).reduce((a, b) => a + b, 0) + s.selfPay).toBe(s.total);
  });

  it('quotes a bill on the engine with the person own identities and writes nothing', async () => {
    const cookie = await signIn(f.poor.idNumber);
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements'))[0]!.n;
    const res = await app.inject({
      method: 'POST', url: '/api/v1/me/quote', headers: { cookie },
      payload: { kind: 'inpatient', level: 2, date: '2025-08-01', total: 2_000_000, compliant: 1_800_000 },
    });
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q.identities).toContain('minimum_living');
    expect(Object.values(q.funds as Record<string, number>).reduce((a, b) => a + b, 0) + q.selfPay).toBe(2_000_000);
    const after = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements'))[0]!.n;
    expect(after).toBe(before);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/me/quote', headers: { cookie }, payload: { kind: 'inpatient', level: 2, date: '2025-08-01', total: 100, compliant: 200 } });
    expect(bad.statusCode).toBe(400);
  });

  it('files out-of-area treatment online and lists it', async () => {
    const cookie = await signIn(f.extreme.idNumber);
    const res = await app.inject({
      method: 'POST', url: '/api/v1/me/filings', headers: { cookie },
      // From today (Beijing time) for six months: within the policy's limits for long-term residence.
      payload: { treatmentPlace: '拉萨市', treatmentDivision: '540102', reason: 'resident_elsewhere', validFrom: beijingToday(), validTo: lastDayOf(beijingToday(), 6) },
    });
    expect(res.statusCode).toBe(201);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/me/filings', headers: { cookie } })).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ channel: 'online', status: 'active', treatment_place: '拉萨市' });
  });

  it('refuses a date that does not exist with a 400 and files nothing', async () => {
    const cookie = await signIn(f.extreme.idNumber);
    const before = (await app.inject({ method: 'GET', url: '/api/v1/me/filings', headers: { cookie } })).json().items.length;
    const res = await app.inject({
      method: 'POST', url: '/api/v1/me/filings', headers: { cookie },
      payload: { treatmentPlace: '拉萨市', reason: 'temporary', validFrom: '2025-02-30', validTo: '2025-03-31' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', field: 'validFrom' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/filings', headers: { cookie } })).json().items).toHaveLength(before);
    const quote = await app.inject({ method: 'POST', url: '/api/v1/me/quote', headers: { cookie }, payload: { kind: 'inpatient', level: 2, date: '2025-13-01', total: 100_000, compliant: 80_000 } });
    expect(quote.statusCode).toBe(400);
  });

  it('writes a filing and its audit entry in one transaction: no audit, no filing', async () => {
    const failingAudit = (q: Queryable): Queryable => ({
      query: (sql, params) => (sql.includes('INSERT INTO audit_log') ? Promise.reject(new Error('audit log unavailable')) : q.query(sql, params)),
    });
    const db: Db = { ...t.db, query: failingAudit(t.db).query, transaction: (fn) => t.db.transaction((tx) => fn(failingAudit(tx))) };
    const person = (await findPersonById(t.db, f.plain.id))!;
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM out_of_area_filings WHERE person_id = $1', [f.plain.id]))[0]!.n;
    const before = await count();
    await expect(fileOutOfArea(db, loadFixturePolicies(), person, { treatmentPlace: '成都市', reason: 'referral', validFrom: '2025-08-01', validTo: '2025-08-31' }, 'window', 'staff:test', '2025-08-01'))
      .rejects.toThrow('audit log unavailable');
    expect(await count()).toBe(before);
  });
});
