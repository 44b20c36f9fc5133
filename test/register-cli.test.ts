/**
 * `sanbao division …` and `sanbao household import` on the configured
 * database (the embedded PostgreSQL, or a fresh PostgreSQL schema in CI): a county set
 * up from files; bad input, an oversized file included, exits 2 with one line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTempDir, closeCliDatabase, openCliDatabase, runCli } from './support/cli.ts';
import type { TestDb } from './support/db.ts';
import { idNumber } from './support/enrollment-fixture.ts';
import { DIVISIONS_CSV, REGISTER, registerCsv } from './support/register-fixture.ts';
import { xlsxBomb } from './support/zip-bomb.ts';

const dir = cliTempDir('sanbao-register-cli-');
let t: TestDb | undefined;

beforeAll(async () => {
  t = await openCliDatabase(dir);
});
afterAll(() => closeCliDatabase(t, dir));

const run = runCli;

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('setting up a county from the command line', () => {
  it('refuses a division file with bad rows on one line naming each', async () => {
    const r = await run('division', 'import', file('bad-divisions.csv', `${DIVISIONS_CSV}\n51333,坏,\n513330009001,孤村,`));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^sanbao: TABLE_REJECTED: division file refused, nothing imported: 2 bad row\(s\): row 8: .*; row 9: .*parent 513330009/);
  });

  it('imports divisions (dry run first), then lists them', async () => {
    const path = file('divisions.csv', DIVISIONS_CSV);
    const dry = await run('division', 'import', path, '--dry-run');
    expect(dry.out).toBe('dry run, nothing written: 6 of 6 rows: 6 divisions added, 0 renamed, 0 unchanged');
    expect((await run('division', 'list')).out).toBe('');
    expect((await run('division', 'import', path)).out).toBe('6 of 6 rows: 6 divisions added, 0 renamed, 0 unchanged');
    expect((await run('division', 'import', path)).out).toBe('6 of 6 rows: 0 divisions added, 0 renamed, 6 unchanged');
    const list = await run('division', 'list', '--division', '513330001');
    expect(list.out.split('\n')).toEqual(['  513330001  更庆镇  རྡོ་རྗེ་གདན།', '    513330001001  一村  གྲོང་ཚོ་དང་པོ།', '    513330001002  二村']);
  });

  it('imports a household register; a refused one exits 2 with one line', async () => {
    const bad = await run('household', 'import', file('bad-register.csv', registerCsv([{ household: 'X', id: idNumber(1), relation: '配偶' }])));
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([expect.stringMatching(/^sanbao: TABLE_REJECTED: household register refused, nothing imported: 1 bad row\(s\): row 2: household X has no head/)]);
    const ok = await run('household', 'import', file('register.csv', registerCsv(REGISTER)));
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('5 of 5 rows: 3 households added, 5 people added, 0 changed, 0 unchanged');
    const moved = file('moved.csv', registerCsv([{ household: 'H-002', id: idNumber(9004), name: '格桑', relation: '户主' }, { household: 'H-002', id: idNumber(9002), name: '卓玛', relation: '配偶' }]));
    expect((await run('household', 'import', moved)).err[0]).toMatch(/already registered in household H-001/);
    expect((await run('household', 'import', moved, '--correct-register')).out).toMatch(/1 changed, 1 unchanged/);
  });

  it('refuses an XLSX that unpacks too large, for every import, on one line', async () => {
    const bomb = file('bomb.xlsx', xlsxBomb(620_000));
    for (const argv of [['division', 'import', bomb], ['household', 'import', bomb], ['roster', 'import', bomb, '--mode', 'add', '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-01-01']]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^sanbao: FILE_TOO_LARGE: the file unpacks to 6\d\.\d MB; the limit is 48 MB/);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await run('division', 'import')).code).toBe(2);
    expect((await run('division', 'import', file('x.pdf', 'x'))).err[0]).toMatch(/UNKNOWN_FORMAT/);
    expect((await run('household', 'import', join(dir, 'missing.csv'))).err[0]).toMatch(/cannot read .*ENOENT/);
  });
});
