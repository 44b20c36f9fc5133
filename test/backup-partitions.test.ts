/**
 * A backup of a database with a year open (issue 18): the partitioned tables go
 * out as one table each, the year's range first; a restore into an empty
 * database makes the year's partitions again and every row lands where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { openYear } from '../src/service/year-partitions.ts';
import { checkBackup, restoreBackup } from '../src/store/backup.ts';
import { nextSettlementId } from '../src/store/repositories/settlement-partitions.ts';
import { backupLines, each } from './support/backup-lines.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { tableDigests } from './support/table-digest.ts';

let source: TestDb;
let target: TestDb;
let lines: string[] = [];

async function where(db: TestDb['db']): Promise<string[]> {
  const rows = await db.query<{ p: string; n: number }>(
    `SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM settlements GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => `${r.p.replace(/^.*\./, '')}:${r.n}`);
}

beforeAll(async () => {
  source = await createTestDb();
  target = await createTestDb();
  const policies = loadFixturePolicies();
  const f = await seedFixture(source.db, policies);
  const app = await buildApp({ db: source.db, policies, logLevel: 'silent' });
  const settle = async (tx: string) => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: tx, patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-12-20' }, amounts: { total: 150_000, compliant: 140_000 } },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  await settle('B-1');
  await openYear(source.db, 2026, 'test');
  await settle('B-2');
  await settle('B-3');
  await app.close();
  lines = await backupLines(source.db);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

describe('backup and restore with a year open', () => {
  it('backs up each partitioned table as one, the ranges first', async () => {
    const header = await checkBackup(each(lines));
    expect(header.tables[0]).toBe('settlement_id_ranges');
    expect(header.tables).toContain('settlements');
    expect(header.tables.filter((t) => /_before$|_y\d{4}$/.test(t))).toEqual([]);
  });

  it('restores into an empty database: the year\'s partitions made again, every row where it was, the ids going on', async () => {
    await restoreBackup(target.db, each(lines), { force: false });
    expect(await where(target.db)).toEqual(['settlements_before:1', 'settlements_y2026:2']);
    expect(await where(target.db)).toEqual(await where(source.db));
    expect(await tableDigests(target.db)).toEqual(await tableDigests(source.db));
    expect(await nextSettlementId(target.db)).toBe(await nextSettlementId(source.db));
    expect(await nextSettlementId(target.db)).toBeGreaterThan(2_026_000_000_001);
  });

  it('restores over it again with --force', async () => {
    await restoreBackup(target.db, each(lines), { force: true });
    expect(await where(target.db)).toEqual(['settlements_before:1', 'settlements_y2026:2']);
  });
});
