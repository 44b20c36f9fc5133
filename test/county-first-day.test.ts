/**
 * The README's "A first day, in order" (Deploying for a real county), run as it is
 * written: every `npx sanbao …` line of that block, against a new database without
 * the demo, with the county's own files — then a settlement with the key the block
 * printed, and the backup it wrote restored into another empty database. A command
 * the README gets wrong fails here (the payment line once had no --paid-on and was
 * refused outside the collection window).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { cliConfig } from '../src/cli/database.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { openDatabase } from '../src/store/open.ts';
import { cliTempDir, closeCliDatabase, openCliDatabase, pointCliAt, runCli } from './support/cli.ts';
import { createTestDb, type TestDb } from './support/db.ts';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const dir = cliTempDir('sanbao-first-day-');
let t: TestDb | undefined;
let restored: TestDb | undefined;

beforeAll(async () => {
  t = await openCliDatabase(dir);
});
afterAll(async () => {
  await restored?.drop();
  await closeCliDatabase(t, dir);
});

/** The `npx sanbao` commands of the README's first-day block, each as its words (a file named by its base name in dir). */
function firstDayCommands(): string[][] {
  const section = readme.slice(readme.indexOf('**A first day, in order**'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split('\n')
    .map((line) => line.replace(/\s#\s.*$/, '').trim())
    .flatMap((line) => line.split(' && '))
    .filter((command) => command.startsWith('npx sanbao '))
    .map((command) =>
      command
        .slice('npx sanbao '.length)
        .replace('$(date +%F)', '2026-11-28')
        .split(/\s+/)
        .map((word) => (/\.(csv|xlsx|gz)$/.test(word) ? join(dir, basename(word)) : word)),
    );
}

// The county's files: a county, one township, two villages; two households; one person on the minimum-living roster.
writeFileSync(join(dir, 'divisions.csv'), '区划代码,名称,藏文名称\n513330,德格县,སྡེ་དགེ་རྫོང་།\n513330100,更庆镇,དགོན་ཆེན་གྲོང་རྡལ།\n513330100201,更庆村,\n513330100202,八美村,\n');
writeFileSync(
  join(dir, 'register.csv'),
  [
    '户号,身份证号,姓名,藏文姓名,与户主关系,联系电话,村代码',
    'GQ-0001,513330198001010010,扎西,བཀྲ་ཤིས།,户主,13800000001,513330100201',
    'GQ-0001,513330198202020020,卓玛,,配偶,,513330100201',
    'BM-0001,513330196004040048,格桑,,户主,0836-8222333,513330100202',
  ].join('\n'),
);
writeFileSync(join(dir, 'minimum-living.csv'), '身份证号,姓名,行政区划\n513330196004040048,格桑,513330100202\n');

describe("the README's first day of a real county", () => {
  let key = '';
  const outputs: string[] = [];

  it('runs every command of the block, each exit 0', async () => {
    const commands = firstDayCommands();
    expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual([
      'staff add', 'division import', 'division import', 'household import', 'household import', 'roster import',
      'campaign open', 'payment record', 'facility add', 'monitor run', 'report coverage', 'backup --out',
    ]);
    for (const command of commands) {
      const r = await runCli(...command);
      expect(r.err.filter((line) => !line.includes('█')), command.join(' ')).toEqual([]);
      expect(r.code, `${command.join(' ')}\n${r.out}`).toBe(0);
      outputs.push(r.out);
    }
    expect(outputs.join('\n')).toMatch(/staff dorje created \(bureau_admin, 513330\)/);
    expect(outputs.join('\n')).toMatch(/3 people added|2 households added, 3 people added/);
    expect(outputs.join('\n')).toMatch(/paid 400\.00 of 400\.00 yuan, enrolled/);
    key = /API key \(shown once[^)]*\): (sb_\S+)/.exec(outputs.join('\n'))![1]!;
  }, 180_000);

  it("settles a bill of an enrolled resident with the facility's printed key", async () => {
    const config = cliConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp({ db, policies: loadPolicies(config.policyDir), logLevel: 'silent' });
    try {
      const settled = await app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${key}` },
        payload: { transactionId: 'HIS-0001', patient: { idNumber: '513330198001010010' }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 1_000_000, compliant: 800_000 } },
      });
      expect(settled.statusCode, settled.body).toBe(201);
      expect(settled.json()).toMatchObject({ policy: 'dege-2025', facility: { code: 'H51333000001' } });
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('restores the backup it wrote into another empty database', async () => {
    const coverage = await runCli('report', 'coverage', '--year', '2025');
    const backup = join(dir, 'sanbao-2026-11-28.sanbao.gz');
    restored = process.env.SANBAO_TEST_DATABASE_URL ? await createTestDb() : undefined;
    pointCliAt(restored?.url, join(dir, 'restored'));
    const r = await runCli('restore', backup);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect((await runCli('report', 'coverage', '--year', '2025')).out).toBe(coverage.out);
  }, 120_000);
});
