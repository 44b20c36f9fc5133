/**
 * The campaign's staff API end to end: roles, division scope (a township
 * station sees and changes only its township), masking and audited unmasking,
 * roster refusal naming every bad row, downloads.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff, DEMO_PASSWORD } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { parseXlsx } from '../src/service/tabular.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber, rosterCsv, seedDivisions } from './support/enrollment-fixture.ts';

let t: TestDb;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  await seedDivisions(t.db);
  await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('513330003', '竹庆镇', 2, '513330'), ('513330004', '阿须镇', 2, '513330') ON CONFLICT DO NOTHING`);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent' });
  for (const username of ['admin', 'clerk', 'station1', 'civil', 'rural', 'auditor']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } });
    tokens[username] = res.json().token;
  }
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const b64 = (b: Buffer) => b.toString('base64');
const people = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: idNumber(7000 + i), division: '513330001001' })),
  ...Array.from({ length: 4 }, (_, i) => ({ id: idNumber(7100 + i), division: '513330002001' })),
];

describe('rosters over the API', () => {
  it('refuses a roster with bad rows with 422 and every row number, writing nothing', async () => {
    const bad = rosterCsv([...people, { id: '513330199001011230' }, { id: idNumber(7200), division: '513330099001' }]);
    const res = await app.inject({
      method: 'POST', url: '/api/v1/rosters', headers: as('civil'),
      payload: { mode: 'replace', division: '513330', department: 'civil_affairs', identity: 'minimum_living', from: '2025-01-01', fileName: 'dibao.csv', contentBase64: b64(bad) },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('ROSTER_REJECTED');
    expect(res.json().problems.map((p: { row: number }) => p.row)).toEqual([12, 13]);
    expect((await t.db.query('SELECT 1 FROM rosters')).length).toBe(0);
  });

  it('refuses a roster without its mode (no implicit replace) and a replace without its division, writing nothing', async () => {
    const base = { department: 'civil_affairs', identity: 'minimum_living', from: '2025-01-01', fileName: 'dibao.csv', contentBase64: b64(rosterCsv(people)) };
    const noMode = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('civil'), payload: base });
    expect(noMode.statusCode).toBe(400);
    expect(noMode.json().error.field).toBe('mode');
    expect(noMode.json().error.message).toMatch(/replace, add or end/);
    const noDivision = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('civil'), payload: { ...base, mode: 'replace' } });
    expect(noDivision.statusCode).toBe(400);
    expect(noDivision.json().error).toMatchObject({ code: 'DIVISION_REQUIRED', field: 'division' });
    expect((await t.db.query('SELECT 1 FROM rosters')).length).toBe(0);
  });

  it('a department liaison imports its own department’s roster, not another’s', async () => {
    const payload = { mode: 'replace', division: '513330', department: 'civil_affairs', identity: 'minimum_living', from: '2025-01-01', fileName: 'dibao.csv', contentBase64: b64(rosterCsv(people)) };
    const other = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('rural'), payload });
    expect(other.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('civil'), payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ rowsImported: 10, registered: 10, added: 10, division: '513330' });
    const again = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('civil'), payload });
    expect(again.statusCode).toBe(200);
    expect(again.json().alreadyImported).toBe(true);
    const station = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: as('station1'), payload });
    expect(station.statusCode).toBe(403);
  });
});

describe('campaign, payments and reports over the API', () => {
  it('a station opens the campaign only for its township', async () => {
    const outside = await app.inject({ method: 'POST', url: '/api/v1/campaigns/2025/open', headers: as('station1'), payload: { division: '513330' } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUTSIDE_DIVISION');
    const own = await app.inject({ method: 'POST', url: '/api/v1/campaigns/2025/open', headers: as('station1'), payload: {} });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ division: '513330001', created: 6 });
    const county = await app.inject({ method: 'POST', url: '/api/v1/campaigns/2025/open', headers: as('clerk'), payload: {} });
    expect(county.json()).toMatchObject({ division: '513330', created: 4, kept: 6 });
    const status = await app.inject({ method: 'GET', url: '/api/v1/campaigns/2025', headers: as('clerk') });
    expect(status.json()).toMatchObject({ persons: 10, pending: 10, individual: 10 * 10_000, subsidy: 10 * 30_000 });
  });

  it('records a payment in the station’s township, refuses one outside it, and audits it', async () => {
    const [inside] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7000)]);
    const [outside] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7100)]);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/payments', headers: as('station1'), payload: { personId: outside!.id, year: 2025, amount: 10_000 } });
    expect(refused.statusCode).toBe(403);
    const paid = await app.inject({ method: 'POST', url: '/api/v1/payments', headers: as('station1'), payload: { personId: inside!.id, year: 2025, amount: 10_000, method: 'mobile', reference: 'WX-1', paidOn: '2024-11-15' } });
    expect(paid.statusCode).toBe(201);
    expect(paid.json().enrollment).toMatchObject({ status: 'enrolled', paid_fen: 10_000 });
    const floatAmount = await app.inject({ method: 'POST', url: '/api/v1/payments', headers: as('clerk'), payload: { personId: outside!.id, year: 2025, amount: 100.5 } });
    expect(floatAmount.statusCode).toBe(400);
    const auditor = await app.inject({ method: 'POST', url: '/api/v1/payments', headers: as('auditor'), payload: { personId: outside!.id, year: 2025, amount: 10_000 } });
    expect(auditor.statusCode).toBe(403);
    const log = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'payment.create'`);
    expect(log).toEqual([{ actor: 'staff:station1' }]);
    const history = await app.inject({ method: 'GET', url: `/api/v1/persons/${inside!.id}/payments?year=2025`, headers: as('station1') });
    expect(history.json().payments).toHaveLength(1);
  });

  it('a department pays in bulk for its roster', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/payment-batches', headers: as('clerk'), payload: { year: 2025, rosterId: 1, department: 'civil_affairs', paidOn: '2024-11-15' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ persons: 9, amount: 90_000, replayed: false });
    // The same batch again (a retry, a double click): the first batch answers, no empty second one, no one paid twice.
    const again = await app.inject({ method: 'POST', url: '/api/v1/payment-batches', headers: as('clerk'), payload: { year: 2025, rosterId: 1, department: 'civil_affairs', paidOn: '2024-11-15' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...res.json(), replayed: true });
    expect(await t.db.query('SELECT 1 FROM payment_batches')).toHaveLength(1);
    const receipts = await t.db.query<{ receipt_no: string }>('SELECT receipt_no FROM payments WHERE batch_id = $1', [res.json().batchId]);
    expect(receipts).toHaveLength(9);
    for (const r of receipts) expect(r.receipt_no).toMatch(/^SB2025-\d{8}$/);
  });

  it('coverage is scoped to the caller’s division', async () => {
    await t.db.query(`UPDATE enrollments SET status = 'pending', paid_fen = 0, enrolled_at = NULL WHERE person_id = (SELECT id FROM persons WHERE id_number = $1)`, [idNumber(7101)]);
    const county = await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025', headers: as('clerk') });
    expect(county.json().lines[0]).toMatchObject({ code: '513330', target: 10, enrolled: 9, rate: 9_000 });
    const station = await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025', headers: as('station1') });
    expect(station.json().lines.map((l: { code: string }) => l.code)).toEqual(['513330001', '513330001001']);
    const peek = await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025&division=513330002', headers: as('station1') });
    expect(peek.statusCode).toBe(403);
  });

  it('the not-enrolled list is masked; unmasking needs the permission and is audited', async () => {
    const masked = await app.inject({ method: 'GET', url: '/api/v1/enrollment/unenrolled?year=2025', headers: as('clerk') });
    expect(masked.json()).toMatchObject({ total: 1 });
    expect(masked.json().people[0].idNumber).toMatch(/\*{8}/);
    const auditor = await app.inject({ method: 'GET', url: '/api/v1/enrollment/unenrolled?year=2025&unmask=true', headers: as('auditor') });
    expect(auditor.statusCode).toBe(403);
    const clear = await app.inject({ method: 'GET', url: '/api/v1/enrollment/unenrolled?year=2025&unmask=true', headers: as('clerk') });
    expect(clear.json().people[0].idNumber).toBe(idNumber(7101));
    const log = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'person.unmask'`);
    expect(log).toEqual([{ actor: 'staff:clerk' }]);
  });

  it('downloads coverage as XLSX and subsidies as CSV', async () => {
    const xlsx = await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025&format=xlsx', headers: as('clerk') });
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect((await parseXlsx(xlsx.rawPayload))[1]![0]).toBe('513330');
    const csv = await app.inject({ method: 'GET', url: '/api/v1/enrollment/subsidies?year=2025&format=csv', headers: as('clerk') });
    expect(csv.headers['content-disposition']).toMatch(/subsidies-2025-513330\.csv/);
    expect(csv.body).toContain('medical_assistance,minimum_living,percentage,10,"3,000.00"');
  });

  it('shows a household to staff of its division only', async () => {
    const [p] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7000)]);
    await t.db.query(`INSERT INTO households (code, division_code) VALUES ('HH-API', '513330001001')`);
    await t.db.query(`UPDATE persons SET household_id = (SELECT id FROM households WHERE code = 'HH-API') WHERE id = $1`, [p!.id]);
    const own = await app.inject({ method: 'GET', url: '/api/v1/households/HH-API?year=2025', headers: as('station1') });
    expect(own.statusCode).toBe(200);
    expect(own.json().totals).toMatchObject({ members: 1, individual: 10_000, subsidy: 30_000, paid: 10_000, due: 0 });
    await t.db.query(`INSERT INTO households (code, division_code) VALUES ('HH-OTHER', '513330002001')`);
    const other = await app.inject({ method: 'GET', url: '/api/v1/households/HH-OTHER?year=2025', headers: as('station1') });
    expect(other.statusCode).toBe(403);
  });

  it('cancels an unpaid enrollment (out of the target population), refuses a paid one, audits it', async () => {
    const [paid] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7000)]);
    const [unpaid] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7101)]);
    const refused = await app.inject({ method: 'POST', url: `/api/v1/enrollments/${paid!.id}/2025/cancellation`, headers: as('clerk'), payload: { reason: 'moved away' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('PAID_ENROLLMENT');
    const outside = await app.inject({ method: 'POST', url: `/api/v1/enrollments/${unpaid!.id}/2025/cancellation`, headers: as('station1'), payload: { reason: 'died' } });
    expect(outside.statusCode).toBe(403);
    const done = await app.inject({ method: 'POST', url: `/api/v1/enrollments/${unpaid!.id}/2025/cancellation`, headers: as('clerk'), payload: { reason: 'died' } });
    expect(done.json()).toEqual({ personId: unpaid!.id, year: 2025, status: 'cancelled' });
    const county = await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025', headers: as('clerk') });
    expect(county.json().lines[0]).toMatchObject({ target: 9, enrolled: 9, rate: 10_000 });
    const log = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'enrollment.cancel'`);
    expect(log).toEqual([{ actor: 'staff:clerk' }]);
  });

  it('shows a person’s identity history, ended ones included', async () => {
    const shorter = rosterCsv(people.slice(1));
    const res = await app.inject({
      method: 'POST', url: '/api/v1/rosters', headers: as('civil'),
      payload: { mode: 'replace', division: '513330', department: 'civil_affairs', identity: 'minimum_living', from: '2025-07-01', fileName: 'dibao-07.csv', contentBase64: b64(shorter) },
    });
    expect(res.json()).toMatchObject({ ended: 10, added: 9 });
    const [dropped] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(7000)]);
    const history = await app.inject({ method: 'GET', url: `/api/v1/persons/${dropped!.id}/identities`, headers: as('station1') });
    expect(history.json().identities).toEqual([
      expect.objectContaining({ identity: 'minimum_living', validFrom: '2025-01-01', validTo: '2025-06-30', inForce: false, endedBy: `roster:${res.json().rosterId}` }),
    ]);
  });

  it('lists the new paths in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/rosters', '/api/v1/campaigns/{year}/open', '/api/v1/payments', '/api/v1/enrollment/coverage', '/api/v1/households/{ref}']) {
      expect(doc.paths[path]).toBeDefined();
    }
  });
});
