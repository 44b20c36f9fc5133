/**
 * Recording payments of the individual part: by the person, or on their behalf
 * by a department, one by one or in bulk for a roster. The enrollment is
 * confirmed when the individual part is paid. Every payment, and every
 * reversal of a mistaken one, is audited.
 */
import { conflict, invalid, notFound, unprocessable } from '../domain/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { pgErrorCode, UNIQUE_VIOLATION } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import type { EnrollmentRow } from '../store/repositories/enrollments.ts';
import { addPaid, findPayment, insertPayment, lockEnrollment, markReversed, payRosterInBulk, type BatchResult, type PaymentRow } from '../store/repositories/payments.ts';
import { findRoster } from '../store/repositories/rosters.ts';
import { postContribution } from './ledger-posting.ts';

export const PAYMENT_METHODS = ['cash', 'bank', 'mobile', 'transfer'] as const;

export interface PaymentRequest {
  readonly personId: number;
  readonly year: number;
  readonly amount: number;
  /** null: the person paid; a department: paid on their behalf. */
  readonly department: string | null;
  readonly method: (typeof PAYMENT_METHODS)[number];
  readonly reference: string | null;
  readonly actor: string;
}

export interface PaymentResult {
  readonly payment: PaymentRow;
  readonly enrollment: EnrollmentRow;
}

/** Where a person lives, for the caller's division check before anything is written. */
export async function personDivision(q: Queryable, personId: number): Promise<string> {
  const rows = await q.query<{ division_code: string }>('SELECT division_code FROM persons WHERE id = $1', [personId]);
  if (!rows[0]) throw notFound('UNKNOWN_PERSON', `no person ${personId}`, 'personId');
  return rows[0].division_code;
}

export async function recordPayment(db: Db, r: PaymentRequest): Promise<PaymentResult> {
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw invalid('INVALID_AMOUNT', 'the amount must be a positive whole number of fen', 'amount');
  try {
    return await db.transaction(async (tx) => {
      const enrollment = await lockEnrollment(tx, r.personId, r.year);
      if (!enrollment) throw unprocessable('NO_ENROLLMENT', `person ${r.personId} has no enrollment for ${r.year}: open the campaign first`, 'year');
      if (enrollment.status === 'cancelled') throw unprocessable('ENROLLMENT_CANCELLED', `the ${r.year} enrollment of person ${r.personId} is cancelled`);
      const due = enrollment.individual_fen - enrollment.paid_fen;
      if (due <= 0) throw conflict('ALREADY_PAID', `the individual part for ${r.year} is already paid`);
      if (r.amount > due) throw unprocessable('OVERPAYMENT', `${r.amount} fen is more than the ${due} fen still due`, 'amount');
      const payment = await insertPayment(tx, {
        personId: r.personId, year: r.year, kind: r.department ? 'on_behalf' : 'individual', department: r.department,
        amount: r.amount, method: r.method, reference: r.reference, actor: r.actor,
      });
      const updated = await addPaid(tx, r.personId, r.year, r.amount);
      await postContribution(tx, { source: `payment:${payment.id}`, personId: r.personId, year: r.year, amount: r.amount, department: r.department, actor: r.actor });
      await audit(tx, {
        actor: r.actor, action: 'payment.create', entity: 'payment', entityId: payment.id,
        detail: { personId: r.personId, year: r.year, amount: r.amount, kind: payment.kind, department: r.department, status: updated.status },
      });
      return { payment, enrollment: updated };
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('DUPLICATE_RECEIPT', `receipt ${r.reference} is already recorded`, 'reference');
    throw error;
  }
}

/** Reverses a mistaken payment: the paid amount is taken back and the enrollment may become pending again. */
export async function reversePayment(db: Db, r: { paymentId: number; reason: string; actor: string }): Promise<PaymentResult> {
  return db.transaction(async (tx) => {
    const found = await findPayment(tx, r.paymentId, true);
    if (!found) throw notFound('UNKNOWN_PAYMENT', `no payment ${r.paymentId}`, 'paymentId');
    if (found.reversed_at) throw conflict('ALREADY_REVERSED', `payment ${r.paymentId} is already reversed`);
    await lockEnrollment(tx, found.person_id, found.year);
    const payment = await markReversed(tx, r.paymentId, r.reason);
    const enrollment = await addPaid(tx, found.person_id, found.year, -found.amount_fen);
    await postContribution(tx, {
      source: `payment:${r.paymentId}`, personId: found.person_id, year: found.year, amount: found.amount_fen, department: found.department, actor: r.actor, reversal: true,
    });
    await audit(tx, {
      actor: r.actor, action: 'payment.reverse', entity: 'payment', entityId: r.paymentId,
      detail: { personId: found.person_id, year: found.year, amount: found.amount_fen, reason: r.reason, status: enrollment.status },
    });
    return { payment, enrollment };
  });
}

/** A department pays the individual part of everyone on one of its rosters who has not paid yet (代缴). */
export async function payRoster(
  db: Db,
  r: { year: number; rosterId: number; department: string; division: string; reference: string | null; actor: string },
): Promise<BatchResult> {
  return db.transaction(async (tx) => {
    const roster = await findRoster(tx, r.rosterId);
    if (!roster) throw notFound('UNKNOWN_ROSTER', `no roster ${r.rosterId}`, 'rosterId');
    const result = await payRosterInBulk(tx, r);
    await postContribution(tx, { source: `payment_batch:${result.batchId}`, personId: null, year: r.year, amount: result.amount, department: r.department, actor: r.actor });
    await audit(tx, { actor: r.actor, action: 'payment.batch', entity: 'payment_batch', entityId: result.batchId, detail: { ...r, ...result } });
    return result;
  });
}
