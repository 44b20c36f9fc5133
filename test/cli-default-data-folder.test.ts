/**
 * A county on its own PostgreSQL runs the service with DATABASE_URL; a clerk who
 * then runs `npx sanbao staff add …` without it used to get a brand-new embedded
 * PostgreSQL in ./data, the administrator written there, and exit 0 — the service
 * never saw it. A command now refuses (exit 2, one line) to make a new database in
 * the default data folder; it uses one that exists there, and makes one only where
 * SANBAO_DATA_DIR names the folder (or for serve, demo and restore).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliTempDir } from './support/cli.ts';
import { spawnCli } from './support/service-process.ts';

const cwd = cliTempDir('sanbao-default-data-');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** A command in cwd, with neither DATABASE_URL nor SANBAO_DATA_DIR unless given. */
const run = (args: string[], env: Record<string, string> = {}) => spawnCli(args, { cwd, env: { DATABASE_URL: undefined, SANBAO_DATA_DIR: undefined, ...env } });

const ADMIN = ['staff', 'add', '--username', 'dorje', '--name', '多吉', '--role', 'bureau_admin', '--division', '513330', '--county-name', '德格县'];

describe('a command without DATABASE_URL', () => {
  it('refuses to make a new database in the default ./data, saying where the database should come from', async () => {
    for (const args of [ADMIN, ['facility', 'list'], ['backup', '--out', 'x.sanbao.gz']]) {
      const r = await run(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('DATABASE_URL');
      expect(r.stderr).toContain(join(cwd, 'data'));
    }
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('makes one where SANBAO_DATA_DIR names the folder, and uses it from ./data afterwards', async () => {
    const made = await run(ADMIN, { SANBAO_DATA_DIR: join(cwd, 'data') });
    expect(made.status, made.stderr).toBe(0);
    const listed = await run(['staff', 'list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^dorje\s+bureau_admin\s+513330/m);
  }, 120_000);
});
