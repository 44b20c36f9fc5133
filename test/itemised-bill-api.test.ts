/**
 * Itemised bills on the hospital API: the bureau prices each fee line against
 * the catalogue (class C full self-pay, class B self-pay-first, above the price
 * ceiling, compliant remainder) and settles their sum; bad lines are refused
 * with their index and nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ catalogues: ['reference'] });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());

const auth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });
const line = (code: string, quantity: number, unitPrice: number, date = '2025-06-01') => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date, department: '内科' });
const LINES = [
  line('XA10BAE054A001', 10, 150), // class A: all compliant
  line('XJ01DDC175B002', 4, 4_000, '2025-06-02'), // class B 10 %, ceiling 38.50 yuan
  line('T000700456', 5, 2_000), // class C
  line('001105000010000', 3, 3_000, '2025-06-03'), // bed day at its ceiling
];
const visit = { kind: 'inpatient', date: '2025-06-01', dischargeDate: '2025-06-03', diagnosis: 'J18.900' };

async function counts() {
  const [row] = await t.db.query<{ s: number; b: number; l: number }>(
    `SELECT (SELECT count(*)::int FROM settlements) AS s, (SELECT count(*)::int FROM settlement_bills) AS b, (SELECT count(*)::int FROM settlement_lines) AS l`,
  );
  return row!;
}

describe('itemised bills', () => {
  it('prices every line and settles their compliant sum, explained line by line', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth(),
      payload: { transactionId: 'IT-1', patient: { idNumber: f.plain.idNumber }, visit, lines: LINES },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.verification).toBe('itemised');
    expect(body.lines.map((l: Record<string, number>) => [l.index, l.amount, l.aboveCap, l.excluded, l.selfPayFirst, l.compliant, l.rule])).toEqual([
      [0, 1_500, 0, 0, 0, 1_500, 'line.class_a'],
      [1, 16_000, 600, 0, 1_540, 13_860, 'line.class_b.above_cap'],
      [2, 10_000, 0, 10_000, 0, 0, 'line.class_c'],
      [3, 9_000, 0, 0, 0, 9_000, 'line.class_a'],
    ]);
    expect(body.total).toBe(36_500);
    expect(body.compliant).toBe(24_360);
    expect(body.selfPayExcluded).toBe(36_500 - 24_360);
    // The same bill as two numbers settles to the same funds: the engine runs as before on the computed compliant amount.
    const pre = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: auth(),
      payload: { patient: { idNumber: f.poor.idNumber }, visit, amounts: { total: 36_500, compliant: 24_360 } },
    });
    const preLines = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(), payload: { patient: { idNumber: f.poor.idNumber }, visit, lines: LINES } });
    expect(preLines.json().funds).toEqual(pre.json().funds);
    expect(pre.json().verification).toBe('unverified');
    expect(preLines.json().verification).toBe('itemised');
    // Stored: a retry and a read give the same lines.
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: { transactionId: 'IT-1', patient: { idNumber: f.plain.idNumber }, visit, lines: LINES } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().lines.map((l: { compliant: number }) => l.compliant)).toEqual([1_500, 13_860, 0, 9_000]);
    const read = await app.inject({ method: 'GET', url: '/api/v1/settlements/IT-1', headers: auth() });
    expect(read.json()).toMatchObject({ verification: 'itemised', compliant: 24_360 });
    expect(read.json().lines[1]).toMatchObject({ code: 'XJ01DDC175B002', name: '注射用头孢曲松钠', class: 'B', aboveCap: 600, selfPayFirst: 1_540 });
  });

  it('a bill without lines keeps the hospital compliant amount, marked unverified', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth(),
      payload: { transactionId: 'IT-2', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-05' }, amounts: { total: 10_000, compliant: 9_000 } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ verification: 'unverified', lines: [], compliant: 9_000 });
  });

  it('applies a province’s additions only inside the province, and the scheme’s self-pay-first ratio', async () => {
    const tibetan = [line('ZZ540000010002', 2, 7_000)]; // 七十味珍珠丸, Tibet list, ceiling 68 yuan, B 10 %
    const lhasa = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(KEYS.lhasa), payload: { patient: { idNumber: f.plain.idNumber }, visit, lines: tibetan } });
    expect(lhasa.statusCode).toBe(200);
    expect(lhasa.json().lines[0]).toMatchObject({ aboveCap: 400, selfPayFirst: 1_360, compliant: 12_240 });
    const dege = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(), payload: { patient: { idNumber: f.plain.idNumber }, visit, lines: tibetan } });
    expect(dege.statusCode).toBe(400);
    expect(dege.json().error).toMatchObject({ code: 'UNKNOWN_ITEM', field: 'lines.0.code' });
  });

  it('uses the entry in force on the line date (the stent ceiling fell from 1,000 to 800 yuan in 2025)', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: auth(),
      payload: { patient: { idNumber: f.plain.idNumber }, visit: { ...visit, diagnosis: 'I25.1' }, lines: [line('C0201010020000', 1, 90_000)] },
    });
    expect(res.json().lines[0]).toMatchObject({ aboveCap: 10_000, selfPayFirst: 24_000, compliant: 56_000 });
  });

  const bad: [string, unknown[], Record<string, unknown>, string, string][] = [
    ['an unknown catalogue code', [LINES[0], line('NOPE-1', 1, 100)], {}, 'UNKNOWN_ITEM', 'lines.1.code'],
    ['a fractional quantity', [{ ...LINES[0], quantity: 1.5, amount: 225 }], {}, 'INVALID_INPUT', 'lines.0.quantity'],
    ['a zero quantity', [{ ...LINES[0], quantity: 0, amount: 0 }], {}, 'INVALID_INPUT', 'lines.0.quantity'],
    ['a price in yuan with decimals', [{ ...LINES[0], unitPrice: 1.5 }], {}, 'INVALID_INPUT', 'lines.0.unitPrice'],
    ['a price as a string', [{ ...LINES[0], unitPrice: '150' }], {}, 'INVALID_INPUT', 'lines.0.unitPrice'],
    ['a zero price', [{ ...LINES[0], unitPrice: 0, amount: 0 }], {}, 'INVALID_INPUT', 'lines.0.unitPrice'],
    ['an amount that is not quantity × price', [LINES[0], { ...LINES[1], amount: 15_999 }], {}, 'INVALID_LINE', 'lines.1.amount'],
    ['a line after discharge', [line('XA10BAE054A001', 1, 150, '2025-06-09')], {}, 'INVALID_LINE', 'lines.0.date'],
    ['a total that disagrees with the lines', LINES, { amounts: { total: 1, compliant: 1 } }, 'AMOUNTS_MISMATCH', 'amounts.total'],
    ['neither amounts nor lines', [], { lines: undefined }, 'INVALID_INPUT', 'amounts'],
  ];
  it.each(bad)('refuses %s with 400 naming the line, writing nothing', async (_what, lines, extra, code, field) => {
    const before = await counts();
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth(),
      payload: { transactionId: 'IT-BAD', patient: { idNumber: f.plain.idNumber }, visit, lines: lines.length ? lines : undefined, ...extra },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, field });
    expect(await counts()).toEqual(before);
  });
});
