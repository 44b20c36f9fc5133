/** The DRG API: hospitals send settlement lists with their key; staff group, compute rates, pay and read the report. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { drgContext } from '../src/service/drg-catalogues.ts';
import { createStaff } from '../src/service/staff-auth.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { DRG_KEYS, DRG_POLICY_DIR, seedDrg } from './support/drg-fixture.ts';

let t: TestDb;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  const drg = drgContext(t.db, { policyDir: DRG_POLICY_DIR });
  await seedDrg(t.db, drg, { 2022: 300, 2023: 150 });
  await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('513330001', '更庆镇', 2, '513330'), ('540102', '拉萨市城关区', 1, NULL)`);
  await loadDemoStaff(t.db);
  await createStaff(t.db, { username: 'lhasa', displayName: '拉萨经办', password: 'another-county-2025!', role: 'bureau_clerk', divisionCode: '540102' }, 'test');
  app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent', drg });
  for (const [username, password] of [['admin', DEMO_PASSWORD], ['auditor', DEMO_PASSWORD], ['station1', DEMO_PASSWORD], ['lhasa', 'another-county-2025!']] as const) {
    tokens[username] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password } })).json().token;
  }
}, 180_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const hospital = { authorization: `Bearer ${DRG_KEYS.h3}` };
const as = (username: string) => ({ authorization: `Bearer ${tokens[username]}` });
const list = (extra: Record<string, unknown> = {}) => ({
  setl_id: 'API-1', mdtrt_id: 'M1', psn_no: 'P0012345678', gend: '1', age: 64, adm_time: '2023-04-02 09:30:00', dscg_time: '2023-04-10', ipt_days: 8, dscg_way: '1',
  diseinfo: [{ diag_code: 'I21.000x001', maindiag_flag: '1' }, { diag_code: 'N17.900', maindiag_flag: '0' }],
  oprninfo: [{ oprn_oprt_code: '36.0700', main_oprn_flag: '1' }],
  iteminfo: [{ med_chrgitm_type: '08', amt: 3_000_000 }, { med_chrgitm_type: '09', amt: 1_500_000 }],
  medfee_sumamt: 4_500_000, psn_selfpay: 900_000, fund_pay_sumamt: 3_400_000,
  ...extra,
});
const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM drg_abstracts'))[0]!.n;

describe('hospitals send settlement lists (4101)', () => {
  it('receives one, groups it at once and explains the grouping; a retry answers 200 with the same', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', headers: hospital, payload: list() });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.grouping).toMatchObject({ drg: 'FC11', mdc: 'MDCF', adrg: 'FC1', ccLevel: 'MCC', reason: null });
    expect(body.grouping.steps.map((s: { rule: string }) => s.rule)).toEqual(['mdcs[0]', 'mdcs[0].adrgs[0]', 'complications[2]', 'mdcs[0].adrgs[0]']);
    const again = await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', headers: hospital, payload: list() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: body.id, replayed: true });
    const read = await app.inject({ method: 'GET', url: '/api/v1/drg/settlement-lists/API-1', headers: hospital });
    expect(read.json()).toMatchObject({ setlId: 'API-1', grouping: { drg: 'FC11' }, abstract: { psnNo: 'P0012345678', total: 4_500_000 } });
    // Another hospital does not see it.
    expect((await app.inject({ method: 'GET', url: '/api/v1/drg/settlement-lists/API-1', headers: { authorization: `Bearer ${DRG_KEYS.h2}` } })).statusCode).toBe(404);
  });

  it('an unknown code is named and the case lands in 0000 with the reason, never silently', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', headers: hospital, payload: list({ setl_id: 'API-2', oprninfo: [{ oprn_oprt_code: '36.9999', main_oprn_flag: '1' }] }) });
    expect(res.statusCode).toBe(201);
    expect(res.json().findings).toEqual([expect.objectContaining({ code: 'UNKNOWN_PROCEDURE', field: 'mainProcedure', message: 'procedure 36.9999 is not in the list' })]);
    expect(res.json().grouping).toMatchObject({ drg: '0000', reason: { code: 'UNKNOWN_PROCEDURE' } });
  });

  it.each([
    ['missing principal diagnosis', { diseinfo: [{ diag_code: 'I21.900', maindiag_flag: '0' }] }, 'diseinfo'],
    ['two principal diagnoses', { diseinfo: [{ diag_code: 'I21.900', maindiag_flag: '1' }, { diag_code: 'I10.x00', maindiag_flag: '1' }] }, 'diseinfo[1].maindiag_flag'],
    ['amounts in yuan as floats', { medfee_sumamt: 45000.5 }, 'medfee_sumamt'],
    ['items not adding up', { iteminfo: [{ med_chrgitm_type: '08', amt: 1 }] }, 'iteminfo'],
    ['days not matching the dates', { ipt_days: 3 }, 'ipt_days'],
    ['a bad discharge way', { dscg_way: '7' }, 'dscg_way'],
    ['a missing setl_id', { setl_id: undefined }, 'setl_id'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_what, patch, field) => {
    const before = await count();
    const res = await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', headers: hospital, payload: list({ setl_id: 'API-BAD', ...patch }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_ABSTRACT', field });
    expect(await count()).toBe(before);
  });

  it('refuses the same setl_id with other content (409), a missing key (401)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', headers: hospital, payload: list({ medfee_sumamt: 4_600_000, iteminfo: undefined }) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await app.inject({ method: 'POST', url: '/api/v1/drg/settlement-lists', payload: list({ setl_id: 'API-3' }) })).statusCode).toBe(401);
  });
});

describe('staff: grouping, rates, payments, report', () => {
  it('needs drg.manage to compute, reports.read to read', async () => {
    const group = { from: '2022-01-01', to: '2022-12-31' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/drg/groupings', headers: as('auditor'), payload: group })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/drg/report?policy=test-2023', headers: as('station1') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/drg/report?policy=test-2023' })).statusCode).toBe(401);
  });

  it('groups, computes rates, pays a month and reports it', async () => {
    const grouped = await app.inject({ method: 'POST', url: '/api/v1/drg/groupings', headers: as('admin'), payload: { from: '2022-01-01', to: '2023-12-31' } });
    expect(grouped.statusCode).toBe(200);
    expect(grouped.json().discharges).toBe(452);
    const rates = await app.inject({ method: 'POST', url: '/api/v1/drg/rates', headers: as('admin'), payload: { policy: 'test-2023', from: '2022-01-01', to: '2022-12-31' } });
    expect(rates.statusCode).toBe(200);
    expect(rates.json().rates).toHaveLength(2);
    for (const month of ['2023-04', '2023-05']) {
      expect((await app.inject({ method: 'POST', url: '/api/v1/drg/payments', headers: as('admin'), payload: { policy: 'test-2023', month } })).statusCode).toBe(200);
    }
    const payments = await app.inject({ method: 'GET', url: '/api/v1/drg/payments?policy=test-2023&month=2023-04&facility=HX3&limit=500', headers: as('auditor') });
    expect(payments.statusCode).toBe(200);
    const api1 = payments.json().items.find((p: { setl_id: string }) => p.setl_id === 'API-1');
    // FC11 had no case in the generated history: no weight, paid by its items as the policy says.
    expect(api1).toMatchObject({ drg: 'FC11', kind: 'no_weight', payment_fen: 4_500_000, fund_payment_fen: 3_600_000, surplus_fen: 0 });
    const all = (await app.inject({ method: 'GET', url: '/api/v1/drg/payments?policy=test-2023&limit=500', headers: as('auditor') })).json();
    expect(all.total).toBeGreaterThan(payments.json().total);
    const standard = all.items.filter((p: { kind: string }) => p.kind === 'standard');
    expect(standard.length).toBeGreaterThan(5);
    for (const p of standard) expect(p.fund_payment_fen).toBe(Math.max(0, p.payment_fen - p.patient_fen));

    const report = (await app.inject({ method: 'GET', url: '/api/v1/drg/report?policy=test-2023', headers: as('auditor') })).json();
    expect(report.coverage.discharges).toBe(152);
    expect(report.coverage.grouped + report.coverage.ungroupable + report.coverage.notGroupedYet).toBe(152);
    expect(report.coverage.reasons.map((r: { reason: string }) => r.reason)).toContain('UNKNOWN_PROCEDURE');
    expect(report.cmi.map((c: { facility: string }) => c.facility)).toEqual(['HX3', 'HX2']);
    for (const c of report.cmi) expect(c.cmi).toBeGreaterThan(0);
    const level3 = report.costByLevel.find((l: { level: number }) => l.level === 3);
    expect(level3.before.cases + level3.now.cases).toBeGreaterThan(150);
    expect(level3.costChangeBp).toBe(Math.round(((level3.now.costPerCase - level3.before.costPerCase) * 10_000) / level3.before.costPerCase));
    expect(report.surplus).toHaveLength(2);
    expect(report.surplus[0].months).toBe(2);
    for (const s of report.surplus) expect(Number.isSafeInteger(s.surplus)).toBe(true);

    // Staff of another county see none of these hospitals.
    const elsewhere = (await app.inject({ method: 'GET', url: '/api/v1/drg/report?policy=test-2023', headers: as('lhasa') })).json();
    expect([elsewhere.coverage.discharges, elsewhere.cmi.length, elsewhere.surplus.length, elsewhere.outliers.items.length]).toEqual([0, 0, 0, 0]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/drg/payments?policy=test-2023', headers: as('lhasa') })).json().total).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/drg/payments?policy=test-2023&facility=HX3', headers: as('lhasa') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/drg/discharges/${api1.abstract_id}`, headers: as('lhasa') })).statusCode).toBe(403);

    const detail = await app.inject({ method: 'GET', url: `/api/v1/drg/discharges/${api1.abstract_id}`, headers: as('auditor') });
    expect(detail.json()).toMatchObject({ abstract: { psnNo: 'P00*****678' }, payments: [{ policy: 'test-2023', month: '2023-04', kind: 'no_weight' }] });
  });

  it('refuses bad input with 4xx and the field', async () => {
    const bad = async (url: string, payload?: unknown, method: 'GET' | 'POST' = 'POST') => app.inject({ method, url, headers: as('admin'), ...(payload ? { payload } : {}) });
    expect((await bad('/api/v1/drg/groupings', { from: '2023-02-30', to: '2023-03-01' })).json().error.field).toBe('from');
    expect((await bad('/api/v1/drg/groupings', { from: '2023-01-01', to: '2023-12-31', table: 'nope' })).json().error.code).toBe('UNKNOWN_TABLE');
    expect((await bad('/api/v1/drg/payments', { policy: 'test-2023', month: '2023-13' })).statusCode).toBe(400);
    expect((await bad('/api/v1/drg/rates', { policy: 'test-2023', from: '2030-01-01', to: '2030-12-31' })).statusCode).toBe(422);
    expect((await bad('/api/v1/drg/report?policy=nope-1', undefined, 'GET')).json().error.code).toBe('UNKNOWN_DRG_POLICY');
  });

  it('documents the DRG paths in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/drg/settlement-lists', '/api/v1/drg/report', '/api/v1/drg/payments', '/api/v1/drg/rates']));
    expect(doc.paths['/api/v1/drg/rates'].post.requestBody.content['application/json'].schema.required).toEqual(['policy', 'from', 'to']);
  });
});
