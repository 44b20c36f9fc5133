/**
 * Issue 10, findings 2 and 6, and issue 17's "liaisons see only the people of
 * the cases routed to them; one masking rule everywhere": masked views never
 * give the rest away (no birth date beside a masked ID number), search matches
 * whole phone and ID numbers only, person.read shows no settlements to a role
 * refused settlement.read, and unmasking (audited) shows the name too.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { createStaff, setDelegations } from '../src/service/staff-auth.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { settleBill, staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const h: Record<string, { authorization: string }> = {};
let settlementId: number;

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  // A station with filing delegated but not settlement inquiry: person.read without settlement.read.
  await t.db.transaction(async (tx) => {
    await createStaff(tx, { username: 'station2', displayName: '马尼干戈镇服务站', password: 'Gangtse-valley-window-2025', role: 'station_clerk', divisionCode: '513330002', department: null }, 'test');
    await setDelegations(tx, '513330002', ['out_of_area_filing'], { id: 1, username: 'admin', role: 'bureau_admin', divisionCode: '513330', department: null, items: [] });
  });
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (const u of ['admin', 'clerk', 'civil', 'rural', 'auditor']) h[u] = await staffToken(app, u);
  const login = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'station2', password: 'Gangtse-valley-window-2025' } });
  h.station2 = { authorization: `Bearer ${login.json().token}` };
  // plain: a case routed to civil affairs; alleviated: a case routed to rural revitalization.
  settlementId = (await settleBill(app, f.plain.idNumber, 5_000_000, 1_000_000)).id;
  await settleBill(app, f.alleviated.idNumber, 1_500_000, 300_000);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: h[who] });
/** The birth-date digits of an 18-digit ID number, in either spelling. */
const birthOf = (idNumber: string) => [idNumber.slice(6, 14), `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`];

describe('masked views give nothing back', () => {
  it('lists and pages show no birth date beside a masked ID number', async () => {
    const bodies = [
      (await get('clerk', `/api/v1/console/persons?q=${encodeURIComponent('测试')}`)).body,
      (await get('clerk', `/api/v1/console/persons/${f.poor.id}`)).body,
      (await get('clerk', `/api/v1/households/H-1?year=2025`)).body,
      (await get('clerk', `/api/v1/monitoring/cases`)).body,
    ];
    for (const body of bodies) {
      for (const p of [f.plain, f.poor, f.extreme, f.pending]) for (const b of birthOf(p.idNumber)) expect(body).not.toContain(b);
    }
  });

  it('masks the name on the settlement page as in the lists', async () => {
    const res = (await get('clerk', `/api/v1/console/settlements/${settlementId}`)).json();
    expect(res.person.name).toBe('测**');
    const listed = (await get('clerk', `/api/v1/console/settlements?personId=${f.plain.id}`)).json();
    expect(listed.items[0].personName).toBe(res.person.name);
  });

  it('shows the name, birth date and numbers when unmasked, audited', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/unmask`, headers: h.clerk, payload: { reason: 'phone call' } });
    expect(res.json()).toMatchObject({ id: f.poor.id, name: '测试2', idNumber: f.poor.idNumber, phone: '13800000002', birthDate: birthOf(f.poor.idNumber)[1] });
  });
});

describe('the register edit form', () => {
  it('gives the edit entry of the register only to those who may edit it (never a liaison or the auditor), the name masked', async () => {
    for (const who of ['civil', 'auditor']) expect((await get(who, `/api/v1/console/persons/${f.plain.id}/register`)).statusCode).toBe(403);
    // Those who may edit get the entry, the name masked like the rest of the page (a blank field keeps it); the full name only through the audited unmask.
    expect((await get('clerk', `/api/v1/console/persons/${f.plain.id}/register`)).json().name).toBe('测**');
  });
});

describe('search matches whole numbers only', () => {
  it('finds a person by the whole phone number, never by a part of it', async () => {
    const whole = (await get('clerk', '/api/v1/console/persons?q=13800000002')).json().items;
    expect(whole.map((p: { id: number }) => p.id)).toEqual([f.poor.id]);
    for (const part of ['1380000000', '0000000002', '38000', '0002']) {
      expect((await get('clerk', `/api/v1/console/persons?q=${part}`)).json().items).toEqual([]);
    }
  });

  it('finds a person by the whole ID number, never by a part of it', async () => {
    expect((await get('clerk', `/api/v1/console/persons?q=${f.poor.idNumber}`)).json().items.map((p: { id: number }) => p.id)).toEqual([f.poor.id]);
    expect((await get('clerk', `/api/v1/console/persons?q=${f.poor.idNumber.slice(0, 12)}`)).json().items).toEqual([]);
    expect((await get('clerk', `/api/v1/console/persons?q=${f.poor.idNumber.slice(8)}`)).json().items).toEqual([]);
  });
});

describe('settlements only for settlement.read', () => {
  it('leaves settlements out of a person page for a station without settlement inquiry', async () => {
    const res = await get('station2', `/api/v1/console/persons/${f.alleviated.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('settlements');
    expect(res.body).not.toContain('德格县人民医院');
    expect((await get('clerk', `/api/v1/console/persons/${f.alleviated.id}`)).json().settlements).toHaveLength(1);
  });

  it('leaves them out for a liaison as well', async () => {
    const res = await get('civil', `/api/v1/console/persons/${f.plain.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty('settlements');
  });
});

describe('a liaison sees only the people of the cases routed to it', () => {
  it('searches and opens only those people', async () => {
    const civil = (await get('civil', `/api/v1/console/persons?q=${encodeURIComponent('测试')}`)).json().items;
    expect(civil.map((p: { id: number }) => p.id)).toEqual([f.plain.id]);
    const rural = (await get('rural', `/api/v1/console/persons?q=`)).json().items;
    expect(rural.map((p: { id: number }) => p.id)).toEqual([f.alleviated.id]);
    expect((await get('civil', `/api/v1/console/persons/${f.poor.id}`)).statusCode).toBe(404);
    expect((await get('civil', `/api/v1/console/persons/${f.alleviated.id}`)).statusCode).toBe(404);
    expect((await get('civil', `/api/v1/console/persons/${f.poor.id}/filings`)).statusCode).toBe(404);
    expect((await get('civil', `/api/v1/persons/${f.poor.id}/identities`)).statusCode).toBe(404);
  });

  it('shows a liaison no household members outside its cases', async () => {
    const detail = (await get('civil', `/api/v1/console/persons/${f.plain.id}`)).json();
    expect(detail.household.map((m: { id: number }) => m.id)).toEqual([f.plain.id]);
  });
});

describe('the hospital look-up', () => {
  it('shows no birth date beside the masked ID number', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: { authorization: `Bearer ${KEYS.county}` }, payload: { patient: { qrToken: f.poor.qrToken }, year: 2025 } });
    expect(res.statusCode).toBe(200);
    for (const b of birthOf(f.poor.idNumber)) expect(res.body).not.toContain(b);
  });
});
