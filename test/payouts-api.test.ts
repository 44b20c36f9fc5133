/**
 * Issue 14, assistance payouts: a grant (assistance on application, a 一事一议
 * exception) paid to a resident's bank card — the card's check digit
 * verified, its number encrypted and masked; maker-checker (the clerk who
 * granted it, or prepared it, cannot approve it); the bank batch pays from
 * the assistance fund; a returned payment comes back and is re-issued; every
 * step audited, and the ledger equal to the payouts throughout.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import type { StaffContext } from '../src/domain/access.ts';
import { luhnValid } from '../src/domain/bank-account.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { approveApplication } from '../src/service/monitoring-assistance.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let fx: Fixture;
let policies: PolicyRegistry;
const tokens: Record<string, string> = {};
let applicationId = 0;

const CARD = '6222 0212 3456 7890 128'; // 19 digits, Luhn-valid
const BAD_CARD = '6222021234567890129';

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  fx = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', fund: { bankKey: randomBytes(32) } });
  for (const u of ['clerk', 'admin', 'auditor']) tokens[u] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: u, password: DEMO_PASSWORD } })).json().token;
  // A bill of the plain resident, then a verified case granted assistance on application by the clerk (the maker).
  const bill = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
    payload: { transactionId: 'PAY-1', patient: { idNumber: fx.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 4_000_000, compliant: 3_600_000 } } });
  expect(bill.statusCode, bill.body).toBe(201);
  const [alert] = await t.db.query<{ id: number }>(
    `INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id)
     VALUES ($1, 2025, 'test', 1, 2, 'becoming_poor', '{civil_affairs}', $2) RETURNING id::int AS id`, [fx.plain.id, bill.json().id]);
  const [c] = await t.db.query<{ id: number }>(
    `INSERT INTO monitoring_cases (alert_id, person_id, year, division_code, risk, departments, status)
     VALUES ($1, $2, 2025, '513330001001', 'becoming_poor', '{civil_affairs}', 'verified') RETURNING id::int AS id`, [alert!.id, fx.plain.id]);
  const clerk: StaffContext = { id: 2, username: 'clerk', role: 'bureau_clerk', divisionCode: '513330', department: null, items: [] };
  applicationId = (await approveApplication({ db: t.db, policies }, clerk, c!.id, { identity: 'sudden_hardship' }, '2025-07-01')).id;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const as = (u: string) => ({ authorization: `Bearer ${tokens[u]}` });
const post = (u: string, url: string, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url, headers: as(u), payload });

describe('check digits', () => {
  it('Luhn: the card above passes, one digit changed fails', () => {
    expect(luhnValid(CARD.replaceAll(' ', ''))).toBe(true);
    expect(luhnValid(BAD_CARD)).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
});

describe('a grant is paid to the resident’s card', () => {
  let payoutId = 0;
  it('refuses a card that fails its check digit, and writes nothing', async () => {
    const res = await post('clerk', '/api/v1/fund/payouts', { source: 'application', sourceId: applicationId, accountNumber: BAD_CARD, bankName: '农行' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_ACCOUNT', field: 'accountNumber' });
    expect(await t.db.query('SELECT 1 FROM assistance_payouts')).toHaveLength(0);
  });

  it('prepares it masked and encrypted; the maker cannot approve it; another clerk can', async () => {
    const res = await post('clerk', '/api/v1/fund/payouts', { source: 'application', sourceId: applicationId, accountNumber: CARD, bankName: '中国农业银行' });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    payoutId = p.id;
    const [grant] = await t.db.query<{ paid: string }>('SELECT paid_fen::text AS paid FROM assistance_applications WHERE id = $1', [applicationId]);
    expect(p).toMatchObject({ status: 'pending', account: '**** **** **** 0128', amount: Number(grant!.paid), grantedBy: 'staff:clerk', preparedBy: 'staff:clerk' });
    expect(p.amount).toBeGreaterThan(0);
    const [row] = await t.db.query<{ account_cipher: string }>('SELECT account_cipher FROM assistance_payouts WHERE id = $1', [p.id]);
    expect(row!.account_cipher).not.toContain('62220212');
    expect((await post('clerk', '/api/v1/fund/payouts', { source: 'application', sourceId: applicationId, accountNumber: CARD, bankName: '农行' })).json().error.code).toBe('PAYOUT_EXISTS');
    const maker = await post('clerk', `/api/v1/fund/payouts/${p.id}/approve`);
    expect(maker.statusCode).toBe(403);
    expect(maker.json().error.code).toBe('MAKER_CANNOT_APPROVE');
    expect((await post('auditor', `/api/v1/fund/payouts/${p.id}/approve`)).statusCode).toBe(403);
    const ok = await post('admin', `/api/v1/fund/payouts/${p.id}/approve`);
    expect(ok.json()).toMatchObject({ status: 'approved', approvedBy: 'staff:admin' });
    expect((await post('admin', `/api/v1/fund/payouts/${p.id}/approve`)).statusCode).toBe(409);
  });

  it('goes to the bank in a batch (the assistance fund pays); returned by the bank; re-issued to a corrected card', async () => {
    const batch = await post('admin', '/api/v1/fund/bank-batches', { kind: 'payout', reference: 'PB-1' });
    expect(batch.statusCode, batch.body).toBe(201);
    const file = await app.inject({ method: 'GET', url: `/api/v1/fund/bank-batches/${batch.json().id}/file`, headers: as('admin') });
    expect(file.body).toContain('6222021234567890128');
    let v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    const paid = v.accounts.find((a) => a.account === 'assistance:bank')!.balance;
    expect(paid).toBeLessThan(0);
    expect((await post('clerk', `/api/v1/fund/payouts/${payoutId}/returned`, { reason: '' })).statusCode).toBe(400);
    const returned = await post('clerk', `/api/v1/fund/payouts/${payoutId}/returned`, { reason: '账户已销户' });
    expect(returned.json()).toMatchObject({ status: 'returned', returnedReason: '账户已销户' });
    v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    expect(v.accounts.find((a) => a.account === 'assistance:bank')?.balance ?? 0).toBe(0);
    expect((await post('clerk', `/api/v1/fund/payouts/${payoutId}/reissue`, { accountNumber: BAD_CARD })).json().error.code).toBe('INVALID_ACCOUNT');
    const again = await post('admin', `/api/v1/fund/payouts/${payoutId}/reissue`, { accountNumber: '4111 1111 1111 1111', bankName: '中国建设银行' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ status: 'pending', reissueOf: payoutId, account: '**** **** **** 1111', grantedBy: 'staff:clerk', preparedBy: 'staff:admin' });
    // Neither the maker (clerk granted it) nor the preparer (admin) may approve the re-issue.
    expect((await post('clerk', `/api/v1/fund/payouts/${again.json().id}/approve`)).json().error.code).toBe('MAKER_CANNOT_APPROVE');
    expect((await post('admin', `/api/v1/fund/payouts/${again.json().id}/approve`)).json().error.code).toBe('MAKER_CANNOT_APPROVE');
    const actions = (await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'assistance_payout' ORDER BY id")).map((r) => r.action);
    expect(actions).toEqual(['payout.prepare', 'payout.approve', 'payout.returned', 'payout.reissue']);
    const all = await t.db.query<{ detail: unknown }>("SELECT detail FROM audit_log WHERE entity IN ('assistance_payout', 'bank_batch')");
    expect(JSON.stringify(all)).not.toContain('6222021234567890128');
    const list = await app.inject({ method: 'GET', url: '/api/v1/fund/payouts', headers: as('admin') });
    expect(JSON.stringify(list.json())).not.toContain('6222021234567890128');
  });
});
