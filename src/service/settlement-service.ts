/**
 * Settlement for hospital systems: identify, pre-settle, settle (idempotent on
 * the hospital's transaction id), reverse (冲正), list. Each settle is one
 * transaction that locks the person's accumulators for the year, so no request
 * can lose or duplicate money.
 */
import { continuityOf } from './enrollment-cover.ts';
import { coverOf } from '../store/repositories/cover.ts';
import * as crypto from 'node:crypto';
import type { FeeLine } from '../domain/catalogue/pricing.ts';
import { conflict, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { settle } from '../domain/engine/settle.ts';
import type { Amounts, Settlement } from '../domain/engine/types.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { ChronicClass, VisitKind } from '../domain/vocabulary.ts';
import { lastStatement, pgErrorCode, UNIQUE_VIOLATION, YEAR_CLOSED, type Db, type Queryable } from '../store/db.ts';
import { readSupplementaryYearToDate, readYearToDate, supplementaryYearToDateOf } from '../store/repositories/accumulators.ts';
import { audit } from '../store/repositories/audit.ts';
import { lockSettleContext, type SettleContext } from '../store/repositories/settle-writes.ts';
import { rulesHeldFor } from '../store/repositories/review-rules-version.ts';
import { afterWrite, billFacts, finishSettle, nothingAfterWrite, prepareSettle, resolve, writePrepared, yearOf } from './settle-compute.ts';
import { findEnrollment } from '../store/repositories/enrollments.ts';
import { hasActiveFiling } from '../store/repositories/out-of-area-filings.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import {
  findPersonByIdNumber,
  findPersonByQrToken,
  identitiesOf,
  toSpans,
  type PersonRow,
} from '../store/repositories/persons.ts';
import {
  countSettlements, findSettlementByTransaction, firstAlerts, listSettlements, realtimeAlertsOfSettlement, type SettlementRow,
} from '../store/repositories/settlements.ts';
import { realtimeThresholdsRecorded } from './realtime-thresholds.ts';
import { billStep, explainBill, priceBillLines, type BillExplanation } from './itemised-bill.ts';
import { chronicTerms } from './chronic-settlement.ts';
import { HISTORY_DAYS } from './claim-review.ts';
import { checkAccountRequest, previewAccountPayment, type AccountPart, type AccountRequest } from './personal-account-pay.ts';

export interface SettlementDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

/** Who the bill is for: the ID number, or the token of the electronic certificate's QR code. */
export type PatientRef = { readonly idNumber: string } | { readonly qrToken: string };

export interface BillRequest {
  readonly patient: PatientRef;
  readonly visit: {
    readonly kind: VisitKind;
    readonly date: string;
    readonly majorIllness?: boolean | undefined;
    /** Emergency treatment (急诊抢救): out of area it counts as filed (医保发〔2022〕22号: 视同已备案). */
    readonly emergency?: boolean | undefined;
    readonly chronicClass?: ChronicClass | undefined;
    readonly chronicCategory?: number | undefined;
    readonly diagnosis?: string | undefined;
    readonly dischargeDate?: string | undefined;
  };
  /** The hospital's amounts; with fee lines the bureau computes the compliant amount (and the total must agree). */
  readonly amounts?: Amounts | undefined;
  readonly lines?: readonly FeeLine[] | undefined;
}

export interface SettleRequest extends BillRequest, AccountRequest {
  readonly transactionId: string;
}

export interface SettleOutcome {
  readonly settlement: SettlementRow;
  /** True when this was a retry answered with the first result. */
  readonly replayed: boolean;
  readonly alerts: Settlement['alerts'];
  /** The line explanation; absent on a replay (read it with the settlement). */
  readonly bill?: BillExplanation;
  /** What the personal accounts paid (acct_pay, acct_mulaid_pay) and the cash left; absent on a replay. */
  readonly account?: AccountPart;
  /** The patient as read while settling (absent on a replay): the answer needs no second look-up. */
  readonly patient?: PersonRow;
}

export async function findPatient(q: Queryable, ref: PatientRef): Promise<PersonRow> {
  const person = 'idNumber' in ref ? await findPersonByIdNumber(q, ref.idNumber) : await findPersonByQrToken(q, ref.qrToken);
  if (!person) {
    throw notFound('UNKNOWN_PERSON', 'idNumber' in ref ? 'no insured person with this ID number' : 'no insured person with this certificate token', 'patient');
  }
  return person;
}

async function requireEnrolled(q: Queryable, person: PersonRow, year: number): Promise<void> {
  const enrollment = await findEnrollment(q, person.id, year);
  if (!enrollment || enrollment.status !== 'enrolled') {
    throw unprocessable('NOT_ENROLLED', `the person is not enrolled for ${year}`, 'patient');
  }
}

/** Identifies a patient for a facility: who, which scheme, enrolled this year or not. */
/** A hospital's patient look-up: audited with the facility, the person and the purpose. */
export async function identify(deps: SettlementDeps, facility: FacilityRow, ref: PatientRef, year: number, purpose: string) {
  const person = await findPatient(deps.db, ref);
  await audit(deps.db, {
    actor: `facility:${facility.code}`, action: 'patient.identify', entity: 'person', entityId: person.id,
    detail: { facility: facility.code, personId: person.id, purpose, by: 'qrToken' in ref ? 'qrToken' : 'idNumber' },
  });
  const enrollment = await findEnrollment(deps.db, person.id, year);
  const identities = await identitiesOf(deps.db, person.id);
  return { person, enrollment, identities };
}

/** Pre-settlement: the settlement with the person's real year-to-date; writes nothing. */
export async function preSettle(
  deps: SettlementDeps,
  facility: FacilityRow,
  request: BillRequest & AccountRequest,
): Promise<Settlement & BillExplanation & { account?: AccountPart }> {
  checkAccountRequest(request);
  const person = await findPatient(deps.db, request.patient);
  const year = yearOf(request.visit.date);
  await requireEnrolled(deps.db, person, year);
  const [ytd, tiers, identities, filed, cover] = await Promise.all([
    readYearToDate(deps.db, person.id, year),
    readSupplementaryYearToDate(deps.db, person.id, year),
    identitiesOf(deps.db, person.id),
    hasActiveFiling(deps.db, person.id, request.visit.date),
    coverOf(deps.db, person.id, year),
  ]);
  const resolved = resolve(deps, facility, person, request, filed);
  const { policy } = resolved;
  const chronic = await chronicTerms(deps.db, person, policy, resolved.visit, request.visit.diagnosis, ytd);
  const bill = await priceBillLines(deps.db, facility.division_code, person.scheme, request);
  const result = settle(policy, {
    person: { scheme: person.scheme, identities: toSpans(identities), status: person.employment_status },
    visit: chronic.visit,
    amounts: bill.amounts,
    bill: billStep(bill, billFacts(person, facility, request)),
    yearToDate: chronic.yearToDate,
    supplementaryYearToDate: supplementaryYearToDateOf(ytd.supplementary, tiers),
    coverFrom: cover?.cover_from ?? null,
    continuity: policy.enrollment.rewards ? await continuityOf(deps.db, person.id, year) : undefined,
  });
  // With the patient's choice, what the personal accounts would pay now (read only).
  const account = request.acctUsedFlag === true ? { account: await previewAccountPayment(deps.db, deps.policies, { patient: person, year, settlement: result, request }) } : {};
  return { ...result, ...explainBill(bill), ...account };
}

/**
 * The request's identity for idempotency: what it asks, with defaults left out,
 * so `"majorIllness": false` and an omitted majorIllness are the same request
 * (likewise `emergency` and `acctUsedFlag`).
 * (Defaults are removed rather than filled in so that hashes stored before
 * this rule still match the same retries.)
 */
export function requestIdentity(request: SettleRequest): SettleRequest {
  const { majorIllness, emergency, ...visit } = request.visit;
  const { acctUsedFlag, ...rest } = request;
  return {
    ...rest,
    ...(acctUsedFlag === true ? { acctUsedFlag } : {}),
    visit: { ...visit, ...(majorIllness === true ? { majorIllness } : {}), ...(emergency === true ? { emergency } : {}) },
  };
}

/** sha256 as hex in one call where Node has it (20.12 and later), else through a Hash object. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function requestHash(request: SettleRequest): string {
  return sha256Hex(canonicalJson(requestIdentity(request)));
}

/**
 * JSON with every object's keys sorted and undefined members left out: the text
 * a request hash is taken of. Stored hashes depend on it, so it must never
 * change (test/request-hash.test.ts holds it to the first version's text).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      // As Array.prototype.join: an element with no JSON (undefined) is written as nothing.
      out += (i > 0 ? ',' : '') + ((canonicalJson(value[i]) as string | undefined) ?? '');
    }
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // Sorted as the first version sorted (a < b: UTF-16 code units), which is sort()'s own order for strings.
    const keys = Object.keys(object).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      const v = object[k];
      if (v === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/**
 * A retry: the first answer whole (its alerts included) when the request is
 * the same; a conflict when it differs; and when the bill was reversed since,
 * a conflict a HIS cannot mistake for a success.
 */
async function replay(q: Queryable, policies: PolicyRegistry, existing: SettlementRow, hash: string): Promise<SettleOutcome> {
  if (existing.request_hash !== hash) {
    throw conflict('IDEMPOTENCY_CONFLICT', `transaction ${existing.transaction_id} was already settled with a different request`, 'transactionId');
  }
  if (existing.status === 'reversed') {
    throw conflict(
      'TRANSACTION_REVERSED',
      `transaction ${existing.transaction_id} was settled and then reversed by ${existing.reversal_id}; settle the bill again under a new transactionId`,
      'transactionId',
    );
  }
  return { settlement: existing, replayed: true, alerts: await answeredAlerts(q, policies, existing) };
}

/** A transaction id already keyed: its first answer; when its year was archived since (the key outlives the partition), a conflict. */
async function replayKeyed(q: Queryable, policies: PolicyRegistry, facilityId: number, transactionId: string, hash: string): Promise<SettleOutcome> {
  const existing = await findSettlementByTransaction(q, facilityId, transactionId);
  if (!existing) {
    throw conflict('TRANSACTION_ARCHIVED', `transaction ${transactionId} was settled in a year since archived; settle the bill again under a new transactionId`, 'transactionId');
  }
  return replay(q, policies, existing, hash);
}

/**
 * The alerts the first answer listed: kept with the settlement; for one written
 * before they were kept, the real-time alerts it raised, labelled by its policy.
 */
async function answeredAlerts(q: Queryable, policies: PolicyRegistry, s: SettlementRow): Promise<Settlement['alerts']> {
  const kept = await firstAlerts<Settlement['alerts'][number]>(q, s.id);
  if (kept !== null) return kept;
  const thresholds = policies.get(s.policy_id)?.monitoring.thresholds ?? [];
  return (await realtimeAlertsOfSettlement(q, s.id)).map((a) => ({
    threshold: a.threshold_id,
    label: thresholds.find((t) => t.id === a.threshold_id)?.label ?? a.threshold_id,
    amount: Number(a.threshold_fen),
    yearlySelfPay: Number(a.yearly_self_pay),
    risk: a.risk as Settlement['alerts'][number]['risk'],
    departments: a.departments as Settlement['alerts'][number]['departments'],
  }));
}

/**
 * Settles a bill once. A retry with the same transaction id and the same
 * request returns the first result; with a different request, a conflict.
 */
export async function settleBill(deps: SettlementDeps, facility: FacilityRow, request: SettleRequest): Promise<SettleOutcome> {
  const hash = requestHash(request);
  checkAccountRequest(request);
  // The thresholds real time judges the year's bills with, recorded before its first bill of the year commits (once per process and year).
  const recording = realtimeThresholdsRecorded(deps, yearOf(request.visit.date));
  if (recording) await recording;
  try {
    return await deps.db.transaction(async (tx) => {
      const year = yearOf(request.visit.date);
      // Find the person and lock their accumulators: a concurrent retry waits here, then finds the first result below.
      const context = await lockSettleContext(tx, request.patient, year, {
        facilityId: facility.id,
        transactionId: request.transactionId,
        visitDate: request.visit.date,
      }, HISTORY_DAYS, rulesHeldFor(deps.db));
      if (!context) return findPatient(tx, request.patient).then(() => never());
      if (context.existing) return replayKeyed(tx, deps.policies, facility.id, request.transactionId, hash);
      requireEnrolledContext(context, year);
      const prepared = await prepareSettle(deps, tx, facility, request, context, hash);
      // Nothing to send after the write: the write carries the COMMIT (one round trip less).
      const last = nothingAfterWrite(prepared, facility, request);
      const written = await writePrepared(last ? lastStatement(tx) : tx, prepared);
      return finishSettle(deps, afterWrite(deps, tx, last), facility, request, prepared, written);
    });
  } catch (error) {
    if (pgErrorCode(error) === YEAR_CLOSED) {
      throw conflict('YEAR_CLOSED', `${yearOf(request.visit.date)} is closed: its bills change only through a year-end correction`, 'visit.date');
    }
    // Two first attempts of one transaction id for different people: the unique key decides.
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      const existing = await findSettlementByTransaction(deps.db, facility.id, request.transactionId);
      if (existing) return replay(deps.db, deps.policies, existing, hash);
    }
    throw error;
  }
}

/** A settlement needs the person enrolled for the year of the visit. */
export function requireEnrolledContext(context: SettleContext, year: number): void {
  if (context.enrollmentStatus !== 'enrolled') {
    throw unprocessable('NOT_ENROLLED', `the person is not enrolled for ${year}`, 'patient');
  }
}

/** findPatient throws for an unknown person; this marks the unreachable path for the type checker. */
function never(): never {
  throw new Error('unreachable');
}

export { reverseLocked, reverseSettlement } from './settlement-reversal.ts';

/** A page of a person's settlements of a year at this facility (a facility sees only its own), newest first, with the total. */
export async function listPersonSettlements(
  deps: SettlementDeps,
  facility: FacilityRow,
  query: { personId: number; year: number; limit: number; offset: number },
): Promise<{ rows: SettlementRow[]; total: number }> {
  const { personId, year, limit, offset } = query;
  if (!Number.isSafeInteger(personId) || personId <= 0) throw invalid('INVALID_PERSON_ID', 'personId must be a positive integer', 'personId');
  const filter = { personId, year, facilityId: facility.id };
  const [rows, total] = await Promise.all([listSettlements(deps.db, { ...filter, limit, offset }), countSettlements(deps.db, filter)]);
  return { rows, total };
}
