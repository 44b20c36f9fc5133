/**
 * Issue 11, case-by-case (一事一议) approvals above the caps after a reversal:
 * when the bill an approval was paid on is reversed, what it paid there becomes
 * a recovery item; when a later bill changes, the approval stays and its case
 * gets an event for the reviewer.
 *
 * An approval is made on an application; it is taken to be paid on the
 * application's bills in their order, each up to what the caps withheld on it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { findGrant } from '../src/store/repositories/bank.ts';
import type { TestDb } from './support/db.ts';
import { hospitalReverse, hospitalSettle } from './support/hospital.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let admin: { authorization: string };
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin'] });
  ({ t, app, policies } = testApp);
  admin = testApp.as('admin');
});
afterAll(() => testApp?.close());

const settle = (transactionId: string, idNumber: string, yuan: { total: number; compliant: number }, date: string): Promise<{ id: number }> =>
  hospitalSettle(app, { transactionId, idNumber, date, total: yuan.total * 100, compliant: yuan.compliant * 100 });
const reverse = (transactionId: string) => hospitalReverse(app, transactionId);

/**
 * Bills A and B (B raises the alert), 149,000 of the 150,000 yuan ordinary assistance cap already paid this
 * year: the application pays 1,000 yuan on A and nothing on B; the caps withhold the rest, all of it then
 * approved case by case.
 */
async function approvedAboveCaps(prefix: string, a: { total: number; compliant: number }) {
  const p = await addEnrolledPerson(t.db, policies);
  const billA = await settle(`${prefix}-A`, p.idNumber, a, '2025-02-01');
  const billB = await settle(`${prefix}-B`, p.idNumber, { total: 70_000, compliant: 40_000 }, '2025-03-01');
  await t.db.query('UPDATE accumulators SET assistance = assistance + 14900000 WHERE person_id = $1 AND year = 2025', [p.id]);
  const [c] = await t.db.query<{ id: number }>('SELECT id FROM monitoring_cases WHERE person_id = $1', [p.id]);
  await t.db.query(`UPDATE monitoring_cases SET status = 'verified' WHERE id = $1`, [c!.id]);
  const application = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c!.id}/assistance-applications`, headers: admin, payload: { identity: 'monitored' } });
  expect(application.statusCode, application.body).toBe(201);
  const items = await t.db.query<{ settlement_id: number; due: number; paid: number }>(
    'SELECT settlement_id, due_fen::int AS due, paid_fen::int AS paid FROM assistance_application_items WHERE application_id = $1 ORDER BY settlement_id', [application.json().id]);
  const aboveCap = application.json().above_cap_fen as number;
  const exception = await app.inject({
    method: 'POST', url: `/api/v1/monitoring/assistance-applications/${application.json().id}/exceptions`, headers: admin,
    payload: { amount: aboveCap, reason: '一事一议: 重大疾病, 家庭无力承担' },
  });
  expect(exception.statusCode, exception.body).toBe(201);
  return { p, caseId: c!.id, applicationId: application.json().id as number, exceptionId: exception.json().id as number, items, billA, billB };
}

describe('case-by-case approvals after a reversal', () => {
  it('recover what the approval paid on the reversed bill, in the ledger and on the payout', async () => {
    const x = await approvedAboveCaps('EX1', { total: 10_000, compliant: 8_000 });
    // What the caps withheld on B (its whole due: nothing was left under the cap after A) is what the approval paid on B.
    const onB = x.items.find((i) => i.settlement_id === x.billB.id)!;
    expect(onB.paid).toBe(0);
    const reversed = await reverse('EX1-B');
    expect(reversed.readjudication.adjustments).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'exception_recovery', settlementId: x.billB.id, entries: [{ fund: 'assistance', direction: 'recover', amount: onB.due }] }),
    ]));
    const [row] = await t.db.query<{ exception_id: number; application_id: number }>(
      `SELECT exception_id, application_id FROM settlement_adjustments WHERE kind = 'exception_recovery' AND settlement_id = $1`, [x.billB.id]);
    expect(row).toEqual({ exception_id: x.exceptionId, application_id: x.applicationId });
    // The ledger agrees with its sources, the recovery included.
    expect((await verifyLedger(t.db)).firstDifference).toBeNull();
    // A payout of the approval pays what is left of it.
    const [approved] = await t.db.query<{ amount: number }>('SELECT amount_fen::int AS amount FROM assistance_exceptions WHERE id = $1', [x.exceptionId]);
    expect((await findGrant(t.db, 'exception', x.exceptionId))!.amount).toBe(approved!.amount - onB.due);
  });

  it('keep the approval when a later bill changes, and flag it on the case for the reviewer', async () => {
    // A of 30,000 yuan takes B past the critical-illness threshold; reversing A settles B again with different funds.
    const x = await approvedAboveCaps('EX2', { total: 30_000, compliant: 30_000 });
    await reverse('EX2-A');
    const events = await t.db.query<{ action: string; detail: Record<string, unknown> }>(
      `SELECT action, detail FROM case_events WHERE case_id = $1 AND action = 'assistance.exception_review'`, [x.caseId]);
    expect(events).toEqual([
      { action: 'assistance.exception_review', detail: expect.objectContaining({ exceptionId: x.exceptionId, applicationId: x.applicationId, settlementIds: [x.billB.id], ref: 'EX2-A-R' }) },
    ]);
    const [kept] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM assistance_exceptions WHERE id = $1', [x.exceptionId]);
    expect(kept!.n).toBe(1);
  });
});
