/** `sanbao db stats`: bytes per table and per settlement, read from the database's own sizes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { dbStats } from '../src/store/repositories/db-stats.ts';
import { cliTempDir, closeCliDatabase, pointCliAt, runCli } from './support/cli.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture } from './support/fixture.ts';

const dir = cliTempDir('sanbao-dbstats-');
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadPolicies();
  const f = await seedFixture(t.db, policies);
  const app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: `DS-${i}`, patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: `2025-03-0${i + 1}` }, amounts: { total: 10_000, compliant: 9_000 } },
    });
    expect(res.statusCode).toBe(201);
  }
  await app.close();
  pointCliAt(t.url, dir);
});
afterAll(() => closeCliDatabase(t, dir));

const run = runCli;

describe('database statistics', () => {
  it('counts the settlements and divides the settlement tables’ bytes by them', async () => {
    const stats = await dbStats(t.db);
    expect(stats.settlements).toBe(5);
    const settlements = stats.tables.find((x) => x.table === 'settlements')!;
    expect(settlements.rows).toBe(5);
    const path = stats.tables.filter((x) => ['visits', 'settlements', 'settlement_keys', 'settlement_funds', 'settlement_bills', 'settlement_lines'].includes(x.table));
    expect(path).toHaveLength(6);
    expect(stats.bytesPerSettlement).toBe(Math.round(path.reduce((s, x) => s + x.bytes, 0) / 5));
    // Stored compactly (steps-codec): tens of bytes for these bills, where the jsonb objects took 400 to 700.
    expect(stats.stepsBytesPerSettlement).toBeGreaterThan(20);
    expect(stats.stepsBytesPerSettlement).toBeLessThan(250);
  });

  it('prints them from the CLI, as JSON on request, and refuses an unknown subcommand with one line', async () => {
    const json = await run('db', 'stats', '--json');
    expect(json.err).toEqual([]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as { settlements: number; bytesPerSettlement: number | null };
    // On PGlite the CLI opens the embedded server's database (empty here); on PostgreSQL the one above.
    expect(parsed.settlements).toBe(t.url ? 5 : 0);
    const text = await run('db', 'stats');
    expect(text.out).toMatch(/^settlements: \d+\nbytes per settlement: /);
    const bad = await run('db', 'vacuum');
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
  });
});
