/**
 * One alert rule (issue 11): real-time alerts (raised by each settlement) and
 * the monthly run's SQL raise the same alerts for the same data. Random years
 * of settlements, reversals and identity changes are settled through the API;
 * the real-time alerts are kept aside, every alert is removed, and the monthly
 * run over the year must raise exactly them again: same person, threshold,
 * risk, departments and crossing bill.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../src/domain/vocabulary.ts';
import { runMonthly } from '../src/service/monitoring-run.ts';
import { insertIdentity } from '../src/store/repositories/persons.ts';
import type { TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { hospitalReverse, hospitalSettle } from './support/hospital.ts';
import { changeIdentity, forgetAlerts, standingAlerts } from './support/monitoring.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);

type Event =
  | { kind: 'bill'; day: number; total: number; compliant: number }
  | { kind: 'identity'; day: number; identity: Identity | null }
  | { kind: 'reverse'; day: number; n: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('bill' as const), day: fc.integer({ min: 0, max: 360 }), compliant: fc.integer({ min: 0, max: 3_000_000 }), excluded: fc.integer({ min: 0, max: 1_500_000 }) })
    .map((b) => ({ kind: 'bill' as const, day: b.day, total: b.compliant + b.excluded, compliant: b.compliant })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('identity' as const), day: fc.integer({ min: 1, max: 360 }), identity: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living', 'monitored') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), day: fc.integer({ min: 0, max: 360 }), n: fc.nat() }) },
);

const standing = (ids: number[]) => standingAlerts(t.db, ids);

let run = 0;
async function liveYear(events: Event[], start: Identity | null): Promise<number> {
  run += 1;
  const p = await addEnrolledPerson(t.db, policies);
  if (start) await insertIdentity(t.db, { personId: p.id, identity: start, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[start] });
  const settled: string[] = [];
  let n = 0;
  // An identity dated a day is recorded before that day's bills: one recorded after a bill of its own day would be
  // back-dated, which real time cannot have seen and the run rightly judges by (test/monitoring-trusted-steady-state covers those).
  const order = (e: Event) => e.day * 2 + (e.kind === 'identity' ? 0 : 1);
  for (const e of [...events].sort((a, b) => order(a) - order(b))) {
    if (e.kind === 'identity') {
      await changeIdentity(t.db, p.id, day(e.day), e.identity);
    } else if (e.kind === 'bill') {
      const tx = `AR${run}-${++n}`;
      await hospitalSettle(app, { transactionId: tx, idNumber: p.idNumber, date: day(e.day), total: e.total, compliant: e.compliant });
      settled.push(tx);
    } else if (settled.length > 0) {
      const [tx] = settled.splice(e.n % settled.length, 1);
      await hospitalReverse(app, tx!);
    }
  }
  return p.id;
}

describe('one alert rule', () => {
  it('the monthly run raises exactly the alerts real time raised, over random years of bills, reversals and identity changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ start: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living'), events: fc.array(eventArb, { minLength: 1, maxLength: 9 }) }), { minLength: 3, maxLength: 5 }),
        async (people) => {
          const ids: number[] = [];
          for (const person of people) ids.push(await liveYear(person.events, person.start));
          const realtime = await standing(ids);

          // Everything as if settled in 2025 (the test clock is later), then no alert at all for these people.
          await t.db.query(`UPDATE settlements SET settled_at = '2025-12-01T00:00:00Z', reversed_at = CASE WHEN reversed_at IS NULL THEN NULL ELSE '2025-12-02T00:00:00Z'::timestamptz END WHERE person_id = ANY($1::bigint[])`, [ids]);
          await t.db.query(`UPDATE settlement_adjustments SET created_at = '2025-12-02T00:00:00Z' WHERE person_id = ANY($1::bigint[])`, [ids]);
          await forgetAlerts(t.db, ids);

          await runMonthly({ db: t.db, policies }, '2025-12', 'test');
          expect(await standing(ids)).toEqual(realtime);
        },
      ),
      {
        numRuns: 8,
        // Found by seed 964928517: an identity recorded after a bill of the same day (CI failed on it once).
        examples: [[[
          { start: null, events: [
            { kind: 'bill', day: 0, total: 39_340, compliant: 0 }, { kind: 'bill', day: 242, total: 2_871_042, compliant: 1_564_797 },
            { kind: 'bill', day: 0, total: 1_243_230, compliant: 209_371 }, { kind: 'identity', day: 242, identity: 'monitored' },
            { kind: 'bill', day: 0, total: 2_551_334, compliant: 2_204_004 },
          ] },
          { start: null, events: [{ kind: 'bill', day: 0, total: 0, compliant: 0 }] },
          { start: null, events: [{ kind: 'bill', day: 0, total: 0, compliant: 0 }] },
        ]]],
      },
    );
  }, 240_000); // a few dozen real transactions per run, on a shared machine
});
