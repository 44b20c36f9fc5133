/**
 * `sanbao backup` / `sanbao restore`: a round trip gives back every row of every
 * table — the same settlements to the fen — and the sequences, so new rows follow
 * on; a restore refuses a database with data (unless --force) and a damaged file,
 * writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/demo.ts';
import { SMALL_DEMO } from '../src/demo/generate.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { BackupFileError, checkBackup, restoreBackup } from '../src/store/backup.ts';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { backupLines, each } from './support/backup-lines.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { tableDigests } from './support/table-digest.ts';

let source: TestDb;
let target: TestDb;
let lines: string[] = [];

beforeAll(async () => {
  source = await createTestDb();
  target = await createTestDb();
  await loadDemo(source.db, loadFixturePolicies(), { ...SMALL_DEMO, persons: 120 });
  lines = await backupLines(source.db);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

describe('backup and restore', { timeout: 240_000 }, () => {
  it('gives back every row of every table, the settlements to the fen', async () => {
    const header = await checkBackup(each(lines));
    expect(header.tables).toContain('settlements');
    expect(header.migrations.length).toBeGreaterThan(0);
    const rows = await restoreBackup(target.db, each(lines), { force: false });
    expect(rows).toBe(header.rows);
    const before = await tableDigests(source.db);
    expect(before.settlements!.rows).toBeGreaterThan(0);
    expect(before.staff_users!.rows).toBeGreaterThan(0);
    expect(await tableDigests(target.db)).toEqual(before);
    const restoreAudit = await target.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'database.restore'`);
    expect(restoreAudit).toEqual([{ actor: 'cli' }]); // the restore is the restored chain's last entry
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, rows: before.audit_log!.rows + 1 });
    const sums = 'SELECT sum(total_fen)::bigint AS total, sum(self_pay)::bigint AS self_pay, count(*)::int AS n FROM settlements';
    expect(await target.db.query(sums)).toEqual(await source.db.query(sums));
  });

  it('restores the sequences: the next row gets a fresh id', async () => {
    const [max] = await target.db.query<{ id: number }>('SELECT max(id)::int AS id FROM audit_log');
    const [next] = await target.db.query<{ id: number }>(`INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('test', 'test.restore', 'test', '1') RETURNING id::int`);
    expect(next!.id).toBeGreaterThan(max!.id);
  });

  it('refuses a database that holds data, writing nothing; --force replaces it', async () => {
    const before = await tableDigests(target.db);
    await expect(restoreBackup(target.db, each(lines), { force: false })).rejects.toThrow(/already holds data/);
    expect(await tableDigests(target.db)).toEqual(before);
    await restoreBackup(target.db, each(lines), { force: true });
    expect(await tableDigests(target.db)).toEqual(await tableDigests(source.db));
    expect((await verifyAuditChain(target.db)).ok).toBe(true); // the chain starts again from its genesis
  });

  it('refuses a truncated or altered file before anything is written', async () => {
    await expect(checkBackup(each(lines.slice(0, -5)))).rejects.toThrow(/incomplete|ends with/);
    await expect(checkBackup(each(lines.slice(0, -1)))).rejects.toThrow(/incomplete/);
    const altered = lines.map((l) => l.replace(/"total_fen":(\d+)/, (_, n) => `"total_fen":${Number(n) + 1}`));
    expect(altered).not.toEqual(lines);
    await expect(checkBackup(each(altered))).rejects.toThrow(/corrupt/);
    await expect(checkBackup(each(['{"hello":1}']))).rejects.toThrow(BackupFileError);
    await expect(checkBackup(each([]))).rejects.toThrow(/empty/);
  });

  it('refuses a backup from a newer Sanbao', async () => {
    const newer = [lines[0]!.replace('"migrations":[', '"migrations":["209912310000-future.sql",'), ...lines.slice(1)];
    const fresh = await createTestDb();
    try {
      await expect(restoreBackup(fresh.db, each(newer), { force: false })).rejects.toThrow(/newer Sanbao/);
    } finally {
      await fresh.drop();
    }
  });
});
