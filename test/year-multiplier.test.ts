/**
 * The benches' year multiplier (bench/support/year-multiplier.ts) copies what
 * real time wrote with its alerts — the alerts, their cases, the cases' first
 * events and the pushes — with the rest of each bill, so a multiplied year is
 * realistic for the monthly run (issue 18): a year's first run over it finds
 * every alert real time raised already in place. Each copied case, event and
 * push names the copy's alert, case and person, as the service writes them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { runMonthly } from '../src/service/monitoring-run.ts';
import { multiplyYear } from '../bench/support/year-multiplier.ts';
import type { TestDb } from './support/db.ts';
import { backdate, settleBill } from './support/monitoring.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
const TABLES = ['persons', 'settlements', 'alerts', 'monitoring_cases', 'case_events', 'outbox'];

describe('multiplying a year', () => {
  it("copies real time's alerts with their cases, events and pushes, each naming the copy's alert, case and person", async () => {
    // Two bills of about 23,000 yuan of self-pay each for each of two people: both cross the thresholds in real time.
    for (const person of [testApp.f.alleviated, testApp.f.plain]) {
      await settleBill(app, person.idNumber, 3_000_000, 1_000_000, '2025-03-01');
      await settleBill(app, person.idNumber, 3_000_000, 1_000_000, '2025-04-01');
      await backdate(t.db, person.id, '2025-04-01T02:00:00Z');
    }
    const before = Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await count(table)] as const)));
    expect(before.alerts).toBeGreaterThanOrEqual(3);
    expect(before.outbox).toBeGreaterThan(before.alerts!);

    await multiplyYear(t.db, 3, () => {});

    for (const table of TABLES) expect(await count(table), table).toBe(3 * before[table]!);
    // Every case of its own alert and person; every event and push of its own case; the pushes' keys and payloads the copy's.
    const wrong = await t.db.query(
      `SELECT 'case' AS what, c.id FROM monitoring_cases c JOIN alerts a ON a.id = c.alert_id WHERE a.person_id <> c.person_id
       UNION ALL
       SELECT 'event', e.id FROM case_events e JOIN monitoring_cases c ON c.id = e.case_id WHERE (e.detail->>'alertId')::bigint <> c.alert_id
       UNION ALL
       SELECT 'push', o.id FROM outbox o JOIN monitoring_cases c ON c.id = o.case_id JOIN alerts a ON a.id = c.alert_id
         JOIN persons p ON p.id = c.person_id LEFT JOIN households h ON h.id = p.household_id
       WHERE o.dedupe_key <> 'sanbao-alert-' || a.id || '-' || o.department OR o.payload->>'dedupeKey' <> o.dedupe_key
         OR (o.payload->>'caseId')::bigint <> c.id OR (o.payload->>'alertId')::bigint <> a.id
         OR (o.payload->'person'->>'id')::bigint <> p.id OR o.payload->'person'->>'idNumber' <> p.id_number
         OR (o.payload->'person'->>'householdCode') IS DISTINCT FROM h.code OR o.payload->>'yearlySelfPayFen' <> a.yearly_self_pay::text`,
    );
    expect(wrong).toEqual([]);
    const [copied] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alerts a JOIN persons p ON p.id = a.person_id WHERE p.id_number LIKE '9%' AND a.source = 'realtime'`,
    );
    expect(copied!.n).toBe(2 * before.alerts!);

    // The year as real time left it: its first monthly run finds every alert in place and raises nothing.
    const first = await runMonthly({ db: t.db, policies }, '2025-12', 'test');
    expect(first.mode).toBe('incremental');
    expect(first.statistics.raisedByRun).toBe(0);
    expect(first.statistics.monitored).toBe(3 * (await t.db.query<{ n: number }>(
      `SELECT count(DISTINCT person_id)::int AS n FROM alerts a JOIN persons p ON p.id = a.person_id WHERE p.id_number NOT LIKE '9%'`,
    ))[0]!.n);
  }, 120_000);
});
