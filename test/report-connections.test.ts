/**
 * Reports never stall settlement (issue 18): reports read on connections of
 * their own, read-only and time-limited; a settlement never waits for them.
 * The ordering checks need real concurrency: PostgreSQL only (CI runs them);
 * on PGlite the main database serves reports too.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Db } from '../src/store/db.ts';
import { openReportsDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let app: FastifyInstance;
let reports: Db;
let f: Fixture;
let token = '';

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadPolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  // One report connection, statements stopped after 1.5 s.
  reports = await openReportsDatabase(t.db, { poolSize: 1, statementTimeoutMs: 1_500 });
  app = await buildApp({ db: t.db, reports, policies, logLevel: 'silent' });
  token = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'clerk', password: DEMO_PASSWORD } })).json().token;
});
afterAll(async () => {
  await app?.close();
  await reports?.close();
  await t?.drop();
});

const coverage = () => app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025', headers: { authorization: `Bearer ${token}` } });

describe('report connections', () => {
  it('on PGlite, reports read the one database; closing them leaves it open', async () => {
    if (t.url) return expect(reports).not.toBe(t.db);
    expect((await coverage()).statusCode).toBe(200);
    await openReportsDatabase(t.db, { poolSize: 1, statementTimeoutMs: 100 }).then((r) => r.close());
    expect(await t.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('are read-only', async () => {
    await expect(reports.query(`INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('x', 'x', 'x', '1')`)).rejects.toThrow(/read-only/);
  });

  it.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('a settlement does not wait for a busy report connection; the next report does', async () => {
    const order: string[] = [];
    // The one report connection stays busy until the settlement has answered, however long that takes on a loaded machine:
    // its statement waits for a lock this test holds (a pg_sleep of a second was shorter than a cold first settlement can be).
    const holder = await openPostgres(t.url!, 1);
    try {
      await holder.query('SELECT pg_advisory_lock(18)');
      const busy = reports.query('SELECT pg_advisory_xact_lock(18)').then(() => order.push('busy report'));
      const report = coverage().then((res) => order.push(`report ${res.statusCode}`));
      const settled = app
        .inject({
          method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
          payload: { transactionId: 'RC-1', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-03-01' }, amounts: { total: 10_000, compliant: 9_000 } },
        })
        .then((res) => order.push(`settlement ${res.statusCode}`));
      await settled;
      await holder.query('SELECT pg_advisory_unlock(18)');
      await Promise.all([busy, report]);
    } finally {
      await holder.close();
    }
    expect(order).toEqual(['settlement 201', 'busy report', 'report 200']);
  });

  it.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('a report past its time limit is stopped and answers 503 REPORT_TIMEOUT', async () => {
    // Another session holds the enrollments table, so the coverage report waits until its limit.
    const holder = await openPostgres(t.url!, 1);
    try {
      const res = await holder.transaction(async (tx) => {
        await tx.query('LOCK TABLE enrollments IN ACCESS EXCLUSIVE MODE');
        return coverage();
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('REPORT_TIMEOUT');
    } finally {
      await holder.close();
    }
    expect((await coverage()).statusCode).toBe(200);
  });
});
