/** Issue 14 at the command line: reconcile from a hospital's file, clear a month, write a statement; bad input exits 2 with one line. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { clearingCommand, reconcileCommand, type FundCliDeps } from '../src/cli/fund-commands.ts';
import { reportError } from '../src/cli/io.ts';
import { ledgerCommand } from '../src/cli/ledger-command.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let fx: Fixture;
let deps: FundCliDeps;
let today = '';
let day = '';
const dir = mkdtempSync(join(tmpdir(), 'sanbao-fund-'));

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  fx = await seedFixture(t.db, policies);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  deps = { db: t.db, policies, today: () => today };
  const [row] = await t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  day = row!.d;
  today = day;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(fn: (io: Parameters<typeof reconcileCommand>[0]) => Promise<number>) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdin: async () => '', out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
  const code = await fn(io).catch((e) => reportError(e, io));
  return { code, out, err };
}

describe('sanbao reconcile and clearing', () => {
  it('reconciles a hospital’s file; a bad total exits 2 with one line naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: 'CLI-1', patient: { idNumber: fx.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 20_000, compliant: 20_000 } } });
    const funds = Object.values(res.json().funds as Record<string, number>).reduce((a, b) => a + b, 0);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ requestId: 'F-1', from: day, to: day, totals: [{ insutype: '390', clr_type: '11', fixmedins_setl_cnt: 1, medfee_sumamt: 20_000, fund_pay_sumamt: funds, acct_pay: 0 }] }));
    const ok = await run((io) => reconcileCommand(io, ['submit', '--facility', 'H51333000001', good], undefined, deps));
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatch(/: matched$/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ requestId: 'F-2', from: day, to: day, totals: [{ insutype: '390', clr_type: '11', fixmedins_setl_cnt: 1, medfee_sumamt: '200.00', fund_pay_sumamt: 0 }] }));
    const refused = await run((io) => reconcileCommand(io, ['submit', '--facility', 'H51333000001', bad], undefined, deps));
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toContain('totals[0].medfee_sumamt');
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{');
    expect((await run((io) => reconcileCommand(io, ['submit', '--facility', 'H51333000001', notJson], undefined, deps))).code).toBe(2);
  });

  it('clears a month once, writes the statement, and the ledger verifies', async () => {
    const month = day.slice(0, 7);
    const early = await run((io) => clearingCommand(io, ['run', '--month', month], undefined, deps));
    expect(early.code).toBe(2);
    expect(early.err[0]).toContain('MONTH_NOT_OVER');
    today = `${Number(month.slice(0, 4)) + 1}-01-15`;
    const first = await run((io) => clearingCommand(io, ['run', '--month', month], undefined, deps));
    expect(first.code, first.err.join()).toBe(0);
    expect(first.out.at(-1)).toBe(`1 hospital(s) cleared for ${month}`);
    const again = await run((io) => clearingCommand(io, ['run', '--month', month, '--facility', 'H51333000001'], undefined, deps));
    expect(again.code).toBe(2);
    expect(again.err).toEqual([expect.stringContaining('MONTH_CLEARED')]);
    const [c] = await t.db.query<{ id: number }>('SELECT id::int AS id FROM clearings');
    const out = join(dir, 'statement.csv');
    expect((await run((io) => clearingCommand(io, ['statement', '--id', String(c!.id), '--out', out], undefined, deps))).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('合计拨付');
    expect((await run((io) => ledgerCommand(io, ['verify'], t.db))).code).toBe(0);
  });
});
