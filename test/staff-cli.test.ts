/** `sanbao staff …` and `sanbao audit verify` on the embedded database: the first administrator from the CLI, bad input, a tampered log. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open.ts';
import { spawnCli } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-staff-'));
const run = (args: string[], input?: string) => spawnCli(args, { env: { SANBAO_DATA_DIR: dir, DATABASE_URL: '' }, ...(input === undefined ? {} : { input }) });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sanbao staff', () => {
  it('makes the first bureau admin (and the county) on an empty database, with a temporary password shown once', async () => {
    const added = await run(['staff', 'add', '--username', 'lhamo', '--name', '拉姆', '--role', 'bureau_admin', '--division', '513330', '--county-name', '德格县']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/temporary password \(shown once\): [A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}/);
    const listed = await run(['staff', 'list']);
    expect(listed.stdout).toMatch(/^lhamo\s+bureau_admin\s+513330\s+-\s+must_change_password\s+拉姆$/m);
  });

  it('refuses bad input with exit 2 and one line, writing nothing', async () => {
    for (const [args, input] of [
      [['staff', 'add', '--username', 'x1y', '--name', 'n', '--role', 'king', '--division', '513330']],
      [['staff', 'add', '--username', 'x1y', '--name', 'n', '--role', 'auditor', '--division', '999999']],
      [['staff', 'reset-password', 'lhamo', '--password-stdin'], 'password1234\n'],
      [['staff', 'disable', 'lhamo']], // the only bureau admin
      [['staff', 'frobnicate']],
    ] as [string[], string?][]) {
      const r = await run(args, input);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const db = await openDatabase({ dataDir: dir });
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_users`);
    expect(rows[0]!.n).toBe(1);
    await db.close();
  });
});

describe('sanbao audit verify', () => {
  it('exits 0 with the count of an intact log, and 1 naming the first edited row', async () => {
    const ok = await run(['audit', 'verify']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit log intact: 2 rows chained/); // division.create and staff.create
    const db = await openDatabase({ dataDir: dir });
    const [row] = await db.query<{ id: string }>(`SELECT id::text FROM audit_log WHERE action = 'staff.create'`);
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await db.query(`UPDATE audit_log SET detail = jsonb_set(detail, '{role}', '"auditor"') WHERE action = 'staff.create'`);
    await db.close();
    const broken = await run(['audit', 'verify']);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`audit row ${row!.id} (chain `);
    expect(broken.stderr).toMatch(/changed after it was written/);
  });
});
