/**
 * How a settlement is stored (migration 202611272000, issue 18): steps in the
 * compact format, the year-to-date change with only what moved, a fund row only
 * for a fund that paid — and every reader shows what the first answer showed,
 * also for rows stored the old way; a reversal still restores every accumulator.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { hospitalAuth, hospitalReverse, hospitalSettle } from './support/hospital.ts';
import { loadFixturePolicies } from './support/policies.ts';
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

const auth = hospitalAuth();
const settle = (transactionId: string, idNumber: string, total: number) =>
  hospitalSettle(app, { transactionId, idNumber, date: '2025-06-01', total, compliant: Math.floor((total * 4) / 5) });

async function stored(id: number) {
  const [row] = await t.db.query<{ steps: string; ytd: Record<string, number>; funds: { fund: string; amount: number }[] }>(
    `SELECT s.steps::text AS steps, s.ytd_delta AS ytd,
       (SELECT coalesce(json_agg(json_build_object('fund', f.fund, 'amount', f.amount_fen) ORDER BY f.fund), '[]'::json) FROM settlement_funds f WHERE f.settlement_id = s.id) AS funds
     FROM settlements s WHERE s.id = $1`,
    [id],
  );
  return row!;
}

describe('a settlement as stored', () => {
  it('keeps its steps compactly, only the accumulators that moved, a row per paying fund — and shows them whole', async () => {
    const first = await settle('STORE-1', f.poor.idNumber, 6_000_000);
    const row = await stored(first.id);
    expect(row.steps.startsWith('[1,')).toBe(true);
    expect(row.steps.length * 2).toBeLessThan(JSON.stringify(first.steps).length);
    expect(Object.values(row.ytd).every((v) => Number(v) !== 0)).toBe(true);
    expect(Object.keys(row.ytd).length).toBeLessThan(11);
    const paying = Object.entries(first.funds as Record<string, number>).filter(([, v]) => v > 0);
    expect(paying.length).toBeGreaterThan(1);
    expect(row.funds.map((r) => [r.fund, Number(r.amount)])).toEqual(paying.sort(([a], [b]) => (a < b ? -1 : 1)));

    const read = (await app.inject({ method: 'GET', url: '/api/v1/settlements/STORE-1', headers: auth })).json();
    expect(read.steps).toEqual(first.steps);
    expect(read.funds).toEqual(first.funds);
    expect(Object.keys(read.funds).sort()).toEqual(['assistance', 'basic', 'critical', 'supplementary', 'tilt']);
    // The funds' steps, then the bill's (how the compliant amount came about: here the hospital's, unverified).
    expect(read.steps.map((s: { fund: string }) => s.fund)).toEqual(['basic', 'critical', 'assistance', 'supplementary', 'tilt', 'bill']);
    expect(read.steps.at(-1)).toMatchObject({ rule: 'bill.unverified', amount: read.compliant });
  });

  it('reads a row stored the old way (step objects, all eleven accumulators) the same', async () => {
    const first = await settle('STORE-2', f.plain.idNumber, 300_000);
    const ytd = { basic: 0, criticalBase: 0, critical: 0, assistance: 0, assistanceMajor: 0, supplementary: 0, tilt: 0, outpatientDeductibleUsed: 0, outpatientFund: 0, chronicFund: 0, selfPay: 0 };
    const [{ ytd_delta: compact }] = (await t.db.query<{ ytd_delta: Record<string, number> }>('SELECT ytd_delta FROM settlements WHERE id = $1', [first.id])) as [{ ytd_delta: Record<string, number> }];
    await t.db.query('UPDATE settlements SET steps = $2, ytd_delta = $3::jsonb WHERE id = $1', [first.id, JSON.stringify(first.steps), JSON.stringify({ ...ytd, ...compact })]);
    expect((await stored(first.id)).steps.startsWith('[{')).toBe(true);
    const read = (await app.inject({ method: 'GET', url: '/api/v1/settlements/STORE-2', headers: auth })).json();
    expect(read.steps).toEqual(first.steps);
    // The old row reverses as well as a new one.
    const before = await readYearToDate(t.db, f.plain.id, 2025);
    await hospitalReverse(app, 'STORE-2');
    const after = await readYearToDate(t.db, f.plain.id, 2025);
    for (const [k, v] of Object.entries({ ...ytd, ...compact })) expect(after[k as keyof typeof after]).toBe(before[k as keyof typeof before] - Number(v));
  });

  it('restores every accumulator on reversal from the compact change', async () => {
    const before = await readYearToDate(t.db, f.extreme.id, 2025);
    await settle('STORE-3', f.extreme.idNumber, 4_500_000);
    await settle('STORE-4', f.extreme.idNumber, 800_000);
    const middle = await readYearToDate(t.db, f.extreme.id, 2025);
    expect(middle).not.toEqual(before);
    for (const id of ['STORE-4', 'STORE-3']) await hospitalReverse(app, id);
    expect(await readYearToDate(t.db, f.extreme.id, 2025)).toEqual(before);
  });
});
