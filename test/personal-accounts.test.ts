/**
 * Issue 13: employee personal accounts — monthly credits by the policy
 * (idempotent), the account paying the patient's part after the funds at the
 * patient's choice (acctUsedFlag), a named amount above the balance refused,
 * reversals and re-adjudication giving back exactly what they should, every
 * movement audited, and the yearly statement.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditMonth } from '../src/service/personal-account-credit.ts';
import { openAccountApp, type AccountFixture } from './support/account-fixture.ts';
import type { TestDb } from './support/db.ts';
import { KEYS } from './support/fixture.ts';
import { staffToken } from './support/monitoring.ts';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestApp } from './support/test-app.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let a: AccountFixture;
let clerk: { authorization: string };
const policies = loadFixturePolicies();
const lhasa = { authorization: `Bearer ${KEYS.lhasa}` };

beforeAll(async () => {
  const opened = await openAccountApp(policies, { clerk: true });
  ({ testApp, a } = opened);
  ({ t, app } = testApp);
  clerk = opened.clerk!;
});
afterAll(() => testApp?.close());

const balance = async (personId: number) =>
  (await t.db.query<{ b: number }>('SELECT coalesce((SELECT balance_fen::int FROM personal_accounts WHERE person_id = $1), 0) AS b', [personId]))[0]!.b;
const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params))[0]!.n;
const settle = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/settlements', headers: lhasa, payload });
const outpatient = (id: string, idNumber: string, total: number, compliant: number, extra: Record<string, unknown> = {}) =>
  settle({ transactionId: id, patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-07-01' }, amounts: { total, compliant }, ...extra });

describe('monthly credits', () => {
  it('credits a share of the base in service and the fixed amount retired; a month credited twice credits once', async () => {
    const run = (month: string) => creditMonth(t.db, policies, { month, today: '2025-12-31', actor: 'test' });
    const first = await run('2025-01');
    // 2% of 8,000 yuan = 160 yuan; retired 90 yuan; the stranger has no base recorded.
    expect(first).toMatchObject({ month: '2025-01', employees: 3, credited: 2, amount: 16_000 + 9_000, alreadyCredited: 0, skippedNoBase: 1 });
    const again = await run('2025-01');
    expect(again).toMatchObject({ credited: 0, amount: 0, alreadyCredited: 2, skippedNoBase: 1 });
    expect(await balance(a.head.id)).toBe(16_000);
    expect(await balance(a.father.id)).toBe(9_000);
    expect(await balance(a.spouse.id)).toBe(0); // a resident has no account
    await run('2025-02');
    await run('2025-03');
    expect(await balance(a.head.id)).toBe(48_000);
    expect(await count(`SELECT count(*)::int AS n FROM personal_account_entries WHERE kind = 'credit'`)).toBe(6);
    // Every ledger row is named by the audit entry of its page, with its holder, amount and balance after.
    const audited = await t.db.query<{ id: number; person: number; amount: number; after: number }>(
      `SELECT (x->>0)::int AS id, (x->>1)::int AS person, (x->>2)::int AS amount, (x->>3)::int AS after
       FROM audit_log, jsonb_array_elements(detail->'entries') x WHERE action = 'account.credit_batch' ORDER BY 1`,
    );
    const ledger = await t.db.query<{ id: number; person: number; amount: number; after: number }>(
      `SELECT id::int, person_id::int AS person, amount_fen::int AS amount, balance_after_fen::int AS after FROM personal_account_entries WHERE kind = 'credit' ORDER BY id`,
    );
    expect(audited).toEqual(ledger);
  });

  it('refuses a malformed month, a month not begun and a year without accounts, crediting nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM personal_account_entries');
    for (const [month, code] of [['2025-13', 'INVALID_MONTH'], ['25-01', 'INVALID_MONTH'], ['2026-01', 'MONTH_IN_FUTURE'], ['2019-05', 'NO_ACCOUNT_POLICY']] as const) {
      await expect(creditMonth(t.db, policies, { month, today: '2025-12-31', actor: 'test' })).rejects.toMatchObject({ code });
    }
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/account-credits', headers: clerk, payload: { month: '2025-13' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_MONTH', field: 'month' });
    expect(await count('SELECT count(*)::int AS n FROM personal_account_entries')).toBe(before);
  });

  it('runs from the console for the bureau, not for a township station', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/account-credits', headers: clerk, payload: { month: '2025-03' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ credited: 0, alreadyCredited: 2 });
    const station = await staffToken(app, 'station1');
    expect((await app.inject({ method: 'POST', url: '/api/v1/console/account-credits', headers: station, payload: { month: '2025-03' } })).statusCode).toBe(403);
  });
});

describe('paying from the account at the desk', () => {
  let paid: Record<string, any>;

  it('tells the hospital the balance when it identifies an employee (balc), and none for a resident', async () => {
    const identify = (idNumber: string) => app.inject({ method: 'POST', url: '/api/v1/identify', headers: lhasa, payload: { patient: { idNumber }, year: 2025 } });
    expect((await identify(a.head.idNumber)).json().accountBalance).toBe(48_000);
    expect((await identify(a.stranger.idNumber)).json().accountBalance).toBe(0);
    expect((await identify(a.spouse.idNumber)).json().accountBalance).toBeNull();
  });

  it('shows in a pre-settlement what the account would pay, writing nothing', async () => {
    const entries = await count('SELECT count(*)::int AS n FROM personal_account_entries');
    const res = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: lhasa,
      payload: { patient: { idNumber: a.head.idNumber }, visit: { kind: 'outpatient', date: '2025-07-01' }, amounts: { total: 100_000, compliant: 80_000 }, acctUsedFlag: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().account).toMatchObject({ acctPay: 44_000, acctMulaidPay: 0, cashPay: 20_000 });
    const above = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: lhasa,
      payload: { patient: { idNumber: a.head.idNumber }, visit: { kind: 'outpatient', date: '2025-07-01' }, amounts: { total: 100_000, compliant: 80_000 }, acctUsedFlag: true, acctPayAmount: 44_001 },
    });
    expect(above.json().error.code).toBe('ACCOUNT_ABOVE_PAYABLE');
    expect(await count('SELECT count(*)::int AS n FROM personal_account_entries')).toBe(entries);
    expect(await balance(a.head.id)).toBe(48_000);
  });

  it('pays the compliant part the funds leave, after them, in the same transaction, as a step of the explanation', async () => {
    // Employee outpatient at level 3: deductible 200 yuan, 60% → basic 360 yuan; compliant self-pay 440; excluded 200.
    const res = await outpatient('ACCT-1', a.head.idNumber, 100_000, 80_000, { acctUsedFlag: true });
    expect(res.statusCode).toBe(201);
    paid = res.json();
    expect(paid.funds.basic).toBe(36_000);
    expect(paid.selfPayCompliant).toBe(44_000);
    expect(paid.account).toMatchObject({ acctPay: 44_000, acctMulaidPay: 0, cashPay: 64_000 - 44_000, balance: 4_000 });
    const step = paid.steps.find((s: { fund: string }) => s.fund === 'personalAccount');
    expect(step).toMatchObject({ rule: 'account.own', base: 44_000, amount: 44_000, holderId: a.head.id });
    expect(await balance(a.head.id)).toBe(48_000 - 44_000);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.spend'`)).toBe(1);
  });

  it('answers a retry with the same account part and takes nothing more', async () => {
    const res = await outpatient('ACCT-1', a.head.idNumber, 100_000, 80_000, { acctUsedFlag: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().account).toEqual(paid.account);
    expect(await balance(a.head.id)).toBe(4_000);
    const read = await app.inject({ method: 'GET', url: '/api/v1/settlements/ACCT-1', headers: lhasa });
    expect(read.json().account).toMatchObject({ acctPay: 44_000, cashPay: 20_000, balance: 4_000 });
  });

  it('pays only the balance when the bill is larger (the rest in cash), as the national interface does', async () => {
    // Deductible used: 10,000 compliant → basic 6,000, compliant self-pay 4,000 + excluded 1,000; the balance is 4,000.
    const res = await outpatient('ACCT-2', a.head.idNumber, 21_000, 20_000, { acctUsedFlag: true });
    expect(res.json().account).toMatchObject({ acctPay: 4_000, cashPay: res.json().selfPay - 4_000 });
    expect(await balance(a.head.id)).toBe(0);
  });

  it('refuses a named amount above the balance, or above the part the account may pay, or without the flag: nothing written', async () => {
    const settlements = await count('SELECT count(*)::int AS n FROM settlements');
    const entries = await count('SELECT count(*)::int AS n FROM personal_account_entries');
    const above = await outpatient('ACCT-3', a.head.idNumber, 10_000, 10_000, { acctUsedFlag: true, acctPayAmount: 100 });
    expect(above.statusCode).toBe(422);
    expect(above.json().error).toMatchObject({ code: 'ACCOUNT_INSUFFICIENT', field: 'acctPayAmount' });
    await creditMonth(t.db, policies, { month: '2025-04', today: '2025-12-31', actor: 'test' }); // 16,000 in
    const payable = await outpatient('ACCT-3', a.head.idNumber, 10_000, 10_000, { acctUsedFlag: true, acctPayAmount: 4_001 });
    expect(payable.statusCode).toBe(422);
    expect(payable.json().error).toMatchObject({ code: 'ACCOUNT_ABOVE_PAYABLE', field: 'acctPayAmount' });
    const unchosen = await outpatient('ACCT-3', a.head.idNumber, 10_000, 10_000, { acctPayAmount: 100 });
    expect(unchosen.statusCode).toBe(400);
    expect(unchosen.json().error).toMatchObject({ code: 'ACCOUNT_NOT_CHOSEN', field: 'acctPayAmount' });
    expect(await count('SELECT count(*)::int AS n FROM settlements')).toBe(settlements);
    expect(await count('SELECT count(*)::int AS n FROM personal_account_entries')).toBe(entries + 2); // the month's credits only (the head's and the retired father's)
    expect(await balance(a.head.id)).toBe(16_000);
    // Exactly the named amount, when it fits.
    const exact = await outpatient('ACCT-3', a.head.idNumber, 10_000, 10_000, { acctUsedFlag: true, acctPayAmount: 1_500 });
    expect(exact.json().account).toMatchObject({ acctPay: 1_500, cashPay: 4_000 - 1_500 });
    expect(await balance(a.head.id)).toBe(14_500);
  });

  it('gives back exactly what a reversed bill took, and what a correction no longer leaves to the patient', async () => {
    const before = await balance(a.head.id);
    const reversed = await app.inject({ method: 'POST', url: '/api/v1/settlements/ACCT-1/reversal', headers: lhasa, payload: { reversalId: 'ACCT-1-R' } });
    expect(reversed.statusCode).toBe(200);
    // ACCT-1's 44,000 comes back; the later bills are settled again (the deductible moves to ACCT-2), which only grows their patient part.
    expect(await balance(a.head.id)).toBe(before + 44_000);
    expect(await count(`SELECT count(*)::int AS n FROM personal_account_entries WHERE kind = 'restore' AND rule = 'restore.reversal'`)).toBe(1);
    // A retried reversal gives back nothing more.
    await app.inject({ method: 'POST', url: '/api/v1/settlements/ACCT-1/reversal', headers: lhasa, payload: { reversalId: 'ACCT-1-R' } });
    expect(await balance(a.head.id)).toBe(before + 44_000);

    // ACCT-2 paid 4,000 from the account; corrected to 1,000 compliant, its compliant patient part falls below that.
    const corrected = await app.inject({ method: 'POST', url: '/api/v1/settlements/ACCT-2/correction', headers: lhasa, payload: { correctionId: 'ACCT-2-C', amounts: { total: 1_000, compliant: 1_000 } } });
    expect(corrected.statusCode).toBe(201);
    const [row] = await t.db.query<{ amount: number }>(`SELECT amount_fen::int AS amount FROM personal_account_entries WHERE kind = 'restore' AND rule = 'restore.readjudication'`);
    // Now the first bill of the year: 1,000 under the deductible is all the patient's, so 1,000 stays paid and 3,000 comes back.
    expect(row!.amount).toBe(3_000);
    expect(await balance(a.head.id)).toBe(before + 44_000 + 3_000);
    const read = await app.inject({ method: 'GET', url: '/api/v1/settlements/ACCT-2', headers: lhasa });
    expect(read.json().account.acctPay).toBe(1_000);
  });

  it('leaves the balance of an employee who did not choose the account', async () => {
    const before = await balance(a.head.id);
    const res = await outpatient('ACCT-4', a.head.idNumber, 5_000, 5_000);
    expect(res.json().account).toMatchObject({ acctPay: 0, acctMulaidPay: 0, cashPay: res.json().selfPay });
    expect(res.json().steps.some((s: { fund: string }) => s.fund === 'personalAccount')).toBe(false);
    expect(await balance(a.head.id)).toBe(before);
    // "acctUsedFlag": false is the same request as none: a retry with it answers the first result.
    const retry = await outpatient('ACCT-4', a.head.idNumber, 5_000, 5_000, { acctUsedFlag: false });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().replayed).toBe(true);
    // Choosing the account on a retry is another request.
    expect((await outpatient('ACCT-4', a.head.idNumber, 5_000, 5_000, { acctUsedFlag: true })).statusCode).toBe(409);
  });
});

describe('the yearly statement', () => {
  it('lists every movement with the balance after it, the totals and the closing balance', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/console/persons/${a.head.id}/account?year=2025`, headers: clerk });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.person.idNumber).not.toBe(a.head.idNumber); // masked
    expect(s.opening).toBe(0);
    expect(s.totals.credits).toBe(16_000 * 4);
    expect(s.closing).toBe(s.balance);
    expect(s.closing).toBe(s.opening + s.totals.credits - s.totals.ownSpends - s.totals.familySpends + s.totals.restored);
    let running = s.opening;
    for (const line of s.lines) {
      running += line.amount;
      expect(line.balanceAfter).toBe(running);
    }
    const html = await app.inject({ method: 'GET', url: `/api/v1/console/persons/${a.head.id}/account?year=2025&format=html&lang=bo`, headers: clerk });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('ལོ་འཁོར་གྱི་རྩིས་ཐོ།');
    expect(html.body).not.toContain(a.head.idNumber);
  });

  it('is refused to staff outside the person\'s division', async () => {
    const dege = await staffToken(app, 'clerk');
    expect((await app.inject({ method: 'GET', url: `/api/v1/console/persons/${a.head.id}/account`, headers: dege })).statusCode).toBe(403);
  });

  it('records the contribution base (audited) only for employees, within bounds', async () => {
    const ok = await app.inject({ method: 'PUT', url: `/api/v1/console/persons/${a.stranger.id}/account/base`, headers: clerk, payload: { base: 650_000 } });
    expect(ok.statusCode).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.set_base' AND entity_id = $1`, [String(a.stranger.id)])).toBe(1);
    const resident = await app.inject({ method: 'PUT', url: `/api/v1/console/persons/${a.spouse.id}/account/base`, headers: clerk, payload: { base: 650_000 } });
    expect(resident.json().error.code).toBe('NOT_AN_EMPLOYEE');
    for (const base of [0, -5, 1.5, '6500']) {
      const bad = await app.inject({ method: 'PUT', url: `/api/v1/console/persons/${a.stranger.id}/account/base`, headers: clerk, payload: { base } });
      expect(bad.statusCode).toBe(400);
    }
    const huge = await app.inject({ method: 'PUT', url: `/api/v1/console/persons/${a.stranger.id}/account/base`, headers: clerk, payload: { base: 100_000_001 } });
    expect(huge.json().error.code).toBe('INVALID_BASE');
  });
});

describe('the API document', () => {
  it('lists the account paths and the settlement\'s acctUsedFlag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/console/persons/{id}/account', '/api/v1/console/account-credits', '/api/v1/me/account', '/api/v1/console/reports/out-of-area']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const settle = JSON.stringify(doc.paths['/api/v1/settlements'].post.requestBody);
    expect(settle).toContain('acctUsedFlag');
    expect(settle).toContain('acctPayAmount');
  });
});
