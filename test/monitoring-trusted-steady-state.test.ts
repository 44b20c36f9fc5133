/**
 * The monthly run's steady state trusting real time (issue 18). Each process
 * that settles records the thresholds it judges a year's bills with, once per
 * process and year; where every set recorded for the year is the run's own
 * (and the year is not marked untrusted), a run after the year's first reads
 * only the people with a reversal, an adjustment, an identity or their record
 * changed since the run before — the bills settled since were judged by real
 * time — and raises what a full recompute raises. Thresholds recorded by a
 * process judging with others make the run read everyone changed, as before.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { monitorCommand } from '../src/cli/monitor-command.ts';
import { PolicyRegistry } from '../src/domain/policy/registry.ts';
import type { Policy } from '../src/domain/policy/types.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../src/domain/vocabulary.ts';
import { runMonthly, runWindow } from '../src/service/monitoring-run.ts';
import { realtimeThresholdsRecorded } from '../src/service/realtime-thresholds.ts';
import { settleBatch } from '../src/service/settle-batch.ts';
import { settleBill } from '../src/service/settlement-service.ts';
import type { Db } from '../src/store/db.ts';
import { findFacilityByCode } from '../src/store/repositories/facilities.ts';
import { insertIdentity } from '../src/store/repositories/persons.ts';
import { memoryIo } from './support/cli.ts';
import { CODES } from './support/fixture.ts';
import type { TestDb } from './support/db.ts';
import { hospitalAuth, hospitalReverse, hospitalSettle } from './support/hospital.ts';
import { forgetAlerts, standingAlerts } from './support/monitoring.ts';
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

const run = (month: string, full = false) => runMonthly({ db: t.db, policies }, month, 'test', { full });
const month = (m: number) => `2025-${String(m).padStart(2, '0')}`;
const noRunsYet = () => t.db.query(`DELETE FROM monitoring_runs WHERE month LIKE '2025-%'`);
const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + Math.max(0, Math.min(364, d)))).toISOString().slice(0, 10);

/** What happens to a person, at `at` (a day of 2025, or past it into 2026: the moment it is done). */
type Change =
  /** A bill of the visit `back` days before it is settled. */
  | { kind: 'bill'; at: number; back: number; total: number; compliant: number }
  /** One of the bills settled so far reversed. */
  | { kind: 'reverse'; at: number; n: number }
  /** One of the bills settled so far corrected to new amounts (its adjustments and the later bills'). */
  | { kind: 'correct'; at: number; n: number; total: number; compliant: number }
  /** An identity attested, valid from `back` days before (earlier bills settled without it). */
  | { kind: 'attest'; at: number; back: number; identity: Identity };

const amounts = fc.record({ compliant: fc.integer({ min: 0, max: 3_000_000 }), excluded: fc.integer({ min: 0, max: 1_500_000 }) })
  .map((a) => ({ total: a.compliant + a.excluded, compliant: a.compliant }));
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ at: fc.integer({ min: 0, max: 400 }), back: fc.integer({ min: 0, max: 30 }), a: amounts }).map((b) => ({ kind: 'bill' as const, at: b.at, back: b.back, ...b.a })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), at: fc.integer({ min: 0, max: 400 }), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ at: fc.integer({ min: 0, max: 400 }), n: fc.nat(), a: amounts }).map((c) => ({ kind: 'correct' as const, at: c.at, n: c.n, ...c.a })) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('attest' as const), at: fc.integer({ min: 1, max: 400 }), back: fc.integer({ min: 0, max: 200 }), identity: fc.constantFrom<Identity>('poverty_alleviated', 'monitored') }),
  },
);
/** People and their years: what happens to them, whether they moved to Lhasa after it all (and when), their identity from the start. */
const peopleArb = fc.array(
  fc.record({
    start: fc.constantFrom<Identity | null>(null, 'poverty_alleviated'),
    changes: fc.array(changeArb, { minLength: 1, maxLength: 10 }),
    moved: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  }),
  { minLength: 2, maxLength: 5 },
);

let serial = 0;
/** Rows the API made just now (the test clock is later than every moment of the years lived here). */
const JUST_NOW = '2026-06-01';

/** A person's year as steps, each done at its moment (Beijing mornings, one after the other). */
interface Lived {
  id: number;
  steps: { at: Date; run(): Promise<void> }[];
}

/**
 * A person's year through the API as steps in the order of their moments, each stamped with its moment as real time
 * stamps it (settled_at, reversed_at, the adjustments' created_at, the identity's created_at, the record's updated_at):
 * real time judges each bill when it is settled, as it would have then. The steps are done by liveUntil, a run between
 * them seeing only what was done before it.
 */
async function planYear(person: { start: Identity | null; changes: Change[]; moved: number | null }): Promise<Lived> {
  const p = await addEnrolledPerson(t.db, policies);
  if (person.start) await insertIdentity(t.db, { personId: p.id, identity: person.start, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[person.start] });
  await t.db.query(`UPDATE identities SET created_at = '2024-01-01T00:00:00Z' WHERE person_id = $1`, [p.id]);
  await t.db.query(`UPDATE persons SET updated_at = '2024-06-01T00:00:00Z' WHERE id = $1`, [p.id]);
  let last = new Date(0);
  const momentOf = (at: number) => {
    const moment = new Date(Date.UTC(2025, 0, 1 + at, 2, 0, 0));
    last = moment > last ? moment : new Date(last.getTime() + 1000);
    return last;
  };
  const settled: string[] = [];
  const held = new Set<Identity>(person.start ? [person.start] : []);
  const steps: Lived['steps'] = [];
  // The year-to-date is updated when a bill is settled, reversed or corrected.
  const touched = (when: Date) => t.db.query('UPDATE accumulators SET updated_at = $2 WHERE person_id = $1', [p.id, when]);
  for (const c of [...person.changes].sort((a, b) => a.at - b.at)) {
    const when = momentOf(c.at);
    if (c.kind === 'bill') {
      const tx = `TR${p.id}-${++serial}`;
      settled.push(tx);
      steps.push({ at: when, run: async () => {
        await hospitalSettle(app, { transactionId: tx, idNumber: p.idNumber, date: day(c.at - c.back), total: c.total, compliant: c.compliant });
        await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [tx, when]);
        await touched(when);
      } });
    } else if (c.kind === 'reverse') {
      if (settled.length === 0) continue;
      const [tx] = settled.splice(c.n % settled.length, 1);
      steps.push({ at: when, run: async () => {
        await hospitalReverse(app, tx!);
        await t.db.query('UPDATE settlements SET reversed_at = $2 WHERE transaction_id = $1', [tx, when]);
        await t.db.query('UPDATE settlement_adjustments SET created_at = $2 WHERE person_id = $1 AND created_at > $3', [p.id, when, JUST_NOW]);
        await touched(when);
      } });
    } else if (c.kind === 'correct') {
      if (settled.length === 0) continue;
      const tx = settled[c.n % settled.length]!;
      const correctionId = `C${++serial}`;
      steps.push({ at: when, run: async () => {
        const res = await app.inject({
          method: 'POST', url: `/api/v1/settlements/${tx}/correction`, headers: hospitalAuth(),
          payload: { correctionId, amounts: { total: c.total, compliant: c.compliant } },
        });
        expect(res.statusCode, res.body).toBeLessThan(300);
        await t.db.query('UPDATE settlement_adjustments SET created_at = $2 WHERE person_id = $1 AND created_at > $3', [p.id, when, JUST_NOW]);
        await touched(when);
      } });
    } else {
      if (held.has(c.identity)) continue;
      held.add(c.identity);
      steps.push({ at: when, run: async () => {
        await insertIdentity(t.db, { personId: p.id, identity: c.identity, validFrom: day(c.at - c.back), department: ATTESTING_DEPARTMENT[c.identity] });
        await t.db.query('UPDATE identities SET created_at = $2 WHERE person_id = $1 AND created_at > $3', [p.id, when, JUST_NOW]);
      } });
    }
  }
  // Moved to Lhasa after it all (no bill settled since): Lhasa's thresholds apply to the whole year.
  if (person.moved !== null) {
    const when = momentOf(Math.max(...person.changes.map((c) => c.at)) + person.moved);
    steps.push({ at: when, run: async () => void (await t.db.query(`UPDATE persons SET division_code = '540102', updated_at = $2 WHERE id = $1`, [p.id, when])) });
  }
  return { id: p.id, steps };
}

/** Does every step of these years before the instant (all of them without one), in order. */
async function liveUntil(years: Lived[], until: Date | null = null): Promise<void> {
  for (const year of years) {
    while (year.steps.length > 0 && (until === null || year.steps[0]!.at < until)) await year.steps.shift()!.run();
  }
}

/**
 * Since March's run (m1 = 3, m2 = 5): an identity attested in May back-dated to January (the February bill crossed
 * 10,500 yuan for the poverty-alleviated); a move to Lhasa in April (31,358 yuan there, passed in February); a bill
 * corrected in April and one reversed in April. Real time judged the first bills without the identity and with Dege's
 * thresholds (the run must read both people); the correction and the reversal it settled again itself.
 */
const CHANGED_SINCE: [{ start: Identity | null; changes: Change[]; moved: number | null }[], number, number] = [
  [
    {
      start: null,
      changes: [
        { kind: 'bill', at: 30, back: 2, total: 2_000_000, compliant: 1_000_000 },
        { kind: 'attest', at: 130, back: 125, identity: 'poverty_alleviated' },
      ],
      moved: null,
    },
    {
      start: null,
      changes: [
        { kind: 'bill', at: 20, back: 1, total: 2_000_000, compliant: 1_000_000 },
        { kind: 'bill', at: 30, back: 1, total: 2_000_000, compliant: 1_000_000 },
        { kind: 'bill', at: 40, back: 1, total: 1_400_000, compliant: 600_000 },
      ],
      moved: 60,
    },
    {
      start: 'poverty_alleviated',
      changes: [
        { kind: 'bill', at: 10, back: 5, total: 1_500_000, compliant: 500_000 },
        { kind: 'bill', at: 50, back: 5, total: 1_000_000, compliant: 500_000 },
        { kind: 'correct', at: 100, n: 0, total: 3_000_000, compliant: 500_000 },
        { kind: 'reverse', at: 110, n: 1 },
      ],
      moved: null,
    },
  ],
  3,
  2,
];

describe('the steady state trusting real time', () => {
  it('reads only the people whose change since the run before real time did not judge, and raises what a full recompute raises, over random years', async () => {
    let paths = 0;
    await fc.assert(
      fc.asyncProperty(peopleArb, fc.integer({ min: 1, max: 11 }), fc.integer({ min: 0, max: 11 }), async (people, m1, later) => {
        const m2 = Math.min(12, m1 + later);
        const years: Lived[] = [];
        for (const person of people) years.push(await planYear(person));
        const ids = years.map((y) => y.id);
        await noRunsYet();
        // The year's first run at its cut-off, over what was done by then; the next after everything.
        await liveUntil(years, runWindow(month(m1)).cutoff);
        const first = await run(month(m1));
        expect(first.path).toBe('first');
        await liveUntil(years);
        const steady = await run(month(m2));
        expect(steady.path).toBe('trusted');
        paths += 1;
        const raised = await standingAlerts(t.db, ids);

        // The full recompute of the same month over the same alerts finds nothing left to raise.
        const full = await run(month(m2), true);
        expect(await standingAlerts(t.db, ids)).toEqual(raised);
        expect(full.statistics.raisedByRun).toBe(0);
        expect(steady.statistics.persons).toBe(full.statistics.persons);
      }),
      { numRuns: 10, examples: [CHANGED_SINCE] },
    );
    expect(paths).toBeGreaterThan(0);
  }, 600_000);

  it('reads a person with an identity attested back-dated or a move since the run before, not one with bills only', async () => {
    const attested = await addEnrolledPerson(t.db, policies);
    const moved = await addEnrolledPerson(t.db, policies);
    const billsOnly = await addEnrolledPerson(t.db, policies);
    const ids = [attested.id, moved.id, billsOnly.id];
    const settle = async (p: { id: number; idNumber: string }, tx: string, date: string, total: number, compliant: number) => {
      await hospitalSettle(app, { transactionId: `${tx}-${p.id}`, idNumber: p.idNumber, date, total, compliant });
      await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [`${tx}-${p.id}`, `${date}T02:00:00Z`]);
    };
    // About 12,000 yuan of self-pay in February (over 10,500, the threshold of the poverty-alleviated): about 32,000 in all
    // for the one who moves (over Lhasa's 31,358, not Dege's 34,000).
    // (Each bill of 20,000 yuan with 10,000 compliant leaves about 11,800 yuan to the patient.)
    await settle(attested, 'A', '2025-02-03', 2_000_000, 1_000_000);
    await settle(moved, 'A', '2025-02-03', 2_000_000, 1_000_000);
    await settle(moved, 'B', '2025-02-10', 2_000_000, 1_000_000);
    await settle(moved, 'C', '2025-02-17', 1_400_000, 600_000);
    await settle(billsOnly, 'A', '2025-02-03', 2_000_000, 1_000_000);
    await t.db.query(`UPDATE accumulators SET updated_at = '2025-02-20T02:00:00Z' WHERE person_id = ANY($1::bigint[])`, [ids]);
    await t.db.query(`UPDATE persons SET updated_at = '2024-06-01T00:00:00Z' WHERE id = ANY($1::bigint[])`, [ids]);
    await noRunsYet();
    await run('2025-03');
    expect(await standingAlerts(t.db, ids)).toEqual([]);

    // Since March's run: poverty-alleviated from January, attested in April (the February bill crossed 10,500 yuan for them) …
    await insertIdentity(t.db, { personId: attested.id, identity: 'poverty_alleviated', validFrom: '2025-01-01', department: ATTESTING_DEPARTMENT.poverty_alleviated });
    await t.db.query(`UPDATE identities SET created_at = '2025-04-10T02:00:00Z' WHERE person_id = $1`, [attested.id]);
    // … moved to Lhasa in April (over 31,358 yuan since February) …
    await t.db.query(`UPDATE persons SET division_code = '540102', updated_at = '2025-04-10T02:00:00Z' WHERE id = $1`, [moved.id]);
    // … and a bill in April taking the third over 34,000 yuan, its alert (real time's) gone as nothing real does it.
    await settle(billsOnly, 'B', '2025-04-05', 3_500_000, 1_000_000);
    await t.db.query(`UPDATE accumulators SET updated_at = '2025-04-05T02:00:00Z' WHERE person_id = $1`, [billsOnly.id]);
    expect((await standingAlerts(t.db, [billsOnly.id])).map((a) => a.threshold_id)).toEqual(['region_income']);
    await forgetAlerts(t.db, [billsOnly.id], { markYear: false });

    const april = await run('2025-04');
    expect(april.path).toBe('trusted');
    const read = (await standingAlerts(t.db, ids)).map((a) => [a.person_id, a.threshold_id]);
    expect(read).toEqual([[attested.id, 'alleviated_half_rural'], [moved.id, 'region_income']]);
    // The operator says the year's alerts were touched outside real time: the run reads everyone changed, the third too.
    const cli = memoryIo();
    await expect(monitorCommand(cli.io, ['distrust', '--year', '2025'], undefined, { db: t.db, policies })).rejects.toThrow('--reason is required');
    await expect(monitorCommand(cli.io, ['distrust', '--year', '25', '--reason', 'x'], undefined, { db: t.db, policies })).rejects.toThrow('--year is required');
    expect(await t.db.query('SELECT year FROM monitoring_untrusted_years WHERE year = 2025')).toEqual([]);
    expect(await monitorCommand(cli.io, ['distrust', '--year', '2025', '--reason', 'alerts deleted by hand'], undefined, { db: t.db, policies })).toBe(0);
    expect(await monitorCommand(cli.io, ['distrust', '--year', '2025', '--reason', 'again'], undefined, { db: t.db, policies })).toBe(0);
    expect(cli.out.join('\n')).toMatch(/no longer trust[\s\S]*already marked/);
    expect(await t.db.query(`SELECT entity_id, detail->>'reason' AS reason FROM audit_log WHERE action = 'monitoring.distrust'`)).toEqual([{ entity_id: '2025', reason: 'alerts deleted by hand' }]);
    // (April's run done again as if the mark had come before it: March's run is the run before.)
    await t.db.query(`DELETE FROM monitoring_runs WHERE month = '2025-04'`);
    const distrusted = await run('2025-04');
    expect(distrusted.path).toBe('changed');
    expect((await standingAlerts(t.db, ids)).map((a) => [a.person_id, a.threshold_id])).toEqual([...read, [billsOnly.id, 'region_income']]);
    await t.db.query('DELETE FROM monitoring_untrusted_years WHERE year = 2025');
    // Read in full, nothing more: only the trust had left the third unread.
    await run('2025-04', true);
    expect((await standingAlerts(t.db, ids)).map((a) => [a.person_id, a.threshold_id])).toEqual([...read, [billsOnly.id, 'region_income']]);
  }, 120_000);
});

describe('what real time records', () => {
  /** A Db counting the statements that name realtime_thresholds outside transactions (where the recording goes). */
  function counting(db: Db): { db: Db; count: () => number } {
    let n = 0;
    const wrapped: Db = {
      kind: db.kind,
      query: (sql, params) => {
        if (sql.includes('realtime_thresholds')) n += 1;
        return db.query(sql, params);
      },
      transaction: (fn) => db.transaction(fn),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    };
    return { db: wrapped, count: () => n };
  }

  it('records the thresholds once per process and year: one statement for many bills alone and in batches, again after a reload', async () => {
    await t.db.query('DELETE FROM realtime_thresholds');
    const facility = (await findFacilityByCode(t.db, CODES.county))!;
    const c = counting(t.db);
    const deps = { db: c.db, policies: loadFixturePolicies() };
    const people: { idNumber: string }[] = [];
    for (let i = 0; i < 6; i++) people.push(await addEnrolledPerson(t.db, policies));
    const bill = (p: { idNumber: string }, tx: string) => ({
      transactionId: tx, patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient' as const, date: '2025-05-01' }, amounts: { total: 100_000, compliant: 50_000 },
    });
    await settleBill(deps, facility, bill(people[0]!, 'ONCE-1'));
    await settleBill(deps, facility, bill(people[1]!, 'ONCE-2'));
    const batch = await settleBatch(deps, [2, 3, 4].map((i) => ({ facility, request: bill(people[i]!, `ONCE-${i + 1}`) })));
    expect(batch.every((r) => r.ok)).toBe(true);
    expect(c.count()).toBe(1);
    const rows = async () => (await t.db.query<{ year: number }>('SELECT year FROM realtime_thresholds ORDER BY year')).map((r) => r.year);
    expect(await rows()).toEqual([2025]);

    // Nothing is recorded again by this process: the row taken away stays away.
    await t.db.query('DELETE FROM realtime_thresholds');
    await settleBill(deps, facility, bill(people[5]!, 'ONCE-6'));
    expect(c.count()).toBe(1);
    expect(await rows()).toEqual([]);

    // A reload (a new registry) records again, once; another year once more.
    const reloaded = { db: c.db, policies: loadFixturePolicies() };
    await settleBill(reloaded, facility, bill(people[5]!, 'ONCE-7'));
    await settleBill(reloaded, facility, bill(people[4]!, 'ONCE-8'));
    await realtimeThresholdsRecorded(reloaded, 2024);
    await realtimeThresholdsRecorded(reloaded, 2024);
    expect(c.count()).toBe(3);
    expect(await rows()).toEqual([2024, 2025]);
  }, 60_000);

  it('makes the run read everyone changed when a process settled the year with other thresholds', async () => {
    // Another process settling with region_income at 50,000 yuan, not 34,000.
    const higher = new PolicyRegistry(policies.list().map((p): Policy => p.id !== 'dege-2025' ? p : {
      ...p,
      monitoring: { ...p.monitoring, thresholds: p.monitoring.thresholds.map((th) => (th.id === 'region_income' ? { ...th, amount: 5_000_000 } : th)) },
    }));
    const other = await buildApp({ db: t.db, policies: higher, logLevel: 'silent' });
    try {
      const p = await addEnrolledPerson(t.db, policies);
      await t.db.query(`UPDATE persons SET updated_at = '2024-06-01T00:00:00Z' WHERE id = $1`, [p.id]);
      await noRunsYet();
      await run('2025-03');
      // Settled in April by the other process: over 34,000 yuan, below its 50,000: it raised nothing.
      for (const [n, date] of [[1, '2025-04-02'], [2, '2025-04-20']] as const) {
        await hospitalSettle(other, { transactionId: `HI${n}-${p.id}`, idNumber: p.idNumber, date, total: 3_000_000, compliant: 1_000_000 });
        await t.db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [`HI${n}-${p.id}`, `${date}T02:00:00Z`]);
      }
      await t.db.query(`UPDATE accumulators SET updated_at = '2025-04-20T02:00:00Z' WHERE person_id = $1`, [p.id]);
      expect(await standingAlerts(t.db, [p.id])).toEqual([]);
      expect((await t.db.query('SELECT 1 FROM realtime_thresholds WHERE year = 2025')).length).toBe(2);

      const april = await run('2025-04');
      expect(april.path).toBe('changed');
      expect((await standingAlerts(t.db, [p.id])).map((a) => a.threshold_id)).toEqual(['region_income']);
    } finally {
      await other.close();
    }
  }, 60_000);
});
