/**
 * Issue 14, reconciliation (对账): a hospital's day compared with the bureau's
 * per insutype and clr_type (3201 fields, fen), the settlement-by-settlement
 * difference (3202), idempotent submissions, bad totals refused with the field
 * named and nothing written, and the follow-up staff take to resolution.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let fx: Fixture;
const tokens: Record<string, string> = {};
let today = '';

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  fx = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (const username of ['clerk', 'auditor']) {
    tokens[username] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } })).json().token;
  }
  const [row] = await t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  today = row!.d;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const key = { authorization: `Bearer ${KEYS.county}` };
const as = (u: string) => ({ authorization: `Bearer ${tokens[u]}` });
async function settle(transactionId: string, idNumber: string, kind: 'inpatient' | 'outpatient', total: number, compliant: number) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: key,
    payload: { transactionId, patient: { idNumber }, visit: { kind, date: '2025-06-01' }, amounts: { total, compliant } } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; total_fen?: number; funds: Record<string, number>; selfPay: number; total: number };
}
const fundsOf = (s: { funds: Record<string, number> }) => Object.values(s.funds).reduce((a, b) => a + b, 0);
const submit = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/reconciliations', headers: key, payload });
const count = async () => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reconciliations'))[0]!.n);

let a: Awaited<ReturnType<typeof settle>>;
let b: Awaited<ReturnType<typeof settle>>;
let c: Awaited<ReturnType<typeof settle>>;
let inpatient: Record<string, unknown>;
let outpatient: Record<string, unknown>;

describe('the bureau’s side of the day', () => {
  it('counts settlements, and reversals negated on their day', async () => {
    a = await settle('R-A', fx.plain.idNumber, 'inpatient', 600_000, 500_000);
    b = await settle('R-B', fx.poor.idNumber, 'inpatient', 2_000_000, 1_800_000);
    c = await settle('R-C', fx.plain.idNumber, 'outpatient', 30_000, 30_000);
    expect((await app.inject({ method: 'POST', url: '/api/v1/settlements/R-A/reversal', headers: key, payload: { reversalId: 'R-A-R' } })).statusCode).toBe(200);
    const res = await app.inject({ method: 'GET', url: `/api/v1/reconciliations/statement?from=${today}&to=${today}`, headers: key });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    inpatient = { insutype: '390', clr_type: '21', fixmedins_setl_cnt: 1, medfee_sumamt: 2_000_000, fund_pay_sumamt: fundsOf(b), acct_pay: 0 };
    outpatient = { insutype: '390', clr_type: '11', fixmedins_setl_cnt: 1, medfee_sumamt: 30_000, fund_pay_sumamt: fundsOf(c), acct_pay: 0 };
    expect(body.totals).toEqual([outpatient, inpatient]);
    expect(body.details).toHaveLength(4);
    expect(body.details.find((d: { setl_id: string; refd_setl_flag: string }) => d.setl_id === 'R-A' && d.refd_setl_flag === '1')).toEqual({
      setl_id: 'R-A', refd_setl_flag: '1', medfee_sumamt: -600_000, fund_pay_sumamt: -fundsOf(a), acct_pay: 0,
    });
  });
});

describe('a hospital reconciles', () => {
  it('matches when its totals agree; a retry answers the first result; other figures under the same id are refused', async () => {
    const payload = { requestId: 'DAY-1', from: today, to: today, totals: [inpatient, outpatient] };
    const first = await submit(payload);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().status).toBe('matched');
    const again = await submit(payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await submit({ ...payload, totals: [{ ...inpatient, medfee_sumamt: 1 }] });
    expect(other.statusCode).toBe(409);
  });

  it('a mismatch names each line’s difference and, with the hospital’s details, each settlement', async () => {
    const res = await submit({
      requestId: 'DAY-2', from: today, to: today,
      totals: [{ ...inpatient, medfee_sumamt: 2_000_100 }],
      details: [
        { setl_id: 'R-A', refd_setl_flag: '0', medfee_sumamt: 600_000, fund_pay_sumamt: fundsOf(a), acct_pay: 0 },
        { setl_id: 'R-A', refd_setl_flag: '1', medfee_sumamt: -600_000, fund_pay_sumamt: -fundsOf(a), acct_pay: 0 },
        { setl_id: 'R-B', medfee_sumamt: 2_000_100, fund_pay_sumamt: fundsOf(b), acct_pay: 0 },
        { setl_id: 'R-X', medfee_sumamt: 5, fund_pay_sumamt: 0 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.status).toBe('open');
    expect(r.lines).toEqual([
      expect.objectContaining({ insutype: '390', clr_type: '11', matched: false, difference: { fixmedins_setl_cnt: -1, medfee_sumamt: -30_000, fund_pay_sumamt: -fundsOf(c), acct_pay: 0 } }),
      expect.objectContaining({ insutype: '390', clr_type: '21', matched: false, difference: { fixmedins_setl_cnt: 0, medfee_sumamt: 100, fund_pay_sumamt: 0, acct_pay: 0 } }),
    ]);
    expect(r.differences.map((d: { setl_id: string; kind: string }) => [d.setl_id, d.kind])).toEqual([['R-B', 'amounts'], ['R-C', 'bureau_only'], ['R-X', 'hospital_only']]);
  });

  it('refuses a total that is not a whole number of fen, naming the field, and writes nothing', async () => {
    const before = await count();
    for (const [value, field] of [[12.5, 'medfee_sumamt'], ['100', 'fund_pay_sumamt'], [null, 'fixmedins_setl_cnt'], [1e20, 'acct_pay']] as const) {
      const res = await submit({ requestId: `BAD-${field}`, from: today, to: today, totals: [{ ...inpatient, [field]: value }] });
      expect(res.statusCode, `${field}=${String(value)}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_FEN', field: `totals[0].${field}` });
    }
    const period = await submit({ requestId: 'BAD-P', from: today, to: '2020-01-01', totals: [inpatient] });
    expect(period.json().error).toMatchObject({ code: 'INVALID_PERIOD', field: 'to' });
    const detail = await submit({ requestId: 'BAD-D', from: today, to: today, totals: [inpatient], details: [{ setl_id: 'R-B', medfee_sumamt: '1', fund_pay_sumamt: 0 }] });
    expect(detail.json().error).toMatchObject({ code: 'INVALID_FEN', field: 'details[0].medfee_sumamt' });
    expect(await count()).toBe(before);
  });
});

describe('the bureau’s totals for staff', () => {
  it('lists each hospital’s day per insutype and clr_type', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/fund/reconciliations/totals?from=${today}&to=${today}`, headers: as('auditor') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([{ facility: expect.objectContaining({ code: 'H51333000001' }), totals: [outpatient, inpatient] }]);
    expect((await app.inject({ method: 'GET', url: `/api/v1/fund/reconciliations/totals?from=${today}&to=x`, headers: as('auditor') })).statusCode).toBe(400);
  });
});

describe('staff follow a mismatch to resolution', () => {
  it('open → explained → resolved, audited; no step back; an auditor only reads', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/fund/reconciliations?status=open', headers: as('clerk') });
    expect(list.statusCode).toBe(200);
    const [open] = list.json().items;
    expect(open.requestId).toBe('DAY-2');
    const follow = (u: string, status: string, note: string) =>
      app.inject({ method: 'POST', url: `/api/v1/fund/reconciliations/${open.id}/follow-up`, headers: as(u), payload: { status, note } });
    expect((await follow('auditor', 'explained', 'x')).statusCode).toBe(403);
    expect((await follow('clerk', 'explained', '  ')).statusCode).toBe(400);
    const explained = await follow('clerk', 'explained', 'R-C settled after the HIS closed its day');
    expect(explained.json()).toMatchObject({ status: 'explained', followedBy: 'staff:clerk' });
    expect((await follow('clerk', 'resolved', 'the HIS re-sent its day')).json().status).toBe('resolved');
    expect((await follow('clerk', 'explained', 'again')).statusCode).toBe(409);
    const audits = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'reconciliation.follow_up' AND entity_id = $1", [String(open.id)]);
    expect(audits).toHaveLength(2);
  });
});

describe('OpenAPI', () => {
  it('documents every fund path with its request schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/reconciliations', '/api/v1/reconciliations/statement', '/api/v1/fund/reconciliations/{id}/follow-up', '/api/v1/fund/clearings',
      '/api/v1/fund/clearings/year-end', '/api/v1/clearings/{id}/statement', '/api/v1/fund/bank-batches', '/api/v1/fund/payouts',
      '/api/v1/fund/payouts/{id}/approve', '/api/v1/fund/ledger/verify',
    ]));
    expect(doc.paths['/api/v1/reconciliations'].post.requestBody.content['application/json'].schema.required).toEqual(['requestId', 'from', 'to', 'totals']);
  });
});
