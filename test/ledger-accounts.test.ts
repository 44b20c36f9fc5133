/**
 * Issue 14 with issue 13's personal accounts: random credits, bills paid from
 * accounts (own and shared), reversals and corrections keep the fund ledger
 * balanced and equal to every account entry; the accounts' payments reach the
 * reconciliation (acct_pay) and the hospital's monthly clearing.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { clearMonthFor } from '../src/service/clearing.ts';
import { creditMonth } from '../src/service/personal-account-credit.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { bureauStatement } from '../src/service/reconciliation.ts';
import { seedAccountFixture, type AccountFixture } from './support/account-fixture.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let a: AccountFixture;
let fx: Fixture;
const policies = loadFixturePolicies();
const lhasa = { authorization: `Bearer ${KEYS.lhasa}` };
let today = '';

beforeAll(async () => {
  t = await createTestDb();
  fx = await seedFixture(t.db, policies);
  a = await seedAccountFixture(t.db);
  await t.db.query('INSERT INTO family_links (holder_id, relative_id, relation, created_by) VALUES ($1, $2, $3, $4)', [a.head.id, a.spouse.id, 'spouse', 'test']);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  const [row] = await t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  today = row!.d;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

let n = 0;
const settled: string[] = [];
const settle = (who: 'head' | 'spouse' | 'father', total: number, compliant: number) => {
  n += 1;
  const id = `LA-${n}`;
  return app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: lhasa,
    payload: { transactionId: id, patient: { idNumber: a[who].idNumber }, visit: { kind: 'outpatient', date: '2025-06-10' }, amounts: { total, compliant }, acctUsedFlag: true },
  }).then((res) => {
    expect([201, 422], res.body).toContain(res.statusCode);
    if (res.statusCode === 201) settled.push(id);
    return res;
  });
};

describe('personal accounts in the fund ledger', () => {
  it('a bill paid from the account posts the spend; the bureau’s 3201 totals carry it as acct_pay', async () => {
    await creditMonth(t.db, policies, { month: '2025-01', today: '2025-12-31', actor: 'test' });
    await creditMonth(t.db, policies, { month: '2025-02', today: '2025-12-31', actor: 'test' });
    const res = await settle('head', 30_000, 30_000);
    expect(res.statusCode, res.body).toBe(201);
    const [spent] = await t.db.query<{ n: string }>("SELECT COALESCE(sum(amount_fen), 0)::text AS n FROM personal_account_entries WHERE kind = 'spend'");
    expect(Number(spent!.n)).toBeGreaterThan(0);
    const statement = await bureauStatement(t.db, fx.facilities.lhasa, today, today);
    expect(statement.totals.reduce((s, l) => s + l.acct_pay, 0)).toBe(Number(spent!.n));
    const v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    const accounts = v.checks.find((c) => c.name === 'personal accounts')!;
    expect(accounts.sources).toBeGreaterThanOrEqual(3);
  });

  it('random credits, bills, reversals and corrections keep the books equal to the accounts', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('credit' as const), month: fc.integer({ min: 3, max: 12 }) }),
      fc.record({ kind: fc.constant('settle' as const), who: fc.constantFrom('head' as const, 'spouse' as const, 'father' as const), total: fc.integer({ min: 100, max: 300_000 }), share: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), total: fc.integer({ min: 100, max: 300_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 8 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'credit') await creditMonth(t.db, policies, { month: `2025-${String(o.month).padStart(2, '0')}`, today: '2025-12-31', actor: 'test' });
          else if (o.kind === 'settle') await settle(o.who, o.total, Math.floor((o.total * o.share) / 100));
          else if (settled.length > 0) {
            const id = settled[o.pick % settled.length]!;
            n += 1;
            const res = o.kind === 'reverse'
              ? await app.inject({ method: 'POST', url: `/api/v1/settlements/${id}/reversal`, headers: lhasa, payload: { reversalId: `${id}-R${n}` } })
              : await app.inject({ method: 'POST', url: `/api/v1/settlements/${id}/correction`, headers: lhasa, payload: { correctionId: `${id}-C${n}`, amounts: { total: o.total, compliant: o.total } } });
            expect([200, 201, 409], res.body).toContain(res.statusCode);
          }
        }
        const v = await verifyLedger(t.db);
        expect(v.firstDifference).toBeNull();
      }),
      { numRuns: 8, seed: 1414 },
    );
    const [kinds] = await t.db.query<{ restores: number }>("SELECT count(*) FILTER (WHERE kind = 'restore')::int AS restores FROM personal_account_entries");
    expect(kinds!.restores).toBeGreaterThan(0);
  }, 240_000);

  it('the hospital’s clearing pays what the accounts paid it', async () => {
    const month = today.slice(0, 7);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const after = m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
    const { cleared } = await clearMonthFor({ db: t.db, policies }, { month, facility: 'H54010200001', actor: 'test', today: after });
    const [net] = await t.db.query<{ n: string }>(
      "SELECT COALESCE(sum(CASE WHEN e.kind = 'spend' THEN e.amount_fen ELSE -e.amount_fen END), 0)::text AS n FROM personal_account_entries e WHERE e.settlement_id IS NOT NULL");
    expect(cleared[0]!.payments.personal_account ?? 0).toBe(Number(net!.n));
    expect((await verifyLedger(t.db)).firstDifference).toBeNull();
  });
});
