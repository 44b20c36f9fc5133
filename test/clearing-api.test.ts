/**
 * Issue 14, monthly clearing of hospitals: what the month's bills came to,
 * less review deductions and the quality deposit (a percentage in the
 * policy), once per hospital and month after the month is over; statements
 * the hospital downloads; a bank batch in the documented format with account
 * numbers encrypted at rest; the year end against the assessment and budget;
 * and the ledger still equal to every source.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { readPdf } from './support/pdf-text.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let fx: Fixture;
const tokens: Record<string, string> = {};
let month = '';
let today = '';
const BUDGET_H1 = 100_000; // 1,000 yuan: the year's bills exceed it

beforeAll(async () => {
  t = await createTestDb();
  const fixture = loadFixturePolicies();
  // dege-2025 with clearing terms: 5 % quality deposit, a budget for H1 (carried over to later years until a new policy).
  const policies = new PolicyRegistry(fixture.list().map((p) =>
    p.id === 'dege-2025' ? { ...p, clearing: { qualityDeposit: 500, facilityBudgets: new Map([['H51333000001', BUDGET_H1]]), fundBudgets: new Map() } } : p));
  fx = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', fund: { bankKey: randomBytes(32), today: () => today } });
  for (const u of ['clerk', 'auditor']) tokens[u] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: u, password: DEMO_PASSWORD } })).json().token;
  const [row] = await t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  month = row!.d.slice(0, 7);
  today = row!.d;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const as = (u: string) => ({ authorization: `Bearer ${tokens[u]}` });
const key = (k: string) => ({ authorization: `Bearer ${k}` });
async function settle(k: string, transactionId: string, idNumber: string, total: number, compliant: number) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: key(k),
    payload: { transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total, compliant } } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; funds: Record<string, number> };
}
const sumFunds = (s: { funds: Record<string, number> }) => Object.values(s.funds).reduce((a, b) => a + b, 0);
const clear = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/fund/clearings', headers: as('clerk'), payload });
const nextMonthDay = () => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
};

let h1Bills = 0;
let h2Bills = 0;
let flagId = 0;

describe('a month is cleared once, after it is over', () => {
  it('refuses a month not yet over, and bad input', async () => {
    const a = await settle(KEYS.county, 'C-1', fx.plain.idNumber, 1_000_000, 900_000);
    const b = await settle(KEYS.county, 'C-2', fx.poor.idNumber, 3_000_000, 2_800_000);
    const c = await settle(KEYS.clinic, 'C-3', fx.extreme.idNumber, 200_000, 200_000);
    h1Bills = sumFunds(a) + sumFunds(b);
    h2Bills = sumFunds(c);
    // A reviewer deducted 1,000 yuan from C-2 (claim review, issue 12).
    const [flag] = await t.db.query<{ id: number }>(
      `INSERT INTO review_flags (dedupe_key, rule, settlement_id, facility_id, person_id, visit_date, amount_fen, message, source, status, deduct_fen, reason, decided_by, decided_at)
       VALUES ('test-deduct', 'duplicate_lines', $1, $2, $3, '2025-06-01', 100000, 'duplicate', 'realtime', 'deducted', 100000, 'duplicate lines', 'staff:clerk', now()) RETURNING id::int AS id`,
      [b.id, fx.facilities.county, fx.poor.id]);
    flagId = flag!.id;
    // The clinic is paid by DRG this month (issue 16): one discharge of 2,000 yuan, the patient paid 800, the fund 1,200 item by item;
    // its DRG payment is 2,300, so the fund pays 1,500 under DRG: 300 yuan more than at settlement.
    const [abstract] = await t.db.query<{ id: number }>(
      `INSERT INTO drg_abstracts (facility_id, setl_id, request_hash, psn_no, age_years, admission_date, discharge_date, ipt_days, discharge_way, principal,
         total_fen, patient_fen, fund_fen, source)
       VALUES ($1, 'DRG-1', 'x', 'P1', 40, '2025-06-01', '2025-06-05', 4, '1', 'J18.900', 200000, 80000, 120000, 'api') RETURNING id::int AS id`, [fx.facilities.clinic]);
    await t.db.query(
      `INSERT INTO drg_payments (abstract_id, policy_id, month, facility_id, level, drg, standard_fen, kind, payment_fen, total_fen, patient_fen, fund_payment_fen, surplus_fen, rule)
       VALUES ($1, 'test-drg', $2, $3, 1, 'ES39', 230000, 'standard', 230000, 200000, 80000, 150000, 30000, 'standard')`, [abstract!.id, month, fx.facilities.clinic]);
    const notOver = await clear({ month });
    expect(notOver.statusCode).toBe(422);
    expect(notOver.json().error.code).toBe('MONTH_NOT_OVER');
    expect((await clear({ month: '2025-13' })).json().error).toMatchObject({ code: 'INVALID_MONTH', field: 'month' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/fund/clearings', headers: as('auditor'), payload: { month } })).statusCode).toBe(403);
    expect(await t.db.query('SELECT 1 FROM clearings')).toHaveLength(0);
  });

  it('clears every hospital: bills − review deductions − 5 % quality deposit, posted to the ledger', async () => {
    today = nextMonthDay();
    const res = await clear({ month });
    expect(res.statusCode, res.body).toBe(201);
    const { cleared, alreadyCleared } = res.json();
    expect(alreadyCleared).toEqual([]);
    const h1 = cleared.find((c: { facility: { code: string } }) => c.facility.code === 'H51333000001');
    const h2 = cleared.find((c: { facility: { code: string } }) => c.facility.code === 'H51333000002');
    const gross = h1Bills - 100_000;
    const withheld = Math.floor((gross * 500 + 5_000) / 10_000);
    expect(h1).toMatchObject({ kind: 'monthly', period: month, reviewDeductions: 100_000, depositRate: 500, depositWithheld: withheld, net: gross - withheld });
    expect(Object.values(h1.payments as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(gross - withheld);
    expect(h1.detail.reviewFlags).toEqual([{ id: flagId, amount: 100_000 }]);
    // The fund's DRG payment (150,000) less its item-based payment the settlement list reported (120,000).
    expect(h2).toMatchObject({ drgDifference: 30_000, detail: expect.objectContaining({ drgDischarges: 1 }) });
    expect(h2.net).toBe(h2Bills + 30_000 - Math.floor(((h2Bills + 30_000) * 500 + 5_000) / 10_000));
    const v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    const held = v.accounts.find((x) => x.account === 'basic:deposit_held')!;
    expect(held.balance).toBe(-(withheld + h2.depositWithheld));
  });

  it('refuses the same month again (a correction is a new entry, never an edit)', async () => {
    const again = await clear({ month, facility: 'H51333000001' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MONTH_CLEARED');
    const all = await clear({ month });
    expect(all.json()).toEqual({ cleared: [], alreadyCleared: ['H51333000001', 'H51333000002'] });
    expect(await t.db.query("SELECT 1 FROM clearings WHERE kind = 'monthly'")).toHaveLength(2);
  });
});

describe('the hospital’s statement and the bank batch', () => {
  it('a hospital lists and downloads its own statements (CSV, PDF), never another’s', async () => {
    const mine = (await app.inject({ method: 'GET', url: `/api/v1/clearings?period=${month}`, headers: key(KEYS.county) })).json().items;
    expect(mine).toHaveLength(1);
    const csv = await app.inject({ method: 'GET', url: `/api/v1/clearings/${mine[0].id}/statement?format=csv`, headers: key(KEYS.county) });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('审核扣款');
    expect(csv.body).toContain(`-100000`);
    const pdf = await app.inject({ method: 'GET', url: `/api/v1/clearings/${mine[0].id}/statement?format=pdf`, headers: key(KEYS.county) });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // In Chinese, whatever fonts the machine has (the shared PDF font helper falls back to the npm Noto Sans SC).
    const statement = readPdf(pdf.rawPayload);
    expect(statement.pages[0]).toContain('医疗保障基金月度清算单  Monthly clearing statement');
    expect(statement.pages[0]).toContain('审核扣款  review deductions');
    expect(statement.embeddedFonts.some((name) => /NotoSans(CJK|SC)/.test(name))).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/v1/clearings/${mine[0].id}/statement`, headers: key(KEYS.clinic) })).statusCode).toBe(404);
  });

  it('pays the month in one bank file; account numbers encrypted at rest and masked in answers', async () => {
    const put = (code: string, accountNumber: string) => app.inject({ method: 'PUT', url: `/api/v1/fund/facilities/${code}/bank-account`, headers: as('clerk'),
      payload: { accountNumber, accountName: code === 'H51333000001' ? '德格县人民医院' : '更庆镇卫生院', bankName: '中国农业银行德格县支行' } });
    expect((await put('H51333000001', '12-34x')).json().error).toMatchObject({ code: 'INVALID_ACCOUNT', field: 'accountNumber' });
    const set = await put('H51333000001', '2287 0101 0400 1234 5');
    expect(set.json().account).toBe('**** **** **** 2345');
    const batch = (reference: string) => app.inject({ method: 'POST', url: '/api/v1/fund/bank-batches', headers: as('clerk'), payload: { kind: 'clearing', period: month, reference } });
    const missing = await batch('B-1');
    expect(missing.json().error).toMatchObject({ code: 'NO_BANK_ACCOUNT' });
    expect(missing.json().error.message).toContain('H51333000002');
    await put('H51333000002', '228701010400999');
    const made = await batch('B-1');
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'clearing', lines: 2 });
    const file = await app.inject({ method: 'GET', url: `/api/v1/fund/bank-batches/${made.json().id}/file?format=csv`, headers: as('clerk') });
    const lines = file.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('序号,收款账号,收款户名,收款行,金额,币种,用途,业务参考号');
    expect(lines[1]).toMatch(/^1,22870101040012345,德格县人民医院,中国农业银行德格县支行,\d+\.\d{2},CNY,医保基金清算 \d{4}-\d{2},CLR-\d+$/);
    const xlsx = await app.inject({ method: 'GET', url: `/api/v1/fund/bank-batches/${made.json().id}/file?format=xlsx`, headers: as('clerk') });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const stored = await t.db.query<{ account_cipher: string }>('SELECT account_cipher FROM facility_bank_accounts');
    for (const s of stored) expect(s.account_cipher).not.toMatch(/2287010104/);
    expect((await batch('B-2')).json().error.code).toBe('NOTHING_TO_PAY');
    const audits = await t.db.query("SELECT detail FROM audit_log WHERE action = 'facility.bank_account'");
    expect(JSON.stringify(audits)).not.toContain('22870101040012345');
  });
});

describe('the year end', () => {
  it('releases the deposit by the assessment and takes back spending above the budget, once', async () => {
    const year = Number(month.slice(0, 4));
    const yearEnd = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/fund/clearings/year-end', headers: as('clerk'), payload });
    expect((await yearEnd({ facility: 'H51333000001', year, assessment: '80%' })).json().error.code).toBe('YEAR_NOT_OVER');
    today = `${year + 1}-01-10`;
    expect((await yearEnd({ facility: 'H51333000001', year, assessment: '180%' })).json().error).toMatchObject({ code: 'INVALID_ASSESSMENT', field: 'assessment' });
    const res = await yearEnd({ facility: 'H51333000001', year, assessment: '80%' });
    expect(res.statusCode, res.body).toBe(201);
    const [m] = await t.db.query<{ w: string; g: string }>("SELECT deposit_withheld::text AS w, (net_fen + deposit_withheld)::text AS g FROM clearings WHERE kind = 'monthly' AND facility_id = $1", [fx.facilities.county]);
    const held = Number(m!.w);
    const released = Math.floor((held * 8000 + 5_000) / 10_000);
    const over = Number(m!.g) - BUDGET_H1;
    expect(res.json()).toMatchObject({ kind: 'year_end', depositReleased: released, depositForfeited: held - released, overBudget: over, net: released - over });
    expect((await yearEnd({ facility: 'H51333000001', year, assessment: '80%' })).json().error.code).toBe('YEAR_CLEARED');
    const v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    expect(v.checks.find((c) => c.name === 'clearings')!.sources).toBe(3);
  });
});
