/**
 * Issue 13: family sharing (家庭共济). An employee links a registered spouse,
 * parent or child — who may be in the resident scheme — and the account pays
 * their bills (acct_mulaid_pay). A link to oneself, to someone the household
 * register does not show as such a relative, of the wrong relation, or twice
 * is refused with nothing written; every link and unlink is audited.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationBetween } from '../src/domain/account/relation.ts';
import { creditMonth } from '../src/service/personal-account-credit.ts';
import { residentAccount } from '../src/service/resident-account.ts';
import { findPersonById } from '../src/store/repositories/persons.ts';
import { openAccountApp, type AccountFixture } from './support/account-fixture.ts';
import type { TestDb } from './support/db.ts';
import { KEYS } from './support/fixture.ts';
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
  for (const month of ['2025-01', '2025-02']) await creditMonth(t.db, policies, { month, today: '2025-12-31', actor: 'test' });
});
afterAll(() => testApp?.close());

const balance = async (personId: number) =>
  (await t.db.query<{ b: number }>('SELECT coalesce((SELECT balance_fen::int FROM personal_accounts WHERE person_id = $1), 0) AS b', [personId]))[0]!.b;
const links = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM family_links'))[0]!.n;
const link = (holderId: number, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/v1/console/persons/${holderId}/family-links`, headers: clerk, payload });
const inpatient = (id: string, idNumber: string, extra: Record<string, unknown> = {}) =>
  app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: lhasa,
    payload: { transactionId: id, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-08-01' }, amounts: { total: 120_000, compliant: 100_000 }, ...extra },
  });

describe('relations the register proves', () => {
  const p = (id: number, relation: string | null, householdId: number | null = 1) => ({ id, householdId, relation });
  it.each([
    [p(1, 'head'), p(2, 'spouse'), 'spouse'],
    [p(1, 'head'), p(2, 'child'), 'child'],
    [p(1, 'head'), p(2, 'parent'), 'parent'],
    [p(1, 'child'), p(2, 'head'), 'parent'],
    [p(1, 'parent'), p(2, 'head'), 'child'],
    [p(1, 'spouse'), p(2, 'child'), 'child'],
    [p(1, 'child'), p(2, 'spouse'), 'parent'],
    [p(1, 'head'), p(2, 'grandchild'), null],
    [p(1, 'head'), p(2, 'sibling'), null],
    [p(1, 'spouse'), p(2, 'parent'), null], // the head's parent is a parent-in-law
    [p(1, 'child'), p(2, 'child'), null],
    [p(1, 'head'), p(2, 'spouse', 2), null], // another household
    [p(1, 'head', null), p(2, 'spouse', null), null],
    [p(1, 'head'), p(1, 'head'), null],
  ])('%o and %o → %s', (holder, other, expected) => {
    expect(relationBetween(holder, other)).toBe(expected);
  });
});

describe('linking relatives', () => {
  it('refuses a link to oneself, a stranger, the wrong relation, a resident holder and an unknown person, writing nothing', async () => {
    const before = await links();
    const audits = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.link'`))[0]!.n;
    const cases: [number, Record<string, unknown>, number, string, string][] = [
      [a.head.id, { relativeId: a.head.id }, 422, 'SELF_LINK', 'relativeId'],
      [a.head.id, { relativeIdNumber: a.head.idNumber }, 422, 'SELF_LINK', 'relativeId'],
      [a.head.id, { relativeId: a.stranger.id }, 422, 'NOT_A_REGISTERED_RELATIVE', 'relativeId'],
      [a.head.id, { relativeId: a.child.id, relation: 'spouse' }, 422, 'RELATION_MISMATCH', 'relation'],
      [a.spouse.id, { relativeId: a.child.id }, 422, 'NOT_AN_EMPLOYEE', 'holderId'],
      [a.head.id, { relativeIdNumber: '540102199001010011' }, 404, 'UNKNOWN_PERSON', 'relativeId'],
      [a.head.id, { relativeId: a.spouse.id, relation: 'cousin' }, 400, 'INVALID_INPUT', 'relation'],
      [a.head.id, {}, 400, 'INVALID_INPUT', 'relativeId'],
    ];
    for (const [holder, payload, status, code, field] of cases) {
      const res = await link(holder, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
      if (code !== 'INVALID_INPUT') expect(res.json().error.code).toBe(code);
    }
    expect(await links()).toBe(before);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.link'`))[0]!.n).toBe(audits);
  });

  it('links the spouse and the retired father as the register shows them (audited), once', async () => {
    const spouse = await link(a.head.id, { relativeIdNumber: a.spouse.idNumber });
    expect(spouse.statusCode).toBe(201);
    expect(spouse.json()).toMatchObject({ holderId: a.head.id, relativeId: a.spouse.id, relation: 'spouse', status: 'active' });
    const father = await link(a.father.id, { relativeId: a.head.id, relation: 'child' });
    expect(father.statusCode).toBe(201);
    const twice = await link(a.head.id, { relativeId: a.spouse.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_LINKED');
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'account.link'`))[0]!.n).toBe(2);
  });
});

describe('the resident page', () => {
  it('shows a relative whose account pays for them, never its balance; the employee their own', async () => {
    const spouse = await residentAccount(t.db, (await findPersonById(t.db, a.spouse.id))!, 2025);
    expect(spouse).toMatchObject({ hasAccount: false, balance: 0, statement: null });
    expect(spouse.sharedBy).toEqual([{ maskedName: expect.not.stringMatching(/^账户1$/), relation: 'spouse' }]);
    expect(JSON.stringify(spouse)).not.toContain('32000');
    const head = await residentAccount(t.db, (await findPersonById(t.db, a.head.id))!, 2025);
    expect(head).toMatchObject({ hasAccount: true, balance: 32_000 });
    // The father shares his account with his son: the son sees it as his parent's.
    expect(head.sharedBy).toEqual([{ maskedName: expect.any(String), relation: 'parent' }]);
  });
});

describe('paying a relative\'s bill from the shared account', () => {
  it('pays the resident spouse\'s compliant part from the employee\'s account (acct_mulaid_pay)', async () => {
    const before = await balance(a.head.id);
    expect(before).toBe(32_000);
    const res = await inpatient('FAM-1', a.spouse.idNumber, { acctUsedFlag: true });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    const expected = Math.min(before, body.selfPayCompliant);
    expect(body.account).toMatchObject({ acctPay: 0, acctMulaidPay: expected, cashPay: body.selfPay - expected, balance: null });
    expect(body.steps.find((s: { fund: string }) => s.fund === 'personalAccount')).toMatchObject({ rule: 'account.family', holderId: a.head.id, amount: expected });
    expect(await balance(a.head.id)).toBe(before - expected);
    const [entry] = await t.db.query<{ beneficiary_id: number; rule: string }>(
      `SELECT beneficiary_id::int AS beneficiary_id, rule FROM personal_account_entries WHERE kind = 'spend' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ beneficiary_id: a.spouse.id, rule: 'account.family' });
  });

  it('pays the employee\'s own account first, then a parent\'s shared one', async () => {
    const own = await balance(a.head.id);
    const fathers = await balance(a.father.id);
    const res = await inpatient('FAM-2', a.head.idNumber, { acctUsedFlag: true });
    const body = res.json();
    const fromOwn = Math.min(own, body.selfPayCompliant);
    const fromFather = Math.min(fathers, body.selfPayCompliant - fromOwn);
    expect(body.account).toMatchObject({ acctPay: fromOwn, acctMulaidPay: fromFather });
    expect(await balance(a.father.id)).toBe(fathers - fromFather);
  });

  it('shows the sharing on the statement, and stops paying once the link ends', async () => {
    const statement = (await app.inject({ method: 'GET', url: `/api/v1/console/persons/${a.head.id}/account?year=2025`, headers: clerk })).json();
    expect(statement.totals.familySpends).toBeGreaterThan(0);
    const line = statement.lines.find((l: { beneficiary: { self: boolean } | null }) => l.beneficiary && !l.beneficiary.self);
    expect(line.beneficiary).toMatchObject({ self: false, relation: 'spouse' });
    expect(line.beneficiary.maskedName).not.toBe('账户2');
    const linkId = statement.sharing.find((s: { relation: string }) => s.relation === 'spouse').linkId;
    const ended = await app.inject({ method: 'DELETE', url: `/api/v1/console/family-links/${linkId}`, headers: clerk });
    expect(ended.json()).toMatchObject({ status: 'ended' });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/console/family-links/${linkId}`, headers: clerk })).statusCode).toBe(409);
    await creditMonth(t.db, policies, { month: '2025-03', today: '2025-12-31', actor: 'test' });
    const before = await balance(a.head.id);
    const res = await inpatient('FAM-3', a.spouse.idNumber, { acctUsedFlag: true });
    expect(res.json().account).toMatchObject({ acctMulaidPay: 0, cashPay: res.json().selfPay });
    expect(await balance(a.head.id)).toBe(before);
    // With no account to pay from, a named amount is refused.
    const named = await inpatient('FAM-4', a.spouse.idNumber, { acctUsedFlag: true, acctPayAmount: 100 });
    expect(named.statusCode).toBe(400);
    expect(named.json().error.code).toBe('NO_PERSONAL_ACCOUNT');
  });

  it('gives the shared account back its money when the relative\'s bill is reversed', async () => {
    const before = await balance(a.head.id);
    const paid = (await app.inject({ method: 'GET', url: '/api/v1/settlements/FAM-1', headers: lhasa })).json().account.acctMulaidPay;
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements/FAM-1/reversal', headers: lhasa, payload: { reversalId: 'FAM-1-R' } });
    expect(res.statusCode).toBe(200);
    expect(await balance(a.head.id)).toBe(before + paid);
  });
});
