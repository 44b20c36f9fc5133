/**
 * Recording payments of the individual part: by the person, or on their behalf
 * by a department, one by one or in bulk for a roster. Every payment has a
 * receipt number (part-payments too). The enrollment is confirmed when the
 * individual part is paid, and its cover decided then: from the policy's day
 * when paid inside the collection window, after a waiting period outside it
 * (unless the person is in a group the policy exempts). Messages speak yuan.
 * Every payment, and every reversal of a mistaken one, is audited.
 */
import { COVER_EXEMPTIONS, type CoverDecision, type CoverExemption } from '../domain/enrollment/cover.ts';
import { conflict, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { formatYuan } from '../domain/money.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db, Queryable } from '../store/db.ts';
import { pgErrorCode, UNIQUE_VIOLATION } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { setCover } from '../store/repositories/cover.ts';
import { findEnrollment, type EnrollmentRow } from '../store/repositories/enrollments.ts';
import { rolledBack } from '../store/dry-run.ts';
import { addPaid, findPayment, insertPayment, lockEnrollment, markReversed, type PaymentRow } from '../store/repositories/payments.ts';
import { coverForPayment } from './enrollment-cover.ts';
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
  /** The day the money was received (default: today); never in the future. */
  readonly paidOn?: string | undefined;
  /** A group the policy exempts from the waiting period (newborn, released_from_prison …), attested by the clerk (audited). */
  readonly exemption?: CoverExemption | null | undefined;
  readonly actor: string;
}

export interface PaymentResult {
  readonly payment: PaymentRow;
  readonly enrollment: EnrollmentRow;
  /** Set when this payment completed the enrollment: when cover starts, and why (window, waiting period, exemption). */
  readonly cover: CoverDecision | null;
}

/** Today's date in Beijing time (UTC+8, no daylight saving), the default day a payment is received. */
export function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkPaidOn(paidOn: string, now: string = today()): string {
  if (!ISO_DATE.test(paidOn) || Number.isNaN(Date.parse(`${paidOn}T00:00:00Z`)) || new Date(`${paidOn}T00:00:00Z`).toISOString().slice(0, 10) !== paidOn) {
    throw invalid('INVALID_DATE', `paid-on "${paidOn}" is not a date (YYYY-MM-DD)`, 'paidOn');
  }
  if (paidOn > now) throw invalid('PAID_IN_FUTURE', `paid-on ${paidOn} is after today (${now})`, 'paidOn');
  return paidOn;
}

/** Where a person lives, for the caller's division check before anything is written. */
export async function personDivision(q: Queryable, personId: number): Promise<string> {
  const rows = await q.query<{ division_code: string }>('SELECT division_code FROM persons WHERE id = $1', [personId]);
  if (!rows[0]) throw notFound('UNKNOWN_PERSON', `no person ${personId}`, 'personId');
  return rows[0].division_code;
}

export async function recordPayment(db: Db, policies: PolicyRegistry, r: PaymentRequest): Promise<PaymentResult> {
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw invalid('INVALID_AMOUNT', 'the amount must be a positive whole number of fen', 'amount');
  const paidOn = checkPaidOn(r.paidOn ?? today());
  const exemption = r.exemption ?? null;
  if (exemption !== null && !(COVER_EXEMPTIONS as readonly string[]).includes(exemption)) {
    throw invalid('UNKNOWN_EXEMPTION', `exemption must be one of ${COVER_EXEMPTIONS.join(', ')}`, 'exemption');
  }
  try {
    return await db.transaction(async (tx) => {
      const enrollment = await lockEnrollment(tx, r.personId, r.year);
      if (!enrollment) throw unprocessable('NO_ENROLLMENT', `person ${r.personId} has no enrollment for ${r.year}: open the campaign first`, 'year');
      if (enrollment.status === 'cancelled') throw unprocessable('ENROLLMENT_CANCELLED', `the ${r.year} enrollment of person ${r.personId} is cancelled`);
      const due = enrollment.individual_fen - enrollment.paid_fen;
      if (due <= 0) throw conflict('ALREADY_PAID', `the individual part for ${r.year} is already paid`);
      if (r.amount > due) throw unprocessable('OVERPAYMENT', `${formatYuan(r.amount)} yuan is more than the ${formatYuan(due)} yuan still due`, 'amount');
      let cover: CoverDecision | null = null;
      if (r.amount === due) {
        // This payment completes the enrollment: decide its cover first, so a payment that buys no cover is refused with nothing written.
        const policy = policies.get(enrollment.policy_id);
        if (!policy) throw unprocessable('NO_POLICY', `policy ${enrollment.policy_id} of the enrollment is not loaded`, 'year');
        const [person] = await tx.query<{ birth_date: string }>('SELECT birth_date::text AS birth_date FROM persons WHERE id = $1', [r.personId]);
        cover = await coverForPayment(tx, policy, { id: r.personId, birthDate: person!.birth_date }, paidOn, exemption);
      }
      const payment = await insertPayment(tx, {
        personId: r.personId, year: r.year, kind: r.department ? 'on_behalf' : 'individual', department: r.department,
        amount: r.amount, method: r.method, reference: r.reference, paidOn, actor: r.actor,
      });
      const updated = await addPaid(tx, r.personId, r.year, r.amount);
      if (cover) await setCover(tx, r.personId, r.year, cover);
      await postContribution(tx, { source: `payment:${payment.id}`, personId: r.personId, year: r.year, amount: r.amount, department: r.department, actor: r.actor });
      await audit(tx, {
        actor: r.actor, action: 'payment.create', entity: 'payment', entityId: payment.id,
        detail: {
          personId: r.personId, year: r.year, amount: r.amount, kind: payment.kind, department: r.department, status: updated.status,
          receiptNo: payment.receipt_no, paidOn, ...(cover ? { coverFrom: cover.coverFrom, cover: cover.reason, waitingMonths: cover.waitingMonths, exemption: cover.exemption } : {}),
        },
      });
      return { payment, enrollment: { ...updated, ...(cover ? { cover_from: cover.coverFrom } : {}) }, cover };
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('DUPLICATE_RECEIPT', `receipt ${r.reference} is already recorded`, 'reference');
    throw error;
  }
}

/** Reverses a mistaken payment: the paid amount is taken back and the enrollment may become pending again (its cover then ends). */
export async function reversePayment(db: Db, r: { paymentId: number; reason: string; actor: string }): Promise<Omit<PaymentResult, 'cover'>> {
  return db.transaction((tx) => reversePaymentIn(tx, r));
}

/**
 * What reversing the payment would do, without doing it (the same reversal,
 * rolled back): the enrollment before and after — paid amount, status, and
 * the cover that ends when it falls back to pending.
 */
export async function previewPaymentReversal(
  db: Db,
  r: { paymentId: number; reason: string; actor: string },
): Promise<Omit<PaymentResult, 'cover'> & { before: EnrollmentRow | null; dryRun: true }> {
  return rolledBack(db, async (tx) => {
    const found = await findPayment(tx, r.paymentId);
    const before = found ? ((await findEnrollment(tx, found.person_id, found.year)) ?? null) : null;
    return { ...(await reversePaymentIn(tx, r)), before, dryRun: true as const };
  });
}

async function reversePaymentIn(tx: Queryable, r: { paymentId: number; reason: string; actor: string }): Promise<Omit<PaymentResult, 'cover'>> {
  const found = await findPayment(tx, r.paymentId, true);
  if (!found) throw notFound('UNKNOWN_PAYMENT', `no payment ${r.paymentId}`, 'paymentId');
  if (found.reversed_at) throw conflict('ALREADY_REVERSED', `payment ${r.paymentId} is already reversed`);
  await lockEnrollment(tx, found.person_id, found.year);
  const payment = await markReversed(tx, r.paymentId, r.reason);
  const enrollment = await addPaid(tx, found.person_id, found.year, -found.amount_fen);
  if (enrollment.status !== 'enrolled') await setCover(tx, found.person_id, found.year, null);
  await postContribution(tx, {
    source: `payment:${r.paymentId}`, personId: found.person_id, year: found.year, amount: found.amount_fen, department: found.department, actor: r.actor, reversal: true,
  });
  await audit(tx, {
    actor: r.actor, action: 'payment.reverse', entity: 'payment', entityId: r.paymentId,
    detail: { personId: found.person_id, year: found.year, amount: found.amount_fen, receiptNo: found.receipt_no, reason: r.reason, status: enrollment.status },
  });
  return { payment, enrollment };
}
