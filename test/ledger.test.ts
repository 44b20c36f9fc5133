/**
 * Issue 14, the fund ledger at the database: every settlement, reversal,
 * correction and contribution posts its balanced journal in its own
 * transaction; `sanbao ledger verify` proves the books and names the first
 * difference; the database refuses an unbalanced journal and any edit.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { ledgerCommand } from '../src/cli/ledger-command.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { recordPayment, reversePayment } from '../src/service/enrollment-payments.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let fx: Fixture;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  fx = await seedFixture(t.db, policies);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const auth = { authorization: `Bearer ${KEYS.county}` };
async function settle(transactionId: string, idNumber: string, total: number, compliant: number, date = '2025-06-01') {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: auth,
    payload: { transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date }, amounts: { total, compliant } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const reverse = (transactionId: string, reversalId: string) =>
  app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/reversal`, headers: auth, payload: { reversalId } });
const correct = (transactionId: string, correctionId: string, amounts: { total: number; compliant: number }) =>
  app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/correction`, headers: auth, payload: { correctionId, amounts } });

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdin: async () => '', out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) } };
}

async function benefit(settlementId: number) {
  const rows = await t.db.query<{ fund: string; amount: string }>(
    `SELECT e.fund, sum(e.amount_fen)::text AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.settlement_id = $1 AND e.account LIKE '%:benefit' AND j.kind IN ('settlement', 'readjudication', 'reversal') GROUP BY e.fund`, [settlementId]);
  return Object.fromEntries(rows.filter((r) => r.amount !== '0').map((r) => [r.fund, Number(r.amount)]));
}

describe('the ledger follows every bill', () => {
  it('a settlement posts what each fund pays as owed to the facility', async () => {
    const s = await settle('L-1', fx.poor.idNumber, 5_000_000, 4_000_000);
    const want = Object.fromEntries(Object.entries(s.funds as Record<string, number>).filter(([, v]) => v !== 0));
    expect(Object.keys(want).length).toBeGreaterThan(1);
    expect(await benefit(s.id)).toEqual(want);
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_journals WHERE source = $1', [`settlement:${s.id}`]);
    expect(row!.n).toBe(1);
    // A retry of the same bill posts nothing more.
    await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth,
      payload: { transactionId: 'L-1', patient: { idNumber: fx.poor.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 5_000_000, compliant: 4_000_000 } } });
    expect(await benefit(s.id)).toEqual(want);
  });

  it('a reversal takes the bill out, re-adjudicated later bills move by their difference, and verify holds', async () => {
    const a = await settle('L-2', fx.extreme.idNumber, 3_000_000, 2_800_000, '2025-03-01');
    const b = await settle('L-3', fx.extreme.idNumber, 9_000_000, 8_000_000, '2025-04-01');
    const before = await benefit(b.id);
    expect((await reverse('L-2', 'L-2-R')).statusCode).toBe(200);
    expect(await benefit(a.id)).toEqual({});
    const list = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${fx.extreme.id}&year=2025`, headers: auth });
    const effective = list.json().items.find((x: { id: number }) => x.id === b.id).effective.funds as Record<string, number>;
    expect(await benefit(b.id)).toEqual(Object.fromEntries(Object.entries(effective).filter(([, v]) => v !== 0)));
    expect(await benefit(b.id)).not.toEqual(before); // the critical-illness base moved
    expect([200, 201]).toContain((await correct('L-3', 'L-3-C', { total: 8_000_000, compliant: 7_000_000 })).statusCode);
    const v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    expect(v.trialBalance).toBe(0);
    expect(v.checks.find((c) => c.name === 'settlements')!.sourceTotal).toBeGreaterThan(0);
  });

  it('contributions and their reversal post into the basic fund; the CLI proves the books', async () => {
    const p = await addEnrolledPerson(t.db, policies);
    await t.db.query("UPDATE enrollments SET paid_fen = 0, status = 'pending' WHERE person_id = $1", [p.id]);
    const { payment } = await recordPayment(t.db, policies, { personId: p.id, year: 2025, amount: 10_000, department: null, method: 'cash', reference: null, paidOn: '2025-01-15', actor: 'staff:clerk' });
    await reversePayment(t.db, { paymentId: payment.id, reason: 'wrong person', actor: 'staff:clerk' });
    await recordPayment(t.db, policies, { personId: p.id, year: 2025, amount: 10_000, department: 'medical_assistance', method: 'transfer', reference: null, paidOn: '2025-01-15', actor: 'staff:clerk' });
    const c = io();
    expect(await ledgerCommand(c.io, ['verify'], t.db)).toBe(0);
    expect(c.out.join('\n')).toContain('the ledger balances and equals its sources');
    const tb = await verifyLedger(t.db);
    const acc = (code: string) => tb.accounts.find((a) => a.account === code)?.balance ?? 0;
    expect(acc('assistance:subsidy_paid')).toBe(10_000);
    expect(tb.byFund.basic).toBe(0);
  });
});

describe('the database keeps the books honest', () => {
  it('refuses an unbalanced journal at commit, and any edit or deletion', async () => {
    const attempt = t.db.transaction(async (tx) => {
      const [j] = await tx.query<{ id: number }>("INSERT INTO ledger_journals (kind, source, year, actor) VALUES ('receipt', 'receipt:bad', 2025, 'test') RETURNING id");
      await tx.query("INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen) VALUES ($1, 1, 'basic:bank', 'basic', 100), ($1, 2, 'critical:finance', 'critical', -100)", [j!.id]);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'SB014' });
    await expect(t.db.query("UPDATE ledger_entries SET amount_fen = amount_fen + 1 WHERE line = 1")).rejects.toMatchObject({ code: 'SB015' });
    await expect(t.db.query('DELETE FROM ledger_journals')).rejects.toMatchObject({ code: 'SB015' });
  });

  it('checks a journal again when a line is added after it was found balanced (each journal summed once per run of the checks)', async () => {
    // Balanced, checked at once (SET CONSTRAINTS … IMMEDIATE), then unbalanced by a later line: refused at commit.
    const later = t.db.transaction(async (tx) => {
      const [j] = await tx.query<{ id: number }>("INSERT INTO ledger_journals (kind, source, year, actor) VALUES ('receipt', 'receipt:later', 2025, 'test') RETURNING id");
      await tx.query("INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen) VALUES ($1, 1, 'basic:bank', 'basic', 100), ($1, 2, 'basic:finance', 'basic', -100)", [j!.id]);
      await tx.query('SET CONSTRAINTS ledger_entries_balanced IMMEDIATE');
      await tx.query('SET CONSTRAINTS ledger_entries_balanced DEFERRED');
      await tx.query("INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen) VALUES ($1, 3, 'basic:bank', 'basic', 5)", [j!.id]);
    });
    await expect(later).rejects.toMatchObject({ code: 'SB014' });
    // Two journals in one statement, the second unbalanced after the first's lines: refused.
    const second = t.db.transaction(async (tx) => {
      const js = await tx.query<{ id: number }>("INSERT INTO ledger_journals (kind, source, year, actor) VALUES ('receipt', 'receipt:two-a', 2025, 'test'), ('receipt', 'receipt:two-b', 2025, 'test') RETURNING id");
      await tx.query(
        `INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
         VALUES ($1, 1, 'basic:bank', 'basic', 100), ($1, 2, 'basic:finance', 'basic', -100), ($2, 1, 'basic:bank', 'basic', 100), ($2, 2, 'basic:finance', 'basic', -99)`,
        [js[0]!.id, js[1]!.id],
      );
    });
    await expect(second).rejects.toMatchObject({ code: 'SB014' });
    // Balanced journals of several lines each pass their checks (then rolled back: the books of the other tests stay as they are).
    const balanced = t.db.transaction(async (tx) => {
      const js = await tx.query<{ id: number }>("INSERT INTO ledger_journals (kind, source, year, actor) VALUES ('receipt', 'receipt:ok-a', 2025, 'test'), ('receipt', 'receipt:ok-b', 2025, 'test') RETURNING id");
      await tx.query(
        `INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
         VALUES ($1, 1, 'basic:bank', 'basic', 100), ($1, 2, 'basic:finance', 'basic', -60), ($1, 3, 'basic:finance', 'basic', -40), ($2, 1, 'basic:bank', 'basic', 7), ($2, 2, 'basic:finance', 'basic', -7)`,
        [js[0]!.id, js[1]!.id],
      );
      await tx.query('SET CONSTRAINTS ledger_entries_balanced IMMEDIATE');
      throw new Error('checked, rolled back');
    });
    await expect(balanced).rejects.toThrow('checked, rolled back');
  });

  it('verify names the first bill whose source differs from the ledger (exit 1, one line)', async () => {
    const s = await settle('L-9', fx.plain.idNumber, 200_000, 200_000);
    await t.db.query("UPDATE settlement_funds SET amount_fen = amount_fen + 1 WHERE settlement_id = $1 AND fund = 'basic'", [s.id]);
    const c = io();
    expect(await ledgerCommand(c.io, ['verify'], t.db)).toBe(1);
    expect(c.err).toEqual([`sanbao: ledger differs: settlements: ${s.id}:basic: the source says ${s.funds.basic + 1} fen, the ledger ${s.funds.basic} fen`]);
    await t.db.query("UPDATE settlement_funds SET amount_fen = amount_fen - 1 WHERE settlement_id = $1 AND fund = 'basic'", [s.id]);
    expect(await ledgerCommand(io().io, ['verify'], t.db)).toBe(0);
  });

  it('receive: money into a fund, idempotent on its reference; bad input exits 2 with one line', async () => {
    const c = io();
    const args = ['receive', '--fund', 'basic', '--kind', 'finance', '--amount', '707.50', '--year', '2025', '--reference', 'FIN-2025-01'];
    expect(await ledgerCommand(c.io, args, t.db)).toBe(0);
    expect(await ledgerCommand(c.io, args, t.db)).toBe(0);
    expect(c.out[1]).toContain('already recorded');
    for (const bad of [['--amount', '7.505'], ['--amount', '-1'], ['--fund', 'nofund'], ['--kind', 'gift']]) {
      const e = io();
      const a = [...args];
      a[a.indexOf(bad[0]!) + 1] = bad[1]!;
      a[a.indexOf('--reference') + 1] = 'FIN-X';
      const code = await ledgerCommand(e.io, a, t.db).catch((error) => (e.err.push(String(error.message)), 2));
      expect(code, bad.join(' ')).toBe(2);
      expect(e.err).toHaveLength(1);
    }
    const v = await verifyLedger(t.db);
    expect(v.accounts.find((a) => a.account === 'basic:finance')!.balance).toBe(-70_750);
    expect(v.ok).toBe(true);
  });
});

describe('property: any sequence of settlements, reversals and corrections keeps the books', () => {
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('settle' as const), month: fc.integer({ min: 1, max: 12 }), compliant: fc.integer({ min: 0, max: 9_000_000 }), excluded: fc.integer({ min: 0, max: 900_000 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), n: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('correct' as const), n: fc.nat(), compliant: fc.integer({ min: 0, max: 9_000_000 }) }) },
  );
  let run = 0;
  it('trial balance zero and equal to the sources after every run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 7 }), fc.constantFrom<('minimum_living' | 'extreme_poverty')[]>([], ['minimum_living'], ['extreme_poverty']), async (ops, identities) => {
        run += 1;
        const p = await addEnrolledPerson(t.db, policies, identities);
        const live: string[] = [];
        let k = 0;
        for (const o of ops) {
          k += 1;
          if (o.op === 'settle') {
            const tx = `P${run}-${k}`;
            await settle(tx, p.idNumber, o.compliant + o.excluded, o.compliant, `2025-${String(o.month).padStart(2, '0')}-05`);
            live.push(tx);
          } else if (live.length > 0) {
            const tx = live[o.n % live.length]!;
            if (o.op === 'reverse') {
              expect((await reverse(tx, `${tx}-R`)).statusCode).toBe(200);
              live.splice(live.indexOf(tx), 1);
            } else {
              expect([200, 201]).toContain((await correct(tx, `${tx}-C${k}`, { total: o.compliant + 1000, compliant: o.compliant })).statusCode);
            }
          }
        }
        const v = await verifyLedger(t.db);
        expect(v.firstDifference).toBeNull();
        expect(v.trialBalance).toBe(0);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
