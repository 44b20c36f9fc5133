/**
 * Disaster recovery as the README has it: a new server, `DATABASE_URL=… npm start`
 * (migrations, the first set-up token, the monthly run it schedules and runs over
 * nobody), then `sanbao restore FILE`. The restore refused that database ("already
 * holds data") and sent the operator to --force. What the service writes on its own
 * at a first start is not county data: such a database counts as empty; anything a
 * person or an import wrote still does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../src/jobs/monitoring-jobs.ts';
import { issueSetupToken } from '../src/service/first-setup.ts';
import { databaseHoldsData, restoreBackup } from '../src/store/backup.ts';
import { insertDivision } from '../src/store/repositories/divisions.ts';
import { backupLines, each } from './support/backup-lines.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';

let source: TestDb;
let target: TestDb;
let lines: string[] = [];

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDb(), createTestDb()]);
  await insertDivision(source.db, { code: '513330', name: '德格县', name_bo: null, name_en: null, level: 1, parent_code: null });
  lines = await backupLines(source.db);
}, 120_000);
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

describe('restore onto a database a service has just started on', () => {
  it('counts the first start’s own rows as empty and restores without --force', async () => {
    const policies = loadFixturePolicies();
    expect(await issueSetupToken(target.db)).toBeDefined();
    await runDueJobs({ db: target.db, policies }, new Date('2025-08-16T00:00:00Z')); // a run over nobody
    await runDueJobs({ db: target.db, policies }, new Date('2026-11-27T00:00:00Z')); // no policy for 2026: recorded as failed
    expect(await target.db.query('SELECT 1 FROM monitoring_runs')).toHaveLength(1);
    expect(await databaseHoldsData(target.db)).toBe(false);

    await restoreBackup(target.db, each(lines), { force: false });
    expect(await target.db.query('SELECT code FROM divisions')).toEqual([{ code: '513330' }]);
    expect(await target.db.query('SELECT 1 FROM staff_setup_tokens')).toEqual([]); // the backup's state, whole
  });

  it('still refuses a database where anything else was written', async () => {
    expect(await databaseHoldsData(target.db)).toBe(true); // the restored division
    expect(await databaseHoldsData(source.db)).toBe(true);
    await expect(restoreBackup(source.db, each(lines), { force: false })).rejects.toThrow(/already holds data/);
  });
});
