/**
 * The monthly monitoring run's lock is per schema: one PostgreSQL holding two
 * counties (a schema each, or two test files) runs each county's month at the
 * same time, while a second run in the same schema still waits for the first.
 * On PostgreSQL (two schemas, several connections); PGlite is one database of
 * one schema with one connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { MONITORING_RUN_LOCK, runMonthly } from '../src/service/monitoring-run.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { SCHEMA_LOCK_ROW } from '../src/store/schema-locks.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { settled, until } from './support/interleave.ts';

const onPostgres = process.env.SANBAO_TEST_DATABASE_URL !== undefined;
const policies = loadPolicies();
let a: TestDb;
let b: TestDb;

beforeAll(async () => {
  if (!onPostgres) return;
  [a, b] = await Promise.all([createTestDb(), createTestDb()]);
});
afterAll(async () => {
  await a?.drop();
  await b?.drop();
});

/** Runs of this schema waiting for the run's lock now. */
async function runsWaiting(t: TestDb): Promise<number> {
  const [row] = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_locks WHERE NOT granted AND ${SCHEMA_LOCK_ROW}`, [MONITORING_RUN_LOCK]);
  return Number(row!.n);
}

describe.skipIf(!onPostgres)('the monthly run beside another schema\'s', () => {
  it('runs in schema B while schema A\'s run holds its lock; a second run in A waits for the first', async () => {
    // A's run holds its lock and stays in the middle: a report holds A's alerts table.
    const report = await openPostgres(a.url!, 1);
    let first: Promise<unknown>;
    let second: Promise<unknown>;
    try {
      ({ first, second } = await report.transaction(async (tx) => {
        await tx.query('LOCK TABLE alerts IN ACCESS EXCLUSIVE MODE');
        const first = settled(runMonthly({ db: a.db, policies }, '2025-03', 'test'));
        await until("A's run to take its lock and wait for the report", async () => {
          const [row] = await a.db.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted AND c.relname = 'alerts' AND c.relnamespace = current_schema()::regnamespace`,
          );
          return Number(row!.n) > 0;
        });
        // B's run is not held by A's: it ends while A's is still held.
        const other = await Promise.race([
          runMonthly({ db: b.db, policies }, '2025-03', 'test'),
          new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), 10_000)),
        ]);
        expect(other).toMatchObject({ mode: 'incremental', statistics: { month: '2025-03' } });
        // A second run in A waits for the first.
        const second = settled(runMonthly({ db: a.db, policies }, '2025-04', 'test'));
        await until("A's second run to wait for the first", async () => (await runsWaiting(a)) === 1);
        return { first, second };
      }));
    } finally {
      await report.close();
    }
    expect(await first).toMatchObject({ ok: { mode: 'incremental' } });
    expect(await second).toMatchObject({ ok: { mode: 'incremental' } });
    const [runs] = await a.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM monitoring_runs`);
    expect(runs!.n).toBe('2');
  }, 30_000);
});
