/**
 * Incremental monitoring (issue 18): the monthly run that starts from the
 * year-to-date real time keeps raises exactly the alerts, and counts exactly
 * the people, that a full recompute over every settlement does. Random years
 * of bills, reversals and identity changes are settled through the API, with
 * settlement times spread over the year and past the run's month (bills
 * settled, reversed and re-adjudicated after the cut-off are the ones the
 * year-to-date counts and the run must not); real time's alerts are removed
 * (as if it had missed them), the month is run incrementally, the alerts are
 * removed again and the month is run in full: same alerts, same crossing bills.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { monitorCommand } from '../src/cli/monitor-command.ts';
import { runMonthly } from '../src/service/monitoring-run.ts';
import { memoryIo } from './support/cli.ts';
import type { TestDb } from './support/db.ts';
import { hospitalAuth, hospitalReverse, hospitalSettle } from './support/hospital.ts';
import { forgetAlerts, standingAlerts } from './support/monitoring.ts';
import { liveYear, peopleArb } from './support/monitoring-years.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin'] });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const auth = hospitalAuth();

const standing = (ids: number[]) => standingAlerts(t.db, ids);
const forget = (ids: number[]) => forgetAlerts(t.db, ids);

/** A bill of 30,000 yuan, 10,000 of it compliant, settled through the API and dated `settledAt` (the test clock is later than 2025). */
async function settleAt(transactionId: string, idNumber: string, date: string, settledAt: string): Promise<void> {
  await hospitalSettle(app, { transactionId, idNumber, date, total: 3_000_000, compliant: 1_000_000 });
  await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [transactionId, settledAt]);
}

/** The person's self-pay of 2025 so far, in fen. */
const selfPayOf = async (personId: number) =>
  Number((await t.db.query<{ self_pay: string }>('SELECT self_pay::text FROM accumulators WHERE person_id = $1 AND year = 2025', [personId]))[0]!.self_pay);
const settlementIdOf = async (transactionId: string) =>
  (await t.db.query<{ id: number }>('SELECT id::int FROM settlements WHERE transaction_id = $1', [transactionId]))[0]!.id;

/** The month run incrementally raises region_income on the crossing bill alone; run again in full, exactly the same alerts. */
async function expectCrossingBothWays(personId: number, month: string, crossingTransactionId: string): Promise<void> {
  expect((await runMonthly({ db: t.db, policies }, month, 'test')).mode).toBe('incremental');
  const incremental = await standing([personId]);
  expect(incremental.map((a) => [a.threshold_id, a.settlement_id])).toEqual([['region_income', await settlementIdOf(crossingTransactionId)]]);
  await forget([personId]);
  await runMonthly({ db: t.db, policies }, month, 'test', { full: true });
  expect(await standing([personId])).toEqual(incremental);
}

describe('incremental monitoring run', () => {
  it('runs incrementally the first time in a year (no earlier state) and after, and in full when asked', async () => {
    const first = await runMonthly({ db: t.db, policies }, '2025-01', 'test');
    const second = await runMonthly({ db: t.db, policies }, '2025-02', 'test');
    const forced = await runMonthly({ db: t.db, policies }, '2025-02', 'test', { full: true });
    expect([first.mode, second.mode, forced.mode]).toEqual(['incremental', 'incremental', 'full']);
    const rows = await t.db.query<{ month: string; mode: string; cutoff: Date; read: boolean; thresholds: unknown[] }>(
      `SELECT month, mode, cutoff, read_at IS NOT NULL AS read, thresholds FROM monitoring_runs WHERE month IN ('2025-01', '2025-02') ORDER BY month`,
    );
    expect(rows.map((r) => [r.month, r.mode, r.cutoff.toISOString(), r.read, r.thresholds.length > 0])).toEqual([
      ['2025-01', 'incremental', '2025-01-31T16:00:00.000Z', true, true],
      ['2025-02', 'full', '2025-02-28T16:00:00.000Z', true, true],
    ]);

    // The same from the CLI (--full) and the API (full: true); the mode is in the answer.
    const { io, out } = memoryIo();
    expect(await monitorCommand(io, ['run', '--month', '2025-02'], undefined, { db: t.db, policies })).toBe(0);
    expect(await monitorCommand(io, ['run', '--month', '2025-02', '--full'], undefined, { db: t.db, policies })).toBe(0);
    expect(out.map((o) => JSON.parse(o).mode)).toEqual(['incremental', 'full']);
    // Which people the run read (docs/monitoring-run.md): a later run of the year changed or trusted, --full everyone.
    expect(out.map((o) => JSON.parse(o).path)).toEqual([expect.stringMatching(/^(changed|trusted)$/), 'full']);
    const admin = testApp.as('admin');
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: admin, payload: { month: '2025-02', full: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mode).toBe('full');
    expect(res.json().path).toBe('full');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: admin, payload: { month: '2025-02', full: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('full');
  });

  it('raises the same alerts and counts the same people as a full recompute, over random years and cut-offs', async () => {
    await fc.assert(
      fc.asyncProperty(
        peopleArb,
        fc.integer({ min: 3, max: 12 }),
        async (people, m) => {
          const month = `2025-${String(m).padStart(2, '0')}`;
          const ids: number[] = [];
          for (const person of people) ids.push(await liveYear(t.db, app, policies, person.events, person.start));

          await forget(ids);
          const incremental = await runMonthly({ db: t.db, policies }, month, 'test');
          expect(incremental.mode).toBe('incremental');
          const raisedIncrementally = await standing(ids);

          await forget(ids);
          const full = await runMonthly({ db: t.db, policies }, month, 'test', { full: true });
          expect(full.mode).toBe('full');
          expect(await standing(ids)).toEqual(raisedIncrementally);
          expect(incremental.statistics.persons).toBe(full.statistics.persons);
        },
      ),
      { numRuns: 7 },
    );
  }, 300_000); // a few dozen real transactions per run, on a shared machine

  it('finds a threshold restricted to identities below the one for everyone (10,500 yuan for the poverty-alleviated, 34,000 for all)', async () => {
    const p = await addEnrolledPerson(t.db, policies, ['poverty_alleviated']);
    await hospitalSettle(app, { transactionId: `ID-${p.id}`, idNumber: p.idNumber, date: '2025-05-02', total: 1_500_000, compliant: 100_000 });
    await t.db.query(`UPDATE settlements SET settled_at = '2025-05-02T02:00:00Z' WHERE transaction_id = $1`, [`ID-${p.id}`]);
    const selfPay = await selfPayOf(p.id);
    expect(selfPay).toBeGreaterThan(1_050_000);
    expect(selfPay).toBeLessThan(3_400_000);
    await forget([p.id]);
    const run = await runMonthly({ db: t.db, policies }, '2025-05', 'test');
    expect(run.mode).toBe('incremental');
    expect((await standing([p.id])).map((a) => [a.threshold_id, a.risk])).toEqual([['alleviated_half_rural', 'falling_back']]);
  });

  it('counts a bill reversed after the cut-off in the month it was settled (the year-to-date no longer does)', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    for (const [i, date] of [[1, '2025-06-02'], [2, '2025-06-20']] as const) {
      await settleAt(`REV-${p.id}-${i}`, p.idNumber, date, `${date}T02:00:00Z`);
    }
    // The first bill is reversed on 3 July: the second is settled again (adjusted) then, and the year-to-date drops below 34,000 yuan.
    await hospitalReverse(app, `REV-${p.id}-1`);
    await t.db.query(`UPDATE settlements SET reversed_at = '2025-07-03T02:00:00Z' WHERE transaction_id = $1`, [`REV-${p.id}-1`]);
    await t.db.query(`UPDATE settlement_adjustments SET created_at = '2025-07-03T02:00:00Z' WHERE person_id = $1`, [p.id]);
    expect(await selfPayOf(p.id)).toBeLessThan(3_400_000);
    await forget([p.id]);

    // June, run in July: both bills stood at the end of June, the second crossed 34,000 yuan.
    await expectCrossingBothWays(p.id, '2025-06', `REV-${p.id}-2`);
  }, 60_000);

  it('counts a bill as it stood at the cut-off when a correction after it lowers its self-pay (补付 made after the month)', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    // Two bills of about 23,000 yuan self-pay each in August: the second takes the year above 34,000 yuan.
    for (const [i, date] of [[1, '2025-08-02'], [2, '2025-08-20']] as const) {
      await settleAt(`COR-${p.id}-${i}`, p.idNumber, date, `${date}T02:00:00Z`);
    }
    // On 4 September the second bill is corrected to almost nothing outside the policy: its self-pay drops, and the year-to-date below 34,000 yuan.
    const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/COR-${p.id}-2/correction`, headers: auth, payload: { correctionId: `COR-${p.id}-2-C`, amounts: { total: 1_000_000, compliant: 1_000_000 } } });
    expect(res.statusCode, res.body).toBe(201);
    await t.db.query(`UPDATE settlement_adjustments SET created_at = '2025-09-04T02:00:00Z' WHERE person_id = $1`, [p.id]);
    const [adj] = await t.db.query<{ self_pay: string }>('SELECT sum(self_pay_fen)::text AS self_pay FROM settlement_adjustments WHERE person_id = $1', [p.id]);
    expect(Number(adj!.self_pay)).toBeLessThan(0);
    expect(await selfPayOf(p.id)).toBeLessThan(3_400_000);
    await forget([p.id]);
    await runMonthly({ db: t.db, policies }, '2025-01', 'test'); // a run of the year before (this test alone too): August's is incremental

    // August, run in September: the second bill stood uncorrected at the end of August and crossed 34,000 yuan.
    await expectCrossingBothWays(p.id, '2025-08', `COR-${p.id}-2`);
  }, 60_000);

  it('keeps the cut-off the year-to-date does not: a bill settled after the month counts in the next month only', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    // Two bills of about 23,000 yuan self-pay each: the second, of 30 March but settled on 2 April, takes the year above 34,000 yuan.
    for (const [i, date, settledAt] of [[1, '2025-03-02', '2025-03-02T02:00:00Z'], [2, '2025-03-30', '2025-04-02T02:00:00Z']] as const) {
      await settleAt(`LATE-${p.id}-${i}`, p.idNumber, date, settledAt);
    }
    expect(await selfPayOf(p.id)).toBeGreaterThan(3_400_000);
    await forget([p.id]);

    const march = await runMonthly({ db: t.db, policies }, '2025-03', 'test');
    expect(march.mode).toBe('incremental');
    expect(await standing([p.id])).toEqual([]);

    await runMonthly({ db: t.db, policies }, '2025-04', 'test');
    const april = await standing([p.id]);
    expect(april).toEqual([{ person_id: p.id, threshold_id: 'region_income', risk: 'becoming_poor', departments: expect.any(Array), settlement_id: await settlementIdOf(`LATE-${p.id}-2`) }]);
    await forget([p.id]);
    await runMonthly({ db: t.db, policies }, '2025-04', 'test', { full: true });
    expect(await standing([p.id])).toEqual(april);
  }, 60_000);
  it('counts a person whose only bill was reversed before the cut-off out, and one whose bills left no self-pay in (people read only when in doubt)', async () => {
    const bill = async (tx: string, idNumber: string, total: number, compliant: number, settledAt: string) => {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: tx, patient: { idNumber }, visit: { kind: 'outpatient', date: settledAt.slice(0, 10) }, amounts: { total, compliant } },
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [tx, settledAt]);
    };
    const persons = async (full: boolean) => (await runMonthly({ db: t.db, policies }, '2025-09', 'test', { full })).statistics.persons;
    await runMonthly({ db: t.db, policies }, '2025-08', 'test');
    const before = [await persons(false), await persons(true)];
    expect(before[0]).toBe(before[1]);
    // Gone: one bill in September, reversed on the 20th. Counted: one bill of nothing (no self-pay in the year-to-date).
    const gone = await addEnrolledPerson(t.db, policies);
    await bill(`GONE-${gone.id}`, gone.idNumber, 50_000, 40_000, '2025-09-10T02:00:00Z');
    await hospitalReverse(app, `GONE-${gone.id}`);
    await t.db.query(`UPDATE settlements SET reversed_at = '2025-09-20T02:00:00Z' WHERE transaction_id = $1`, [`GONE-${gone.id}`]);
    const nothing = await addEnrolledPerson(t.db, policies);
    await bill(`ZERO-${nothing.id}`, nothing.idNumber, 0, 0, '2025-09-11T02:00:00Z');
    const ytd = await t.db.query<{ person_id: number; self_pay: string }>(
      'SELECT person_id::int, self_pay::text FROM accumulators WHERE person_id = ANY($1::bigint[]) AND year = 2025 ORDER BY person_id',
      [[gone.id, nothing.id]],
    );
    expect(ytd.map((y) => [y.person_id, Number(y.self_pay)])).toEqual([[gone.id, 0], [nothing.id, 0]]);
    expect([await persons(false), await persons(true)]).toEqual([before[0]! + 1, before[0]! + 1]);
  }, 60_000);
});
