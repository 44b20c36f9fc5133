/**
 * The month's statistics of a monitoring run (monitoring-statistics.ts, one
 * statement) against the same counts made here from the rows, over random
 * alerts (of the window or not, withdrawn or not, real time's or a run's),
 * their cases (each status, confirmed or not, or none) and pushes (pending
 * or delivered): people counted once each, whatever number of alerts, cases
 * or pushes they have.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWindow } from '../src/service/monitoring-run.ts';
import { monthStatistics } from '../src/store/repositories/monitoring-statistics.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let people: number[];

beforeAll(async () => {
  t = await createTestDb();
  const f = await seedFixture(t.db, loadFixturePolicies());
  people = [f.plain.id, f.poor.id, f.extreme.id, f.alleviated.id];
});
afterAll(() => t?.drop());

const THRESHOLDS = ['region_income', 'alleviated_half_rural', 'other'];
const STATUSES = ['raised', 'pushed', 'verified', 'determined', 'closed'] as const;
const DEPARTMENTS = ['civil_affairs', 'county_bureau', 'rural_revitalization'];

const alertArb = fc.record({
  person: fc.nat({ max: 3 }),
  threshold: fc.nat({ max: 2 }),
  risk: fc.constantFrom('becoming_poor', 'falling_back'),
  // Real time's on this day of 2025 (May to July), or a run's of that month.
  day: fc.integer({ min: 120, max: 210 }),
  run: fc.option(fc.constantFrom('2025-05', '2025-06', '2025-07'), { nil: null }),
  withdrawn: fc.boolean(),
  kase: fc.option(fc.record({ status: fc.constantFrom(...STATUSES), confirmed: fc.option(fc.boolean(), { nil: null }) }), { nil: null }),
  pushes: fc.subarray(DEPARTMENTS.map((d) => ({ department: d }))).chain((ds) =>
    fc.tuple(...ds.map((d) => fc.boolean().map((delivered) => ({ ...d, delivered })))),
  ),
});

interface Written { person: number; risk: string; at: Date; run: string | null; withdrawn: boolean; kase: { status: string; confirmed: boolean | null } | null; pushes: { department: string; delivered: boolean }[] }

describe("the month's statistics", () => {
  it('count what the rows say, each person once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(alertArb, { selector: (a) => `${a.person}:${a.threshold}`, maxLength: 12 }), async (alerts) => {
        await t.db.query('TRUNCATE alerts, monitoring_cases, case_events, outbox CASCADE');
        const written: Written[] = [];
        for (const a of alerts) {
          const at = new Date(Date.UTC(2025, 0, a.day, 3));
          const [row] = await t.db.query<{ id: number }>(
            `INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, source, run_month, created_at, withdrawn_at)
             VALUES ($1, 2025, $2, 3400000, 3500000, $3, $4, $5, $6, $7, $8) RETURNING id`,
            [people[a.person], THRESHOLDS[a.threshold], a.risk, DEPARTMENTS, a.run ? 'monthly' : 'realtime', a.run, at, a.withdrawn ? at : null],
          );
          if (a.kase) {
            const [c] = await t.db.query<{ id: number }>(
              `INSERT INTO monitoring_cases (alert_id, person_id, year, division_code, risk, departments, status, confirmed)
               VALUES ($1, $2, 2025, '513330001001', $3, $4, $5, $6) RETURNING id`,
              [row!.id, people[a.person], a.risk, DEPARTMENTS, a.kase.status, a.kase.confirmed],
            );
            for (const p of a.pushes) {
              await t.db.query(`INSERT INTO outbox (case_id, department, dedupe_key, payload, status) VALUES ($1, $2, $3, '{}', $4)`, [
                c!.id, p.department, `k-${row!.id}-${p.department}`, p.delivered ? 'delivered' : 'pending',
              ]);
            }
          }
          written.push({ person: a.person, risk: a.risk, at, run: a.run, withdrawn: a.withdrawn, kase: a.kase, pushes: a.kase ? a.pushes : [] });
        }
        const w = runWindow('2025-06');
        const stats = await monthStatistics(t.db, w, 7, 1);

        const inWindow = written.filter((a) => !a.withdrawn && (a.at < w.cutoff || (a.run !== null && a.run <= w.month)));
        const distinct = (xs: Written[]) => new Set(xs.map((x) => x.person)).size;
        const byKey = <K extends string>(xs: Written[], key: (x: Written) => K[]) => {
          const out: Record<string, Set<number>> = {};
          for (const x of xs) for (const k of key(x)) (out[k] ??= new Set()).add(x.person);
          return Object.fromEntries(Object.entries(out).map(([k, s]) => [k, s.size]));
        };
        expect(stats).toEqual({
          month: '2025-06', year: 2025, persons: 7, raisedByRun: 1,
          monitored: distinct(inWindow),
          newInMonth: inWindow.filter((a) => (a.run === null && a.at >= w.monthStart) || a.run === w.month).length,
          byRisk: byKey(inWindow, (a) => [a.risk]),
          pushed: byKey(inWindow, (a) => a.pushes.map((p) => p.department)),
          delivered: Object.fromEntries(Object.keys(byKey(inWindow, (a) => a.pushes.map((p) => p.department))).map((d) => [
            d, distinct(inWindow.filter((a) => a.pushes.some((p) => p.department === d && p.delivered))),
          ])),
          confirmed: distinct(inWindow.filter((a) => a.kase?.confirmed === true)),
          determined: distinct(inWindow.filter((a) => a.kase?.status === 'determined' || a.kase?.status === 'closed')),
          closed: distinct(inWindow.filter((a) => a.kase?.status === 'closed')),
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
