/**
 * `year open` beside hospitals settling (issue 18): bills settled while a year
 * is opened all succeed, each once, in one range or the other; and when long
 * work holds the settlement tables, year open gives up after its lock timeout
 * with TABLES_BUSY and changes nothing. On PostgreSQL (several connections);
 * PGlite has one connection, so nothing runs beside anything there.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { openYear } from '../src/service/year-partitions.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import type { TestDb } from './support/db.ts';
import { KEYS } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

const onPostgres = process.env.SANBAO_TEST_DATABASE_URL !== undefined;
let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;

beforeAll(async () => {
  if (!onPostgres) return;
  testApp = await openTestApp();
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

describe.skipIf(!onPostgres)('year open beside settlement', () => {
  it('lets every bill settled while the year opens through, once, with a retry of each answered the same', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => addEnrolledPerson(t.db, policies)));
    const settle = (i: number) => app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: `C-${i}`, patient: { idNumber: people[i % 4]!.idNumber }, visit: { kind: 'outpatient', date: '2025-12-31' }, amounts: { total: 10_000 + i, compliant: 10_000 } },
    });
    const [opened, ...answers] = await Promise.all([openYear(t.db, 2026, 'test'), ...Array.from({ length: 24 }, (_, i) => settle(i))]);
    expect(opened.opened).toBe(true);
    expect(answers.map((r) => r.statusCode)).toEqual(Array(24).fill(201));
    const retries = await Promise.all(Array.from({ length: 24 }, (_, i) => settle(i)));
    expect(retries.map((r) => r.json().id)).toEqual(answers.map((r) => r.json().id));
    const [n] = await t.db.query<{ s: string; k: string }>(`SELECT (SELECT count(*) FROM settlements WHERE transaction_id LIKE 'C-%')::text AS s, (SELECT count(*) FROM settlement_keys WHERE transaction_id LIKE 'C-%')::text AS k`);
    expect(n).toEqual({ s: '24', k: '24' });
    // A settlement is in the first range or in 2026's, never anywhere else.
    for (const r of answers) {
      const id = r.json().id as number;
      expect(id < 1e12 || (id >= 2_026_000_000_000 && id <= 2_026_999_999_999)).toBe(true);
    }
  });

  it('gives up with TABLES_BUSY when long work holds the tables, and changes nothing', async () => {
    const other = await openPostgres(t.url!, 1);
    try {
      await other.transaction(async (tx) => {
        await tx.query('LOCK TABLE settlements IN ACCESS SHARE MODE');
        await tx.query('SELECT count(*) FROM settlements'); // a long report would be reading here
        await expect(openYear(t.db, 2027, 'test')).rejects.toMatchObject({ code: 'TABLES_BUSY' });
      });
    } finally {
      await other.close();
    }
    expect((await t.db.query(`SELECT year FROM settlement_id_ranges WHERE year = 2027`)).length).toBe(0);
    expect((await t.db.query(`SELECT 1 FROM pg_class WHERE relname = 'settlements_y2027'`)).length).toBe(0);
    expect((await openYear(t.db, 2027, 'test')).opened).toBe(true);
  }, 30_000);
});
