/**
 * Issue 14, fund reports from the ledger: income by source against spending
 * per fund and month, spending per head and per hospital level, months of
 * reserve, and the warning when spending runs ahead of the year's budget.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { budgetWarning, monthsOfReserveTenths } from '../src/domain/ledger/fund-warning.ts';
import { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { recordPayment } from '../src/service/enrollment-payments.ts';
import { receiveIntoFund } from '../src/service/ledger-receipts.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let fx: Fixture;
let token = '';
let today = '';
let year = 0;

beforeAll(async () => {
  t = await createTestDb();
  const [row] = await t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  today = row!.d;
  year = Number(today.slice(0, 4));
  const fixture = loadFixturePolicies();
  // A policy of this year for the county, with a basic-fund budget of 100 yuan: any real spending runs over it.
  const dege = fixture.get('dege-2025')!;
  const policies = new PolicyRegistry([...fixture.list(), { ...dege, id: `dege-${year}`, year, from: `${year}-01-01`, to: `${year}-12-31`,
    clearing: { qualityDeposit: 0, facilityBudgets: new Map(), fundBudgets: new Map([['basic', 10_000], ['critical', 100_000_000_000]]) } }]);
  fx = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', fund: { today: () => today } });
  token = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'auditor', password: DEMO_PASSWORD } })).json().token;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe('the fund warning and reserve (pure)', () => {
  it('is ahead when the budget’s share spent passes the year’s share gone, over past the budget', () => {
    expect(budgetWarning('basic', 1_200_000, 500_000, 146, 365)).toMatchObject({ spentBp: 4166, elapsedBp: 4000, level: 'ahead' });
    expect(budgetWarning('basic', 1_200_000, 400_000, 146, 365).level).toBe('ok');
    expect(budgetWarning('basic', 1_200_000, 1_200_001, 146, 365).level).toBe('over');
    expect(monthsOfReserveTenths(3_000_000, 600_000, 6)).toBe(300);
    expect(monthsOfReserveTenths(100, 0, 6)).toBeNull();
    expect(monthsOfReserveTenths(-5, 10, 1)).toBe(0);
  });
});

describe('GET /api/v1/fund/report', () => {
  it('shows income by source, spending per fund and month, per head, per level, and warns', async () => {
    const bill = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: 'FR-1', patient: { idNumber: fx.poor.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 2_000_000, compliant: 1_800_000 } } });
    expect(bill.statusCode, bill.body).toBe(201);
    const funds = bill.json().funds as Record<'basic' | 'critical', number>;
    const p = await addEnrolledPerson(t.db, loadFixturePolicies());
    await t.db.query("UPDATE enrollments SET paid_fen = 0, status = 'pending' WHERE person_id = $1", [p.id]);
    await recordPayment(t.db, loadFixturePolicies(), { personId: p.id, year: 2025, amount: 4_000, department: 'civil_affairs', method: 'transfer', reference: null, paidOn: '2025-01-15', actor: 'test' });
    await receiveIntoFund(t.db, { fund: 'basic', kind: 'finance', amount: 70_750_000, year: 2025, reference: 'FIN-1', department: 'finance', actor: 'test' });

    // The assistance fund transfers part of what it owes for the 2025 subsidies (a transfer between two funds).
    await receiveIntoFund(t.db, { fund: 'basic', kind: 'subsidy', amount: 10_000, year: 2025, reference: 'SUB-1', department: 'medical_assistance', actor: 'test' });
    const y2025 = (await app.inject({ method: 'GET', url: '/api/v1/fund/report?year=2025', headers: { authorization: `Bearer ${token}` } })).json();
    const [due] = await t.db.query<{ n: string }>("SELECT sum(subsidy_fen)::text AS n FROM enrollments WHERE year = 2025 AND status = 'enrolled' AND subsidy_department = 'medical_assistance'");
    expect(y2025.subsidies).toEqual(expect.arrayContaining([{ department: 'medical_assistance', due: Number(due!.n), received: 10_000 }]));
    expect((await app.inject({ method: 'GET', url: '/api/v1/fund/report?year=20x5', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(400);
    const res = await app.inject({ method: 'GET', url: `/api/v1/fund/report?year=${year}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const month = Number(today.slice(5, 7)) - 1;
    const basic = r.funds.find((f: { fund: string }) => f.fund === 'basic');
    expect(basic.spending[month]).toBe(funds.basic);
    expect(basic.income[month]).toBe(70_750_000 + 4_000 + 10_000);
    expect(basic.balance).toBe(70_750_000 + 4_000 + 10_000);
    expect(basic.reserveTenths).toBe(Math.floor((basic.balance * month + basic.balance) * 10 / funds.basic));
    expect(r.incomeBySource).toEqual(expect.arrayContaining([
      { fund: 'basic', kind: 'subsidy', department: 'civil_affairs', amount: 4_000 },
      { fund: 'basic', kind: 'finance', department: 'finance', amount: 70_750_000 },
    ]));
    const all = Object.values(funds).reduce((a, b) => a + b, 0);
    expect(r.byLevel).toEqual([{ level: 2, spending: all, bills: 1, perBill: all }]);
    expect(r.perHead.spending).toBe(all);
    expect(r.perHead.enrolled).toBe(0); // nobody is enrolled for this year in the fixture
    expect(r.warnings).toEqual([
      expect.objectContaining({ fund: 'basic', budget: 10_000, spent: funds.basic, level: 'over' }),
      expect.objectContaining({ fund: 'critical', level: 'ok' }),
    ]);
  });
});
