/** `sanbao facility` on the embedded database: a key shown once, usable at once, rotated, audited. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open.ts';
import { findFacilityByApiKey } from '../src/store/repositories/facilities.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-fac-'));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/sanbao.mjs', 'facility', ...args], {
    env: { ...process.env, SANBAO_DATA_DIR: dir, DATABASE_URL: '' },
    encoding: 'utf8',
  });

beforeAll(async () => {
  const db = await openDatabase({ dataDir: dir });
  await db.query(`INSERT INTO divisions (code, name, level) VALUES ('513330', '德格县', 1)`);
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sanbao facility', () => {
  it('adds a facility and prints its key once; the key authenticates', async () => {
    const added = run('add', '--code', 'H51333000077', '--name', '德格县妇幼保健院', '--level', '1', '--division', '513330');
    expect(added.status).toBe(0);
    const key = /API key \(shown once[^:]*\): (\S+)/.exec(added.stdout)?.[1];
    expect(key).toMatch(/^sb_h51333000077_/);
    const listed = run('list');
    expect(listed.stdout).toContain('H51333000077');
    expect(listed.stdout).not.toContain(key!);

    const rotated = run('rotate-key', 'H51333000077');
    expect(rotated.status).toBe(0);
    const newKey = /: (sb_\S+)$/m.exec(rotated.stdout)?.[1];
    const db = await openDatabase({ dataDir: dir });
    expect(await findFacilityByApiKey(db, key!)).toBeUndefined();
    expect((await findFacilityByApiKey(db, newKey!))?.code).toBe('H51333000077');
    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'facility' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['facility.create', 'facility.rotate_key']);
    await db.close();
  });

  it('refuses bad input with exit 2 and one line, changing nothing', () => {
    for (const args of [
      ['add', '--code', 'H51333000078', '--name', 'x', '--level', '5', '--division', '513330'],
      ['add', '--code', 'H99999900078', '--name', 'x', '--level', '1', '--division', '999999'],
      ['add', '--code', 'H78', '--name', 'x', '--level', '1', '--division', '513330'],
      ['add', '--code', 'H54010200078', '--name', 'x', '--level', '1', '--division', '513330'],
      ['add', '--code', 'H51333000077', '--name', 'dup', '--level', '1', '--division', '513330'],
      ['add', '--name', 'x'],
      ['rotate-key', 'NOPE'],
      ['frobnicate'],
    ]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(run('list').stdout).not.toContain('H51333000078');
  });
});
