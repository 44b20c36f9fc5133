/** The staff console API: scope, masking and audited unmasking, settlement explanations, reports, audit log, delegations. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import { beijingToday } from '../src/api/routes/monitoring.ts';
import { lastDayOf } from '../src/domain/policy/filing-limits.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { hospitalSettle } from './support/hospital.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin', 'clerk', 'station1', 'auditor', 'civil'] });
  ({ t, app, f } = testApp);
  for (const [n, person] of [[1, f.poor], [2, f.alleviated]] as const) {
    await hospitalSettle(app, { transactionId: `C-${n}`, idNumber: person.idNumber, date: '2025-06-01', total: 5_000_000, compliant: 4_000_000 });
  }
});
afterAll(() => testApp?.close());

const as = (username: string) => testApp.as(username);
const get = (username: string, url: string) => app.inject({ method: 'GET', url, headers: as(username) });

describe('person search and detail', () => {
  it('finds people by name inside the division, with ID numbers and phones masked', async () => {
    const res = await get('clerk', `/api/v1/console/persons?q=${encodeURIComponent('测试')}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(5);
    for (const p of items) {
      expect(p.name).toBe("测**"); // 测试N, masked in a list
      expect(p.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(p.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    expect(JSON.stringify(items)).not.toContain(f.poor.idNumber);
  });

  it('gives a station clerk only its township, and 403 for a person outside it', async () => {
    const items = (await get('station1', '/api/v1/console/persons?q=')).json().items;
    expect(items.map((p: { divisionCode: string }) => p.divisionCode.slice(0, 9))).toEqual(expect.arrayContaining(['513330001']));
    expect(items.every((p: { divisionCode: string }) => p.divisionCode.startsWith('513330001'))).toBe(true);
    const inside = await get('station1', `/api/v1/console/persons/${f.poor.id}`);
    expect(inside.statusCode).toBe(200);
    const outside = await get('station1', `/api/v1/console/persons/${f.alleviated.id}`);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUTSIDE_DIVISION');
    const settlement = await get('station1', '/api/v1/console/settlements?limit=10');
    expect(settlement.json().items.every((s: { divisionCode: string }) => s.divisionCode.startsWith('513330001'))).toBe(true);
  });

  it('unmasks only with person.unmask, and audits every unmasking', async () => {
    const refused = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/unmask`, headers: as('auditor'), payload: {} });
    expect(refused.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/unmask`, headers: as('clerk'), payload: { reason: 'phone call' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumber).toBe(f.poor.idNumber);
    const rows = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'person.unmask' AND entity_id = $1`, [String(f.poor.id)]);
    expect(rows.map((r) => r.actor)).toEqual(['staff:clerk']);
  });
});

describe('settlements', () => {
  it('lists settlements and explains one step by step; funds + self-pay = total', async () => {
    const list = (await get('clerk', '/api/v1/console/settlements')).json().items;
    expect(list.length).toBe(2);
    const detail = (await get('clerk', `/api/v1/console/settlements/${list[0].id}`)).json();
    expect(detail.steps.map((s: { fund: string }) => s.fund)).toEqual(expect.arrayContaining(['basic', 'critical', 'assistance']));
    const funds = Object.values(detail.funds as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(funds + detail.selfPay).toBe(detail.total);
    expect(detail.person.idNumber).toContain('*');
  });

  it('refuses a role without settlement.read', async () => {
    expect((await get('civil', '/api/v1/console/settlements')).statusCode).toBe(403);
  });
});

describe('reports, audit log, delegations', () => {
  it('sums payments by fund and month from settlement_funds', async () => {
    const res = (await get('auditor', '/api/v1/console/reports/payments?year=2025')).json();
    expect(res.settlements).toBe(2);
    const paid = res.byMonth.reduce((a: number, r: { amount: number }) => a + r.amount, 0);
    expect(paid + res.selfPay).toBe(res.total);
    expect(res.byMonth.every((r: { month: string }) => r.month === '2025-06')).toBe(true);
  });

  it('reports coverage by township', async () => {
    const res = (await get('clerk', '/api/v1/console/reports/coverage?year=2025')).json();
    expect(res).toMatchObject({ persons: 5, enrolled: 4, pending: 1 });
    expect(res.byTownship.map((r: { code: string }) => r.code)).toEqual(['513330001', '513330002']);
  });

  it('shows the audit log to the auditor, not to a clerk', async () => {
    const res = await get('auditor', '/api/v1/console/audit?limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBe(5);
    expect((await get('clerk', '/api/v1/console/audit')).statusCode).toBe(403);
  });

  it('lets the bureau admin set what a station may do, and the station feels it at once', async () => {
    expect((await get('clerk', '/api/v1/console/delegations')).statusCode).toBe(403);
    const before = (await get('admin', '/api/v1/console/delegations')).json();
    expect(before.townships.find((t: { code: string }) => t.code === '513330001').items).toContain('settlement_inquiry');
    const put = await app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: as('admin'), payload: { items: ['enrollment_registration'] } });
    expect(put.statusCode).toBe(200);
    expect((await get('station1', '/api/v1/console/settlements')).statusCode).toBe(403);
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: as('admin'), payload: { items: ['everything'] } });
    expect(bad.statusCode).toBe(400);
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      const res = await app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: as('admin'), payload: { items: [inherited] } });
      expect(res.statusCode, inherited).toBe(400);
    }
    expect((await get('admin', '/api/v1/console/delegations')).json().townships.find((t: { code: string }) => t.code === '513330001').items).toEqual(['enrollment_registration']);
    await app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: as('admin'), payload: { items: before.townships[0].items } });
  });
});

describe('ids beyond exact integers', () => {
  it('answer 400, not a database error', async () => {
    for (const url of ['/api/v1/console/persons/99999999999999999999', '/api/v1/console/settlements/99999999999999999999',
      '/api/v1/console/settlements?personId=99999999999999999999', '/api/v1/console/audit?before=99999999999999999999', '/api/v1/console/settlements?offset=99999999999999999999']) {
      const res = await get('admin', url);
      expect([res.statusCode, res.json().error.code], url).toEqual([400, 'INVALID_INPUT']);
    }
  });
});

describe('text with a NUL character', () => {
  it('answers 400 naming the field, and writes nothing', async () => {
    const filings = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM out_of_area_filings'))[0]!.n;
    const before = await filings();
    const tries: [string, string, object | undefined, Record<string, string>, string][] = [
      ['POST', `/api/v1/console/persons/${f.poor.id}/filings`, { treatmentPlace: 'a\u0000b', reason: 'referral', validFrom: '2025-07-01', validTo: '2025-12-31' }, as('admin'), 'treatmentPlace'],
      ['POST', '/api/v1/staff/login', { username: 'admin\u0000', password: 'x' }, {}, 'username'],
      ['GET', '/api/v1/console/persons?q=%00', undefined, as('admin'), 'q'],
      ['POST', '/api/v1/payments', { personId: f.pending.id, year: 2025, amount: 100, reference: 'R\u0000' }, as('admin'), 'reference'],
      ['GET', '/api/v1/households/%00?year=2025', undefined, as('admin'), 'ref'],
    ];
    for (const [method, url, payload, headers, field] of tries) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url, headers, ...(payload ? { payload } : {}) });
      expect([res.statusCode, res.json().error.code, res.json().error.field], url).toEqual([400, 'INVALID_INPUT', field]);
    }
    expect(await filings()).toBe(before);
  });
});

describe('out-of-area filing at the window', () => {
  it('files for a person in the division and refuses outside it', async () => {
    const payload = { treatmentPlace: '成都市', reason: 'referral', validFrom: beijingToday(), validTo: lastDayOf(beijingToday(), 3) };
    const ok = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/filings`, headers: as('station1'), payload });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ channel: 'window', created_by: 'staff:station1', insured_division: '513330001001' });
    const outside = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.alleviated.id}/filings`, headers: as('station1'), payload });
    expect(outside.statusCode).toBe(403);
    const noSuchDay = await app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/filings`, headers: as('station1'), payload: { ...payload, validTo: `${beijingToday().slice(0, 4)}-11-31` } });
    expect([noSuchDay.statusCode, noSuchDay.json().error.field]).toEqual([400, 'validTo']);
  });
});
