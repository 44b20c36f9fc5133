/**
 * The hospital API end to end on a real database (PGlite here, PostgreSQL in CI):
 * settle, retry, reverse, scoping, bad input, concurrency, to the fen.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import { insertFiling } from '../src/store/repositories/out-of-area-filings.ts';
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

const auth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });

function bill(idNumber: string, total: number, compliant: number, extra: Record<string, unknown> = {}) {
  return { patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total, compliant }, ...extra };
}

async function counts() {
  const [row] = await t.db.query<{ s: number; a: number; v: number; acc: number }>(
    `SELECT (SELECT count(*)::int FROM settlements) AS s, (SELECT count(*)::int FROM audit_log) AS a,
            (SELECT count(*)::int FROM visits) AS v, (SELECT count(*)::int FROM accumulators WHERE basic > 0) AS acc`,
  );
  return row!;
}

describe('service basics', () => {
  it('answers /healthz when the database is reachable', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ok');
  });

  it('serves the OpenAPI document and a docs page', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/settlements', '/api/v1/pre-settlements', '/api/v1/identify']));
    expect(doc.paths['/api/v1/settlements'].post.requestBody.content['application/json'].schema.required).toContain('transactionId');
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/v1/settlements/{transactionId}/reversal');
  });
});

describe('identify', () => {
  it('finds a patient by ID number and by QR token, ID number masked', async () => {
    const byId = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(), payload: { patient: { idNumber: f.poor.idNumber }, year: 2025 } });
    expect(byId.statusCode).toBe(200);
    const body = byId.json();
    expect(body.personId).toBe(f.poor.id);
    expect(body.enrolled).toBe(true);
    expect(body.idNumber).toBe(`${f.poor.idNumber.slice(0, 6)}********${f.poor.idNumber.slice(-4)}`);
    expect(body.identities.map((i: { identity: string }) => i.identity)).toEqual(['minimum_living']);
    const byQr = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(), payload: { patient: { qrToken: f.poor.qrToken }, year: 2025 } });
    expect(byQr.json().personId).toBe(f.poor.id);
  });

  it('rejects an ID number whose check digit is wrong', async () => {
    const wrong = f.poor.idNumber.slice(0, 17) + (f.poor.idNumber[17] === '1' ? '2' : '1');
    const res = await app.inject({ method: 'POST', url: '/api/v1/identify', headers: auth(), payload: { patient: { idNumber: wrong } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/check digit/);
  });
});

describe('pre-settle, settle, retry, reverse', () => {
  // dege-2025, county hospital level 2, inpatient: basic (800,000 − 30,000) × 85 % = 654,500;
  // left 145,500 < critical threshold 1,000,000 → 0; no identity → no assistance.
  // self-pay 145,500 + excluded 200,000 = 345,500.
  const expected = { basic: 654_500, critical: 0, assistance: 0, supplementary: 0, tilt: 0 };

  it('pre-settles with the real year-to-date and writes nothing', async () => {
    const before = await counts();
    const res = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(), payload: bill(f.plain.idNumber, 1_000_000, 800_000) });
    expect(res.statusCode).toBe(200);
    expect(res.json().funds).toEqual(expected);
    expect(res.json().selfPay).toBe(345_500);
    expect(await counts()).toEqual(before);
  });

  it('settles once; a retry returns the first result; a changed retry is refused', async () => {
    const payload = { ...bill(f.plain.idNumber, 1_000_000, 800_000), transactionId: 'T-1' };
    const first = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(first.statusCode).toBe(201);
    expect(first.json().funds).toEqual(expected);
    expect(first.json().selfPay).toBe(345_500);
    expect(first.json().steps[0]).toMatchObject({ fund: 'basic', base: 770_000, ratio: 8_500, deductible: 30_000, amount: 654_500 });

    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    expect(retry.json().replayed).toBe(true);

    const changed = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: { ...payload, amounts: { total: 1_000_000, compliant: 900_000 } } });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_CONFLICT');

    const ytd = await readYearToDate(t.db, f.plain.id, 2025);
    expect(ytd).toMatchObject({ basic: 654_500, criticalBase: 145_500, critical: 0, selfPay: 345_500 });
  });

  it('reverses exactly, once; a retried reversal returns the same; another is refused', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements/T-1/reversal', headers: auth(), payload: { reversalId: 'R-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('reversed');
    const ytd = await readYearToDate(t.db, f.plain.id, 2025);
    expect(Object.values(ytd).every((v) => v === 0)).toBe(true);

    const again = await app.inject({ method: 'POST', url: '/api/v1/settlements/T-1/reversal', headers: auth(), payload: { reversalId: 'R-1' } });
    expect(again.statusCode).toBe(200);
    const other = await app.inject({ method: 'POST', url: '/api/v1/settlements/T-1/reversal', headers: auth(), payload: { reversalId: 'R-2' } });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('ALREADY_REVERSED');
    expect(Object.values(await readYearToDate(t.db, f.plain.id, 2025)).every((v) => v === 0)).toBe(true);
  });

  it('audits settlements and reversals without personal data', async () => {
    const rows = await t.db.query<{ action: string; actor: string; detail: unknown }>(`SELECT action, actor, detail FROM audit_log ORDER BY id`);
    // The patient look-ups before them are audited too (facility, person id, purpose).
    const settled = rows.filter((r) => r.action.startsWith('settlement.'));
    expect(settled.map((r) => r.action)).toEqual(['settlement.create', 'settlement.reverse']);
    expect(settled[0]!.actor).toBe('facility:H51333000001');
    expect(rows.filter((r) => !r.action.startsWith('settlement.')).every((r) => r.action === 'patient.identify')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(f.plain.idNumber);
    expect(JSON.stringify(rows)).not.toContain('测试');
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, () => { payload: unknown; headers?: Record<string, string> }, number, string][] = [
    ['no API key', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), transactionId: 'B-1' }, headers: {} }), 401, 'API_KEY_REQUIRED'],
    ['a wrong API key', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), transactionId: 'B-2' }, headers: auth('sb_nope') }), 401, 'INVALID_API_KEY'],
    ['an unknown person', () => ({ payload: { ...bill('11010519491231002X', 100, 100), transactionId: 'B-3' } }), 404, 'UNKNOWN_PERSON'],
    ['a person not enrolled', () => ({ payload: { ...bill(f.pending.idNumber, 100, 100), transactionId: 'B-4' } }), 422, 'NOT_ENROLLED'],
    ['an amount as a string', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), amounts: { total: '100', compliant: 100 }, transactionId: 'B-5' } }), 400, 'INVALID_INPUT'],
    ['a negative amount', () => ({ payload: { ...bill(f.plain.idNumber, -100, 0), transactionId: 'B-6' } }), 400, 'INVALID_INPUT'],
    ['fractional fen', () => ({ payload: { ...bill(f.plain.idNumber, 100.5, 100), transactionId: 'B-7' } }), 400, 'INVALID_INPUT'],
    ['compliant above total', () => ({ payload: { ...bill(f.plain.idNumber, 100, 200), transactionId: 'B-8' } }), 400, 'INVALID_INPUT'],
    ['a date outside every policy', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), visit: { kind: 'inpatient', date: '2026-03-01' }, transactionId: 'B-9' } }), 422, 'NOT_ENROLLED'],
    ['an impossible date', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), visit: { kind: 'inpatient', date: '2025-02-30' }, transactionId: 'B-10' } }), 400, 'INVALID_INPUT'],
    ['a chronic visit without class', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), visit: { kind: 'chronic', date: '2025-02-03' }, transactionId: 'B-11' } }), 400, 'INVALID_INPUT'],
    ['a bad transaction id', () => ({ payload: { ...bill(f.plain.idNumber, 100, 100), transactionId: 'has spaces' } }), 400, 'INVALID_INPUT'],
  ];
  for (const [name, make, status, code] of cases) {
    it(`refuses ${name} with ${status} ${code}`, async () => {
      const before = await counts();
      const { payload, headers } = make();
      const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: headers ?? auth(), payload: payload as object });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses malformed JSON with 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"transactionId": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBeTruthy();
  });

  it('refuses reversing an unknown settlement with 404', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements/NOPE/reversal', headers: auth(), payload: { reversalId: 'R-9' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('UNKNOWN_SETTLEMENT');
  });
});

describe('scoping, out of area, alerts', () => {
  it('lets a facility see only its own settlements', async () => {
    const payload = { ...bill(f.poor.idNumber, 50_000, 50_000), transactionId: 'S-1' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload })).statusCode).toBe(201);
    const fromClinic = await app.inject({ method: 'GET', url: '/api/v1/settlements/S-1', headers: auth(KEYS.clinic) });
    expect(fromClinic.statusCode).toBe(404);
    const list = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${f.poor.id}&year=2025`, headers: auth(KEYS.clinic) });
    expect(list.json().items).toEqual([]);
    const own = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${f.poor.id}&year=2025`, headers: auth() });
    expect(own.json().items.map((s: { transactionId: string }) => s.transactionId)).toEqual(['S-1']);
  });

  it('settles out of area at the Lhasa hospital with the unfiled penalty', async () => {
    // Level 3: deductible 60,000; ratio 75 % − 20 points = 55 %: (800,000 − 60,000) × 55 % = 407,000.
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(KEYS.lhasa), payload: { ...bill(f.extreme.idNumber, 800_000, 800_000), transactionId: 'L-1' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().funds.basic).toBe(407_000);
    expect(res.json().steps[0].ratio).toBe(5_500);
    // The hospital cannot claim a filing: the record decides. With one on file: 75 % − 5 = 70 %: 740,000 × 70 % = 518,000.
    const claimed = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(KEYS.lhasa), payload: bill(f.extreme.idNumber, 800_000, 800_000, { visit: { kind: 'inpatient', date: '2025-06-02', filed: true } }) });
    expect(claimed.statusCode).toBe(400);
    await insertFiling(t.db, {
      personId: f.extreme.id, insuredDivision: '513330001001', treatmentPlace: '拉萨市', treatmentDivision: '540100',
      reason: 'referral', validFrom: '2025-06-01', validTo: '2025-08-31', channel: 'window', createdBy: 'staff:test',
    });
    const filed = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(KEYS.lhasa), payload: bill(f.extreme.idNumber, 800_000, 800_000, { visit: { kind: 'inpatient', date: '2025-06-02' } }) });
    expect(filed.json().funds.basic).toBe(518_000);
    const settled = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(KEYS.lhasa), payload: { ...bill(f.extreme.idNumber, 800_000, 800_000, { visit: { kind: 'inpatient', date: '2025-06-03' } }), transactionId: 'L-2' } });
    expect(settled.json().funds.basic).toBe(518_000);
    // Outside the filing's period the unfiled ratio applies again.
    const later = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(KEYS.lhasa), payload: bill(f.extreme.idNumber, 800_000, 800_000, { visit: { kind: 'inpatient', date: '2025-09-01' } }) });
    expect(later.json().funds.basic).toBe(407_000);
  });

  it('raises an alert once, in the settlement transaction, routed to rural revitalization', async () => {
    // dege-2025 threshold for poverty_alleviated: 10,500 yuan = 1,050,000 fen. Excluded 1,100,000 alone crosses it.
    const payload = { ...bill(f.alleviated.idNumber, 1_100_000, 0), transactionId: 'A-1' };
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(res.statusCode).toBe(201);
    expect(res.json().alerts).toEqual([
      expect.objectContaining({ threshold: 'alleviated_half_rural', risk: 'falling_back', departments: ['rural_revitalization', 'county_bureau'], yearlySelfPay: 1_100_000 }),
    ]);
    await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: { ...payload, transactionId: 'A-2' } });
    const alerts = await t.db.query<{ threshold_id: string }>('SELECT threshold_id FROM alerts WHERE person_id = $1', [f.alleviated.id]);
    expect(alerts.map((a) => a.threshold_id).sort()).toEqual(['alleviated_half_rural']);
  });
});

describe('concurrency', () => {
  it('serializes 50 concurrent settles of one person and answers 50 retries with one settlement', async () => {
    const person = f.extreme;
    const distinct = Array.from({ length: 50 }, (_, i) => ({ ...bill(person.idNumber, 300_000 + i, 250_000), transactionId: `C-${i}` }));
    const retried = { ...bill(person.idNumber, 777_700, 700_000), transactionId: 'C-RETRY' };
    const responses = await Promise.all([
      ...distinct.map((payload) => app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload })),
      ...Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: retried })),
    ]);
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 200)).toBe(true);
    const retryIds = new Set(responses.slice(50).map((r) => r.json().id));
    expect(retryIds.size).toBe(1);
    expect(responses.filter((r) => r.statusCode === 201).length).toBe(51);

    // Every accumulator equals the sum of what the person's settled bills wrote, to the fen.
    const fund = (name: string) =>
      `(SELECT sum(sf.amount_fen)::bigint FROM settlement_funds sf JOIN settlements x ON x.id = sf.settlement_id
         WHERE x.person_id = $1 AND x.status = 'settled' AND sf.fund = '${name}') AS ${name}`;
    const [sums] = await t.db.query<{ n: number; self_pay: number; total: number; funds: number; basic: number; critical: number; assistance: number }>(
      `SELECT count(*)::int AS n, sum(self_pay)::bigint AS self_pay, sum(total_fen)::bigint AS total, sum(funds_fen)::bigint AS funds,
              ${fund('basic')}, ${fund('critical')}, ${fund('assistance')}
       FROM settlements WHERE person_id = $1 AND status = 'settled'`,
      [person.id],
    );
    const ytd = await readYearToDate(t.db, person.id, 2025);
    expect(sums!.n).toBe(53); // 50 + the retried one + the two Lhasa bills
    expect(sums!.funds + sums!.self_pay).toBe(sums!.total);
    expect(ytd.basic).toBe(sums!.basic);
    expect(ytd.critical).toBe(sums!.critical);
    expect(ytd.assistance).toBe(sums!.assistance);
    expect(ytd.selfPay).toBe(sums!.self_pay);
    // extreme_poverty: assistance 100 % of what is left after basic and critical, and
    // tilted critical has no cap, so the patient pays only the excluded part of each bill.
    const excluded = distinct.reduce((sum, p) => sum + p.amounts.total - p.amounts.compliant, 0) + (777_700 - 700_000);
    expect(sums!.self_pay).toBe(excluded);
  });
});
