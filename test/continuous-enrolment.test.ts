/**
 * Issue 13: a 2025 contribution was accepted on 2026-11-27 and a bill of
 * 2025-01-05 then settled. Now a payment is judged against the collection
 * window: outside it cover starts only after the waiting period (the resident
 * is told when), a payment that buys no cover is refused, and a bill dated
 * before cover is refused with NOT_COVERED.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff, DEMO_PASSWORD } from '../src/demo/staff.ts';
import { continuityOf, yearsNotInsured } from '../src/service/enrollment-cover.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let token = '';
const policies = loadFixturePolicies();

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  token = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'clerk', password: DEMO_PASSWORD } })).json().token;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const staff = () => ({ authorization: `Bearer ${token}` });
const pay = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/payments', headers: staff(), payload: { personId: f.pending.id, year: 2025, ...payload } });
const settleBill = (transactionId: string, date: string) =>
  app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
    payload: { transactionId, patient: { idNumber: f.pending.idNumber }, visit: { kind: 'inpatient', date }, amounts: { total: 1_000_000, compliant: 800_000 } },
  });
async function counts() {
  const [row] = await t.db.query<{ payments: number; settlements: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM payments) AS payments, (SELECT count(*)::int FROM settlements) AS settlements, (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return row!;
}

describe('a payment outside the collection window', () => {
  it('refuses a 2025 contribution paid on 2026-11-27: it would buy no cover (the defect)', async () => {
    const before = await counts();
    const res = await pay({ amount: 40_000, paidOn: '2026-11-27' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'NO_COVER_LEFT', field: 'paidOn' });
    expect(res.json().error.message).toMatch(/outside the collection window 2024-09-01 to 2024-12-31: with a waiting period of 4 months cover would start on 2027-03-27/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a payment dated in the future and an exemption the policy does not know', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await pay({ amount: 100, paidOn: tomorrow })).json().error).toMatchObject({ code: 'PAID_IN_FUTURE', field: 'paidOn' });
    expect((await pay({ amount: 100, paidOn: '2025-03-10', exemption: 'rich' })).statusCode).toBe(400);
    // The whole individual part paid before the window opens: refused, not taken as paid in time.
    expect((await pay({ amount: 40_000, paidOn: '2024-05-01' })).json().error).toMatchObject({ code: 'WINDOW_NOT_OPEN', field: 'paidOn' });
  });

  it('says the amount still due in yuan', async () => {
    const res = await pay({ amount: 50_000, paidOn: '2025-03-10' });
    expect(res.json().error).toMatchObject({ code: 'OVERPAYMENT', message: '500.00 yuan is more than the 400.00 yuan still due' });
  });

  it('gives a receipt for a part-payment, and on the last part the waiting period and the day cover starts', async () => {
    const part = await pay({ amount: 10_000, paidOn: '2025-03-01' });
    expect(part.statusCode).toBe(201);
    expect(part.json().payment.receipt_no).toMatch(/^SB2025-\d{8}$/);
    expect(part.json().cover).toBeNull();
    const rest = await pay({ amount: 30_000, paidOn: '2025-03-10' });
    expect(rest.statusCode).toBe(201);
    expect(rest.json().payment.receipt_no).not.toBe(part.json().payment.receipt_no);
    // Not insured in 2024 (the first year counted): 3 fixed months + 1 = 4.
    expect(rest.json().cover).toMatchObject({ reason: 'waiting_period', paidOn: '2025-03-10', waitingMonths: 4, fixedMonths: 3, variableMonths: 1, yearsNotInsured: 1, coverFrom: '2025-07-10' });
    expect(rest.json().enrollment).toMatchObject({ status: 'enrolled', cover_from: '2025-07-10' });
    const [audit] = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'payment.create' ORDER BY id DESC LIMIT 1`);
    expect(audit!.detail).toMatchObject({ coverFrom: '2025-07-10', cover: 'waiting_period', waitingMonths: 4, receiptNo: rest.json().payment.receipt_no });
  });

  it('refuses a bill dated before cover (NOT_COVERED), writing nothing, and settles one from the first day of cover', async () => {
    const before = await counts();
    const early = await settleBill('WAIT-1', '2025-01-05');
    expect(early.statusCode).toBe(422);
    expect(early.json().error).toMatchObject({ code: 'NOT_COVERED', field: 'visit.date' });
    expect(early.json().error.message).toMatch(/cover starts on 2025-07-10/);
    const pre = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { patient: { idNumber: f.pending.idNumber }, visit: { kind: 'inpatient', date: '2025-07-09' }, amounts: { total: 1_000_000, compliant: 800_000 } },
    });
    expect(pre.json().error?.code).toBe('NOT_COVERED');
    expect(await counts()).toEqual(before);
    const covered = await settleBill('WAIT-2', '2025-07-10');
    expect(covered.statusCode).toBe(201);
  });

  it('ends cover when the payment is reversed, and an exempt group waits no period', async () => {
    const [last] = await t.db.query<{ id: number }>(`SELECT id FROM payments WHERE person_id = $1 ORDER BY id DESC LIMIT 1`, [f.pending.id]);
    const reversed = await app.inject({ method: 'POST', url: `/api/v1/payments/${last!.id}/reversal`, headers: staff(), payload: { reason: 'wrong person' } });
    expect(reversed.statusCode).toBe(200);
    expect((await t.db.query(`SELECT cover_from FROM enrollments WHERE person_id = $1 AND year = 2025 AND cover_from IS NULL`, [f.pending.id]))).toHaveLength(1);
    const soldier = await pay({ amount: 30_000, paidOn: '2025-05-20', exemption: 'discharged_soldier' });
    expect(soldier.json().cover).toMatchObject({ reason: 'exempt', exemption: 'discharged_soldier', coverFrom: '2025-05-20', waitingMonths: 0 });
  });
});

describe('continuity counted from the enrollments', () => {
  it('counts years not insured from the first year the rules count, and years insured and claim-free in a row', async () => {
    const policy = policies.get('dege-2025')!;
    expect(await yearsNotInsured(t.db, policy, f.plain.id, 2025, '1981-01-11')).toBe(1);
    for (const year of [2021, 2022, 2023, 2024]) {
      await t.db.query(
        `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, individual_fen, paid_fen, status)
         VALUES ($1, $2, 'dege-2025', 'resident', 'tier1', 40000, 40000, 40000, 'enrolled')`,
        [f.plain.id, year],
      );
    }
    expect(await yearsNotInsured(t.db, policy, f.plain.id, 2025, '1981-01-11')).toBe(0);
    expect(await continuityOf(t.db, f.plain.id, 2025)).toEqual({ yearsInsured: 5, claimFreeYears: 4 });
    // The settle path reads the same years in its context statement: 1 continuous year beyond the 4th + 4 claim-free years = 10 % more cap.
    const big = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: 'REWARD-1', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-08-01' }, amounts: { total: 150_000_000, compliant: 150_000_000 } },
    });
    expect(big.statusCode).toBe(201);
    const critical = (big.json().steps as { fund: string; amount: number; note?: string }[]).find((st) => st.fund === 'critical')!;
    expect(critical).toMatchObject({ amount: 44_000_000, note: 'yearly cap raised by 4000000 fen for continuous enrolment' });
    // The waiting person was enrolled in 2025 and the funds paid a bill that year: 2025 is not claim-free.
    expect(await continuityOf(t.db, f.pending.id, 2026)).toEqual({ yearsInsured: 0, claimFreeYears: 0 });
    await t.db.query(`UPDATE settlements SET status = 'reversed' WHERE person_id = $1`, [f.pending.id]);
    expect(await continuityOf(t.db, f.pending.id, 2026)).toEqual({ yearsInsured: 0, claimFreeYears: 1 });
  });
});
