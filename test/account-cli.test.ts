/**
 * `sanbao account …` on a test database: the credit run (once per month, with
 * progress), the base, links and the statement; bad input exits 2 with one line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { accountCommand, type AccountDeps } from '../src/cli/account-command.ts';
import { main } from '../src/cli/main.ts';
import { memoryIo, runCommand } from './support/cli.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedAccountFixture, type AccountFixture } from './support/account-fixture.ts';
import { seedFixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let a: AccountFixture;
let deps: AccountDeps;
const stages: string[] = [];

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  await seedFixture(t.db, policies);
  a = await seedAccountFixture(t.db);
  deps = { db: t.db, policies, today: '2025-12-31', progress: { update: (s, done, total) => stages.push(`${s} ${done}/${total}`), finish: () => undefined, abandon: () => undefined } };
});
afterAll(async () => {
  await t?.drop();
});

async function run(...argv: string[]) {
  const { io, out, err } = memoryIo();
  const code = await runCommand(io, () => accountCommand(io, argv, undefined, deps));
  return { code, out: out.join('\n'), err };
}

describe('sanbao account', () => {
  it('credits a month once, showing progress', async () => {
    const first = await run('credit', '--month', '2025-05');
    expect(first.code).toBe(0);
    expect(first.out).toContain('2025-05: 2 accounts credited, 250.00 yuan');
    expect(stages.at(-1)).toBe('credit 2025-05 3/3');
    const again = await run('credit', '--month', '2025-05');
    expect(again.out).toContain('0 accounts credited, 0.00 yuan; 2 already credited');
  });

  it('records a base in yuan, links a relative, prints the statement in three forms', async () => {
    expect((await run('set-base', '--person', a.stranger.idNumber, '--base', '6500.50')).out).toContain('6,500.50 yuan a month');
    const linked = await run('link', '--employee', a.head.idNumber, '--relative', a.child.idNumber);
    expect(linked.code).toBe(0);
    expect(linked.out).toContain('(child)');
    const text = await run('statement', '--person', a.head.idNumber, '--year', '2025');
    expect(text.out).toContain('credited 160.00');
    expect(text.out).not.toContain(a.head.idNumber);
    const json = JSON.parse((await run('statement', '--person', a.head.idNumber, '--year', '2025', '--format', 'json')).out);
    expect(json.balance).toBe(16_000);
    const dir = mkdtempSync(join(tmpdir(), 'sanbao-statement-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'statement.html');
    expect((await run('statement', '--person', a.head.idNumber, '--year', '2025', '--format', 'html', '--lang', 'en', '--out', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('Employee personal account — yearly statement');
  });

  it.each([
    [['credit'], '--month is required'],
    [['credit', '--month', '2025-14'], 'INVALID_MONTH'],
    [['credit', '--month', '2030-01'], 'MONTH_IN_FUTURE'],
    [['set-base', '--person', '540102198003045011', '--base', '12.345'], 'not a yuan amount'],
    [['link', '--employee', 'X', '--relative', 'Y'], 'ID number'],
    [['link', '--employee', '__HEAD__', '--relative', '__HEAD__'], 'SELF_LINK'],
    [['link', '--employee', '__HEAD__', '--relative', '__STRANGER__'], 'NOT_A_REGISTERED_RELATIVE'],
    [['link', '--employee', '__HEAD__', '--relative', '__SPOUSE__', '--relation', 'cousin'], '--relation must be one of'],
    [['statement', '--person', '__HEAD__', '--year', '25'], '--year must be a year'],
    [['unlink', '--link', 'abc'], '--link must be a link number'],
    [['frobnicate'], 'usage'],
  ])('%j exits 2 with one line naming the problem', async (argv, message) => {
    const swap = (s: string) => s.replace('__HEAD__', a.head.idNumber).replace('__STRANGER__', a.stranger.idNumber).replace('__SPOUSE__', a.spouse.idNumber);
    const r = await run(...argv.map(swap));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(message);
  });

  it('is listed in the help and reached from main', async () => {
    const { io, out, err } = memoryIo();
    await main(['help'], io);
    expect(out.join('\n')).toContain('sanbao account credit --month YYYY-MM');
    expect(await main(['account', 'help'], io)).toBe(0);
    expect(out.at(-1)).toContain('sanbao account statement --person ID_NUMBER --year YYYY');
    expect(await main(['account', 'credit'], io)).toBe(2);
    expect(err).toHaveLength(1);
  });
});
