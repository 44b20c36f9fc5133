/** Payments of the individual part (缴费): by the person, or on their behalf by a department, one by one or in bulk. */
import type { Queryable } from '../db.ts';
import type { EnrollmentRow } from './enrollments.ts';

export interface PaymentRow {
  id: number;
  person_id: number;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount_fen: number;
  method: string;
  reference: string | null;
  /** SB<year>-<8 digits>: every payment has one, part-payments and payments on behalf too. */
  receipt_no: string;
  /** The day the money was received, ISO. */
  paid_on: string;
  batch_id: number | null;
  recorded_by: string;
  recorded_at: Date;
  reversed_at: Date | null;
  reversal_reason: string | null;
}

export async function lockEnrollment(q: Queryable, personId: number, year: number): Promise<EnrollmentRow | undefined> {
  const rows = await q.query<EnrollmentRow & Record<string, unknown>>(
    'SELECT * FROM enrollments WHERE person_id = $1 AND year = $2 FOR UPDATE',
    [personId, year],
  );
  return rows[0];
}

export interface NewPayment {
  personId: number;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount: number;
  method: string;
  reference: string | null;
  paidOn: string;
  actor: string;
}

/** Payment columns as the API gives them: the paid-on day as an ISO date. */
export const PAYMENT_COLUMNS = `id, person_id, year, kind, department, amount_fen, method, reference, receipt_no, paid_on::text AS paid_on, batch_id,
  recorded_by, recorded_at, reversed_at, reversal_reason`;

export async function insertPayment(q: Queryable, p: NewPayment): Promise<PaymentRow> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(
    `INSERT INTO payments (person_id, year, kind, department, amount_fen, method, reference, recorded_by, paid_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${PAYMENT_COLUMNS}`,
    [p.personId, p.year, p.kind, p.department, p.amount, p.method, p.reference, p.actor, p.paidOn],
  );
  return rows[0]!;
}

/** Adds (or, negative, takes back) a paid amount; enrolled exactly while the paid amount covers the individual part. */
export async function addPaid(q: Queryable, personId: number, year: number, delta: number): Promise<EnrollmentRow> {
  const rows = await q.query<EnrollmentRow & Record<string, unknown>>(
    `UPDATE enrollments SET paid_fen = paid_fen + $3,
       status = CASE WHEN paid_fen + $3 >= individual_fen THEN 'enrolled' ELSE 'pending' END,
       enrolled_at = CASE WHEN paid_fen + $3 >= individual_fen THEN COALESCE(enrolled_at, now()) END,
       updated_at = now()
     WHERE person_id = $1 AND year = $2 RETURNING *`,
    [personId, year, delta],
  );
  return rows[0]!;
}

export async function findPayment(q: Queryable, id: number, forUpdate = false): Promise<PaymentRow | undefined> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function markReversed(q: Queryable, id: number, reason: string): Promise<PaymentRow> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(
    `UPDATE payments SET reversed_at = now(), reversal_reason = $2 WHERE id = $1 RETURNING ${PAYMENT_COLUMNS}`,
    [id, reason],
  );
  return rows[0]!;
}

export async function paymentsOf(q: Queryable, personIds: readonly number[], year: number): Promise<PaymentRow[]> {
  return q.query<PaymentRow & Record<string, unknown>>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE person_id = ANY($1::bigint[]) AND year = $2 ORDER BY id`,
    [personIds, year],
  );
}

export interface BatchResult {
  batchId: number;
  persons: number;
  amount: number;
  /** True when nothing was due and this is the batch an earlier run made (a second run pays no one twice and makes no empty batch). */
  replayed: boolean;
}

export interface BatchRequest {
  year: number;
  rosterId: number;
  department: string;
  division: string;
  reference: string | null;
  paidOn: string;
  /** Cover of those it enrols: the policy's day when paid in the window, else the day paid (assisted groups wait no period). */
  coverFrom: string;
  coverReason: 'in_window' | 'exempt';
  actor: string;
}

const DUE = `SELECT e.person_id, e.individual_fen - e.paid_fen AS amount
       FROM enrollments e
       JOIN roster_entries r ON r.person_id = e.person_id AND r.roster_id = $2
       JOIN persons p ON p.id = e.person_id
       WHERE e.year = $1 AND e.status = 'pending' AND e.individual_fen > e.paid_fen AND p.division_code LIKE $3 || '%'`;

/** The latest batch of a department for a roster, year and division: what a repeated run answers. */
export async function latestBatch(q: Queryable, b: Pick<BatchRequest, 'year' | 'rosterId' | 'department' | 'division'>): Promise<BatchResult | undefined> {
  const [row] = await q.query<{ id: number; persons: number; amount_fen: number }>(
    `SELECT id, persons, amount_fen FROM payment_batches WHERE year = $1 AND roster_id = $2 AND department = $3 AND division = $4 ORDER BY id DESC LIMIT 1`,
    [b.year, b.rosterId, b.department, b.division],
  );
  return row ? { batchId: Number(row.id), persons: row.persons, amount: Number(row.amount_fen), replayed: true } : undefined;
}

export async function countDue(q: Queryable, b: Pick<BatchRequest, 'year' | 'rosterId' | 'division'>): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${DUE}) d`, [b.year, b.rosterId, b.division]);
  return row!.n;
}

/**
 * A department pays the outstanding individual part of everyone on a roster
 * (in a division) whose enrollment of the year is pending: one batch, one
 * payment (with its receipt number) and one audit entry per person.
 */
export async function payRosterInBulk(q: Queryable, b: BatchRequest): Promise<BatchResult> {
  const [batch] = await q.query<{ id: number }>(
    `INSERT INTO payment_batches (year, department, roster_id, division, reference, recorded_by, paid_on) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [b.year, b.department, b.rosterId, b.division, b.reference, b.actor, b.paidOn],
  );
  const batchId = batch!.id;
  const [paid] = await q.query<{ persons: number; amount: number }>(
    `WITH due AS (${DUE} FOR UPDATE OF e),
     pay AS (
       INSERT INTO payments (person_id, year, kind, department, amount_fen, method, batch_id, recorded_by, paid_on)
       SELECT due.person_id, $1, 'on_behalf', $4, due.amount, 'transfer', $5, $6, $7 FROM due
       RETURNING id, person_id, amount_fen, receipt_no),
     upd AS (
       UPDATE enrollments e SET paid_fen = e.individual_fen, status = 'enrolled', enrolled_at = now(), updated_at = now(),
         cover_from = $8::date,
         cover_decision = jsonb_build_object('coverFrom', $8::text, 'reason', $9::text, 'paidOn', $7::text, 'waitingMonths', 0, 'fixedMonths', 0,
           'variableMonths', 0, 'yearsNotInsured', 0, 'exemption', CASE WHEN $9::text = 'exempt' THEN 'newly_identified_hardship' END)
       FROM due WHERE e.person_id = due.person_id AND e.year = $1),
     logged AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $6, 'payment.create', 'payment', pay.id::text,
         jsonb_build_object('personId', pay.person_id, 'year', $1::int, 'amount', pay.amount_fen, 'kind', 'on_behalf', 'department', $4::text,
           'batch', $5::bigint, 'receiptNo', pay.receipt_no, 'paidOn', $7::text, 'coverFrom', $8::text)
       FROM pay)
     SELECT count(*)::int AS persons, COALESCE(sum(amount_fen), 0)::bigint AS amount FROM pay`,
    [b.year, b.rosterId, b.division, b.department, batchId, b.actor, b.paidOn, b.coverFrom, b.coverReason],
  );
  await q.query('UPDATE payment_batches SET persons = $2, amount_fen = $3 WHERE id = $1', [batchId, paid!.persons, paid!.amount]);
  return { batchId, persons: paid!.persons, amount: Number(paid!.amount), replayed: false };
}
