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
import { buildApp } from '../src/api/app.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../src/domain/vocabulary.ts';
import { monitorCommand } from '../src/cli/monitor-command.ts';
import type { Io } from '../src/cli/io.ts';
import { runMonthly } from '../src/service/monitoring-run.ts';
import { insertIdentity } from '../src/store/repositories/persons.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { staffToken } from './support/monitoring.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const auth = { authorization: `Bearer ${KEYS.county}` };
const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
/** When the bill of day d was settled (or reversed): `lag` days later, which may be after the run's month, even in the next year. */
const at = (d: number, lag: number, seq: number) => new Date(Date.UTC(2025, 0, 1 + d + lag, 2, 0, seq));

type Event =
  | { kind: 'bill'; day: number; lag: number; total: number; compliant: number }
  | { kind: 'identity'; day: number; identity: Identity | null }
  | { kind: 'reverse'; day: number; lag: number; n: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ day: fc.integer({ min: 0, max: 364 }), lag: fc.integer({ min: 0, max: 40 }), compliant: fc.integer({ min: 0, max: 2_000_000 }), excluded: fc.integer({ min: 0, max: 800_000 }) })
      .map((b) => ({ kind: 'bill' as const, day: b.day, lag: b.lag, total: b.compliant + b.excluded, compliant: b.compliant })),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('identity' as const), day: fc.integer({ min: 1, max: 364 }), identity: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living', 'monitored') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), day: fc.integer({ min: 0, max: 364 }), lag: fc.integer({ min: 0, max: 40 }), n: fc.nat() }) },
);

interface Key { person_id: number; threshold_id: string; risk: string; departments: string[]; settlement_id: number | null }
const standing = (ids: number[]) =>
  t.db.query<Key & Record<string, unknown>>(
    `SELECT person_id::int, threshold_id, risk, departments, settlement_id::int FROM alerts
     WHERE person_id = ANY($1::bigint[]) AND withdrawn_at IS NULL ORDER BY person_id, threshold_id`,
    [ids],
  );

/** As if real time had missed them: no alert, case or push for these people. */
async function forget(ids: number[]): Promise<void> {
  await t.db.query(`DELETE FROM outbox WHERE case_id IN (SELECT id FROM monitoring_cases WHERE person_id = ANY($1::bigint[]))`, [ids]);
  await t.db.query(`DELETE FROM case_events WHERE case_id IN (SELECT id FROM monitoring_cases WHERE person_id = ANY($1::bigint[]))`, [ids]);
  await t.db.query(`DELETE FROM monitoring_cases WHERE person_id = ANY($1::bigint[])`, [ids]);
  await t.db.query(`DELETE FROM alerts WHERE person_id = ANY($1::bigint[])`, [ids]);
}

let run = 0;
let seq = 0;
/** A person's year through the API; each write is then dated when the event says (the test clock is later than 2025). */
async function liveYear(events: Event[], start: Identity | null): Promise<number> {
  run += 1;
  const p = await addEnrolledPerson(t.db, policies);
  if (start) await insertIdentity(t.db, { personId: p.id, identity: start, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[start] });
  const settled: { tx: string; when: Date }[] = [];
  let n = 0;
  // Settled in the order of the days, each at its own time: a person's bills are settled in id order and time order alike.
  let last = new Date(0);
  const later = (d: Date) => (last = d > last ? d : new Date(last.getTime() + 1000));
  for (const e of [...events].sort((a, b) => a.day - b.day)) {
    if (e.kind === 'identity') {
      await t.db.query(`UPDATE identities SET valid_to = $2::date - 1 WHERE person_id = $1 AND valid_to IS NULL AND valid_from < $2::date`, [p.id, day(e.day)]);
      if (e.identity) await insertIdentity(t.db, { personId: p.id, identity: e.identity, validFrom: day(e.day), department: ATTESTING_DEPARTMENT[e.identity] });
    } else if (e.kind === 'bill') {
      const tx = `INC${run}-${++n}`;
      const res = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: tx, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date: day(e.day) }, amounts: { total: e.total, compliant: e.compliant } },
      });
      expect(res.statusCode, res.body).toBe(201);
      const when = later(at(e.day, e.lag, ++seq % 60));
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [tx, when]);
      settled.push({ tx, when });
    } else if (settled.length > 0) {
      const [bill] = settled.splice(e.n % settled.length, 1);
      const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/${bill!.tx}/reversal`, headers: auth, payload: { reversalId: `${bill!.tx}-R` } });
      expect(res.statusCode, res.body).toBe(200);
      const when = later(at(e.day, e.lag, ++seq % 60));
      await t.db.query('UPDATE settlements SET reversed_at = $2 WHERE transaction_id = $1', [bill!.tx, when]);
      // The reversal's adjustments (the later bills settled again) are made when it is.
      await t.db.query(`UPDATE settlement_adjustments SET created_at = $2 WHERE person_id = $1 AND created_at > '2026-06-01'`, [p.id, when]);
    }
  }
  return p.id;
}

describe('incremental monitoring run', () => {
  it('runs in full the first time in a year, incrementally after, and in full when asked', async () => {
    const first = await runMonthly({ db: t.db, policies }, '2025-01', 'test');
    const second = await runMonthly({ db: t.db, policies }, '2025-02', 'test');
    const forced = await runMonthly({ db: t.db, policies }, '2025-02', 'test', { full: true });
    expect([first.mode, second.mode, forced.mode]).toEqual(['full', 'incremental', 'full']);
    const rows = await t.db.query<{ month: string; mode: string }>(`SELECT month, mode FROM monitoring_runs WHERE month IN ('2025-01', '2025-02') ORDER BY month`);
    expect(rows).toEqual([{ month: '2025-01', mode: 'full' }, { month: '2025-02', mode: 'full' }]);

    // The same from the CLI (--full) and the API (full: true); the mode is in the answer.
    const out: string[] = [];
    const io: Io = { stdin: async () => '', out: (line) => out.push(line), err: () => {} };
    expect(await monitorCommand(io, ['run', '--month', '2025-02'], undefined, { db: t.db, policies })).toBe(0);
    expect(await monitorCommand(io, ['run', '--month', '2025-02', '--full'], undefined, { db: t.db, policies })).toBe(0);
    expect(out.map((o) => JSON.parse(o).mode)).toEqual(['incremental', 'full']);
    const admin = await staffToken(app, 'admin');
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: admin, payload: { month: '2025-02', full: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mode).toBe('full');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: admin, payload: { month: '2025-02', full: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('full');
  });

  it('raises the same alerts and counts the same people as a full recompute, over random years and cut-offs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ start: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living'), events: fc.array(eventArb, { minLength: 1, maxLength: 9 }) }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 3, max: 12 }),
        async (people, m) => {
          const month = `2025-${String(m).padStart(2, '0')}`;
          const ids: number[] = [];
          for (const person of people) ids.push(await liveYear(person.events, person.start));

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
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth,
      payload: { transactionId: `ID-${p.id}`, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date: '2025-05-02' }, amounts: { total: 1_500_000, compliant: 100_000 } },
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.db.query(`UPDATE settlements SET settled_at = '2025-05-02T02:00:00Z' WHERE transaction_id = $1`, [`ID-${p.id}`]);
    const [ytd] = await t.db.query<{ self_pay: string }>('SELECT self_pay::text FROM accumulators WHERE person_id = $1 AND year = 2025', [p.id]);
    expect(Number(ytd!.self_pay)).toBeGreaterThan(1_050_000);
    expect(Number(ytd!.self_pay)).toBeLessThan(3_400_000);
    await forget([p.id]);
    const run = await runMonthly({ db: t.db, policies }, '2025-05', 'test');
    expect(run.mode).toBe('incremental');
    expect((await standing([p.id])).map((a) => [a.threshold_id, a.risk])).toEqual([['alleviated_half_rural', 'falling_back']]);
  });

  it('counts a bill reversed after the cut-off in the month it was settled (the year-to-date no longer does)', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    for (const [i, date] of [[1, '2025-06-02'], [2, '2025-06-20']] as const) {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: `REV-${p.id}-${i}`, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date }, amounts: { total: 3_000_000, compliant: 1_000_000 } },
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [`REV-${p.id}-${i}`, `${date}T02:00:00Z`]);
    }
    // The first bill is reversed on 3 July: the second is settled again (adjusted) then, and the year-to-date drops below 34,000 yuan.
    const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/REV-${p.id}-1/reversal`, headers: auth, payload: { reversalId: `REV-${p.id}-1-R` } });
    expect(res.statusCode, res.body).toBe(200);
    await t.db.query(`UPDATE settlements SET reversed_at = '2025-07-03T02:00:00Z' WHERE transaction_id = $1`, [`REV-${p.id}-1`]);
    await t.db.query(`UPDATE settlement_adjustments SET created_at = '2025-07-03T02:00:00Z' WHERE person_id = $1`, [p.id]);
    const [ytd] = await t.db.query<{ self_pay: string }>('SELECT self_pay::text FROM accumulators WHERE person_id = $1 AND year = 2025', [p.id]);
    expect(Number(ytd!.self_pay)).toBeLessThan(3_400_000);
    await forget([p.id]);

    // June, run in July: both bills stood at the end of June, the second crossed 34,000 yuan.
    expect((await runMonthly({ db: t.db, policies }, '2025-06', 'test')).mode).toBe('incremental');
    const june = await standing([p.id]);
    const [second] = await t.db.query<{ id: number }>('SELECT id::int FROM settlements WHERE transaction_id = $1', [`REV-${p.id}-2`]);
    expect(june.map((a) => [a.threshold_id, a.settlement_id])).toEqual([['region_income', second!.id]]);
    await forget([p.id]);
    await runMonthly({ db: t.db, policies }, '2025-06', 'test', { full: true });
    expect(await standing([p.id])).toEqual(june);
  }, 60_000);

  it('counts a bill as it stood at the cut-off when a correction after it lowers its self-pay (补付 made after the month)', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    // Two bills of about 23,000 yuan self-pay each in August: the second takes the year above 34,000 yuan.
    for (const [i, date] of [[1, '2025-08-02'], [2, '2025-08-20']] as const) {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: `COR-${p.id}-${i}`, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date }, amounts: { total: 3_000_000, compliant: 1_000_000 } },
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [`COR-${p.id}-${i}`, `${date}T02:00:00Z`]);
    }
    // On 4 September the second bill is corrected to almost nothing outside the policy: its self-pay drops, and the year-to-date below 34,000 yuan.
    const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/COR-${p.id}-2/correction`, headers: auth, payload: { correctionId: `COR-${p.id}-2-C`, amounts: { total: 1_000_000, compliant: 1_000_000 } } });
    expect(res.statusCode, res.body).toBe(201);
    await t.db.query(`UPDATE settlement_adjustments SET created_at = '2025-09-04T02:00:00Z' WHERE person_id = $1`, [p.id]);
    const [adj] = await t.db.query<{ self_pay: string }>('SELECT sum(self_pay_fen)::text AS self_pay FROM settlement_adjustments WHERE person_id = $1', [p.id]);
    expect(Number(adj!.self_pay)).toBeLessThan(0);
    const [ytd] = await t.db.query<{ self_pay: string }>('SELECT self_pay::text FROM accumulators WHERE person_id = $1 AND year = 2025', [p.id]);
    expect(Number(ytd!.self_pay)).toBeLessThan(3_400_000);
    await forget([p.id]);
    await runMonthly({ db: t.db, policies }, '2025-01', 'test'); // a run of the year before (this test alone too): August's is incremental

    // August, run in September: the second bill stood uncorrected at the end of August and crossed 34,000 yuan.
    expect((await runMonthly({ db: t.db, policies }, '2025-08', 'test')).mode).toBe('incremental');
    const august = await standing([p.id]);
    const [second] = await t.db.query<{ id: number }>('SELECT id::int FROM settlements WHERE transaction_id = $1', [`COR-${p.id}-2`]);
    expect(august.map((a) => [a.threshold_id, a.settlement_id])).toEqual([['region_income', second!.id]]);
    await forget([p.id]);
    await runMonthly({ db: t.db, policies }, '2025-08', 'test', { full: true });
    expect(await standing([p.id])).toEqual(august);
  }, 60_000);

  it('keeps the cut-off the year-to-date does not: a bill settled after the month counts in the next month only', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    // Two bills of about 23,000 yuan self-pay each: the second, of 30 March but settled on 2 April, takes the year above 34,000 yuan.
    for (const [i, date, settledAt] of [[1, '2025-03-02', '2025-03-02T02:00:00Z'], [2, '2025-03-30', '2025-04-02T02:00:00Z']] as const) {
      const res = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: `LATE-${p.id}-${i}`, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date }, amounts: { total: 3_000_000, compliant: 1_000_000 } },
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [`LATE-${p.id}-${i}`, settledAt]);
    }
    const [ytd] = await t.db.query<{ self_pay: string }>('SELECT self_pay::text FROM accumulators WHERE person_id = $1 AND year = 2025', [p.id]);
    expect(Number(ytd!.self_pay)).toBeGreaterThan(3_400_000);
    await forget([p.id]);

    const march = await runMonthly({ db: t.db, policies }, '2025-03', 'test');
    expect(march.mode).toBe('incremental');
    expect(await standing([p.id])).toEqual([]);

    await runMonthly({ db: t.db, policies }, '2025-04', 'test');
    const [second] = await t.db.query<{ id: number }>('SELECT id::int FROM settlements WHERE transaction_id = $1', [`LATE-${p.id}-2`]);
    const april = await standing([p.id]);
    expect(april).toEqual([{ person_id: p.id, threshold_id: 'region_income', risk: 'becoming_poor', departments: expect.any(Array), settlement_id: second!.id }]);
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
    const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/GONE-${gone.id}/reversal`, headers: auth, payload: { reversalId: `GONE-${gone.id}-R` } });
    expect(res.statusCode, res.body).toBe(200);
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
