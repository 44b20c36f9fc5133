/**
 * `sanbao backup` beside the running service, `sanbao restore` into a new data
 * directory: the real commands, their files, exit codes and one-line refusals.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open.ts';
import { runCli, startService } from './support/service-process.ts';
import { tableDigests } from './support/table-digest.ts';

const root = mkdtempSync(join(tmpdir(), 'sanbao-bk-'));
chmodSync(root, 0o755); // run as root, the embedded server's own user must pass through
afterAll(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, 'source');
const target = join(root, 'target');
const file = join(root, 'county.sanbao-backup.gz');

async function digests(dir: string) {
  const db = await openDatabase({ dataDir: dir });
  try {
    return await tableDigests(db);
  } finally {
    await db.close();
  }
}

function refusedWithOneLine(r: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('sanbao backup and restore', () => {
  it('backs up beside the running service and restores into a new directory, row for row', async () => {
    const service = await startService(source);
    const backup = runCli(source, ['backup', '--out', file]);
    expect(backup.stderr).not.toMatch(/error/i);
    expect(backup.status).toBe(0);
    expect(backup.stdout).toMatch(/backup written to .*: \d+ tables, [\d,]+ rows/);
    expect(await service.stop()).toBe(0);

    const restore = runCli(target, ['restore', file]);
    expect(restore.status).toBe(0);
    const restored = await digests(target);
    expect(restored.settlements!.rows).toBeGreaterThan(0);
    expect(restored).toEqual(await digests(source));
  });

  it('refuses a database with data unless --force, and damaged files, with one line', async () => {
    refusedWithOneLine(runCli(target, ['restore', file]), /already holds data.*--force/);
    const bytes = readFileSync(file);
    writeFileSync(join(root, 'cut.gz'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    refusedWithOneLine(runCli(target, ['restore', join(root, 'cut.gz'), '--force']), /not a complete Sanbao backup/);
    writeFileSync(join(root, 'notes.txt'), 'not a backup\n');
    refusedWithOneLine(runCli(target, ['restore', join(root, 'notes.txt')]), /not a complete Sanbao backup/);
    refusedWithOneLine(runCli(target, ['restore', join(root, 'missing.gz')]), /no file/);
    refusedWithOneLine(runCli(target, ['backup']), /usage/);
    expect(runCli(target, ['restore', file, '--force']).status).toBe(0);
  });
});
