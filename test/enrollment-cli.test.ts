/**
 * The campaign commands on the configured database (the embedded PostgreSQL, or a
 * fresh PostgreSQL schema in CI): bad input exits 2 with one line on stderr.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { Io } from '../src/cli/io.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber, rosterCsv } from './support/enrollment-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-cli-'));
chmodSync(dir, 0o755); // run as root, the embedded PostgreSQL's own user must pass through to data/
let t: TestDb | undefined;

beforeAll(async () => {
  if (process.env.SANBAO_TEST_DATABASE_URL) {
    t = await createTestDb();
    process.env.DATABASE_URL = t.url;
  } else {
    delete process.env.DATABASE_URL;
    process.env.SANBAO_DATA_DIR = join(dir, 'data');
  }
});
afterAll(async () => {
  await t?.drop();
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdin: async () => '', out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err };
}

describe('sanbao demo, roster, campaign, payment, report', () => {
  it('loads the small demo county once, from a seed', async () => {
    const first = await run('demo', '--seed', '11');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/400 people in \d+ households, 4 townships/);
    const again = await run('demo');
    expect(again.code).toBe(2);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(/already holds people/);
  });

  it('refuses a roster with bad rows on one line naming each, and imports without them on request', async () => {
    const file = join(dir, 'dibao.csv');
    writeFileSync(file, rosterCsv([{ id: idNumber(1) }, { id: '513330199001011230' }, { id: idNumber(2), division: '513330999001' }]));
    const args = ['roster', 'import', file, '--mode', 'add', '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-01-01', '--division', '513330'];
    const refused = await run(...args);
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(/ROSTER_REJECTED: .*2 bad row\(s\): row 3: .*; row 4: division 513330999001 is not a known division/);
    const dry = await run(...args, '--skip-bad-rows', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^dry run, nothing written: add 1 of 3 rows/);
    const skipped = await run(...args, '--skip-bad-rows');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/roster #\d+: add 1 of 3 rows for 513330; 1 people registered \(1 households\), 1 identities added, 0 ended/);
    expect(skipped.out).toMatch(/skipped row 3: /);
    const list = await run('roster', 'list');
    expect(list.out).toMatch(/#\d+ {2}add {2}civil_affairs\/minimum_living {2}513330/);
  });

  it('replaces a county list only with the mode, the division and the confirmed number of statuses it ends', async () => {
    const file = join(dir, 'dibao-short.csv');
    writeFileSync(file, rosterCsv([{ id: idNumber(1) }]));
    const base = ['roster', 'import', file, '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-07-01'];
    for (const argv of [base, [...base, '--mode', 'replace'], [...base, '--mode', 'all', '--division', '513330']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
    }
    expect((await run(...base)).err[0]).toMatch(/--mode is required/);
    const replace = [...base, '--mode', 'replace', '--division', '513330'];
    const dry = await run(...replace, '--dry-run');
    const ends = Number(/(\d+) ended/.exec(dry.out)![1]);
    expect(ends).toBeGreaterThan(10);
    expect(dry.out).toContain(`--confirm-end ${ends}`);
    const unconfirmed = await run(...replace);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toEqual([expect.stringMatching(new RegExp(`CONFIRM_END_REQUIRED: this roster would end ${ends} minimum_living statuses`))]);
    const confirmed = await run(...replace, '--confirm-end', String(ends));
    expect(confirmed.code).toBe(0);
    expect(confirmed.out).toMatch(new RegExp(`${ends} ended`));
  });

  it('opens the campaign, takes a payment and reports coverage as CSV', async () => {
    const open = await run('campaign', 'open', '--year', '2025');
    expect(open.code).toBe(0);
    expect(open.out).toMatch(/campaign 2025 for 513330 \(dege-2025\): 1 enrollments created/);
    const pay = await run('payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '100', '--reference', 'R-77', '--paid-on', '2024-11-15');
    expect(pay.out).toMatch(/paid 100\.00 of 100\.00 yuan, enrolled/);
    const status = await run('campaign', 'status', '--year', '2025', '--json');
    expect(JSON.parse(status.out)).toMatchObject({ persons: 401 });
    const file = join(dir, 'coverage.csv');
    const report = await run('report', 'coverage', '--year', '2025', '--format', 'csv', '--out', file);
    expect(report.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\ufeffdivision_code,division,level,target,enrolled/);
  });

  it('exits 2 with one line on bad input', async () => {
    for (const argv of [
      ['campaign', 'open'],
      ['campaign', 'open', '--year', 'next'],
      ['payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '1.234'],
      ['report', 'coverage', '--year', '2025', '--format', 'pdf', '--out', 'x.pdf'],
      ['roster', 'import', 'missing.csv', '--department', 'civil_affairs', '--identity', 'poor', '--from', '2025-01-01'],
      ['demo', '--size', 'huge'],
      ['campaign', 'open', '--year', '2025', '--bogus'],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
    }
  });
});
