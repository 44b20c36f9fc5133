/**
 * Resident sign-in with an ID number and a one-time code. The code goes out
 * through an OtpSender (an SMS gateway; a file only in the demo). Only hashes
 * of codes and session tokens are stored.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { invalid, unauthorized, unavailable } from '../domain/errors.ts';
import { isValidIdNumber } from '../domain/id-number.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findPersonByIdNumber, findPersonById, type PersonRow } from '../store/repositories/persons.ts';
import {
  countOtpAttempt, endResidentSession, findResidentSession, insertOtp, insertResidentSession, latestOtp,
  markOtpUsed, touchResidentSession,
} from '../store/repositories/resident-sessions.ts';
import { codeDestination } from './code-destination.ts';
import type { OtpSender } from './otp-senders.ts';
import { DEFAULT_LIMITS, takeHit, type SecurityLimits } from './rate-limit.ts';

export const OTP_MINUTES = 5;
export const OTP_MAX_ATTEMPTS = 5;
export const RESIDENT_IDLE_MINUTES = 30;
export const RESIDENT_SESSION_HOURS = 4;

export { logFileOtpSender, type OtpSender } from './otp-senders.ts';

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export interface CodeRequestOptions {
  /** The client's address, for the per-address limit. */
  readonly address: string;
  readonly limits?: Partial<SecurityLimits>;
  readonly now?: Date;
  /** Told when the gateway fails: the resident is not (that would tell who is insured). */
  readonly onDeliveryError?: (error: Error) => void;
}

/**
 * Issues a code when the ID number belongs to an insured person. Every
 * well-formed number gets the same answer, is counted against the same
 * limits (per number, per client address, overall) and is refused alike past
 * them: neither the status, the body nor the limits tell who is insured here.
 * The answer names the masked phone the code went to (a stable decoy for an
 * unknown number: see code-destination.ts).
 */
export async function requestCode(db: Db, sender: OtpSender, idNumber: string, options: CodeRequestOptions): Promise<{ phone: string | null }> {
  const now = options.now ?? new Date();
  const id = idNumber.trim().toUpperCase();
  if (!isValidIdNumber(id)) throw invalid('INVALID_ID_NUMBER', 'not a valid 18-character ID number', 'idNumber');
  if (sender.available === false) throw unavailable('SMS_NOT_CONFIGURED', 'sign-in codes cannot be sent: no SMS gateway is configured; please visit your service station');
  const l = { ...DEFAULT_LIMITS, ...options.limits };
  const tooMany = 'too many codes requested; try again later';
  await takeHit(db, `otp:address:${options.address}`, l.codesPerAddress, 'TOO_MANY_CODES', tooMany, now);
  await takeHit(db, 'otp:all', l.codesOverall, 'TOO_MANY_CODES', tooMany, now);
  // The number is hashed: the counter table holds no ID numbers.
  await takeHit(db, `otp:number:${hash(`otp:${id}`)}`, l.codesPerNumber, 'TOO_MANY_CODES', tooMany, now);
  const person = await findPersonByIdNumber(db, id);
  if (!person) return { phone: codeDestination(null, id) }; // a decoy: no hint whether the number is insured here
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await insertOtp(db, person.id, hash(`${person.id}:${code}`), new Date(now.getTime() + OTP_MINUTES * 60_000));
  await audit(db, { actor: `resident:${person.id}`, action: 'resident.code_sent', entity: 'person', entityId: person.id });
  // Not awaited: the gateway's latency (or failure) would otherwise tell an insured number from an unknown one by the answer's timing.
  void Promise.resolve()
    .then(() => sender.send({ personId: person.id, idNumber: person.id_number, phone: person.phone, code }))
    .catch((error: unknown) => options.onDeliveryError?.(error instanceof Error ? error : new Error(String(error))));
  return { phone: codeDestination(person, id) };
}

/** Checks the code; on success opens a resident session and returns its token. */
export async function verifyCode(db: Db, idNumber: string, code: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const refused = unauthorized('INVALID_CODE', 'wrong or expired code');
  const person = await findPersonByIdNumber(db, idNumber.trim().toUpperCase());
  if (!person) throw refused;
  const outcome = await db.transaction(async (tx) => {
    const otp = await latestOtp(tx, person.id);
    if (!otp || new Date(otp.expires_at) <= now || otp.attempts >= OTP_MAX_ATTEMPTS) return undefined;
    if (otp.code_hash !== hash(`${person.id}:${code.trim()}`)) {
      await countOtpAttempt(tx, otp.id);
      return undefined;
    }
    await markOtpUsed(tx, otp.id);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + RESIDENT_SESSION_HOURS * 3_600_000);
    await insertResidentSession(tx, hash(token), person.id, now, expiresAt);
    await audit(tx, { actor: `resident:${person.id}`, action: 'resident.login', entity: 'person', entityId: person.id });
    return { token, expiresAt };
  });
  if (!outcome) throw refused;
  return outcome;
}

/** The person behind a resident session token. */
export async function sessionResident(q: Queryable, token: string, now = new Date()): Promise<PersonRow> {
  const session = await findResidentSession(q, hash(token));
  const idleLimit = now.getTime() - RESIDENT_IDLE_MINUTES * 60_000;
  if (!session || session.ended_at || new Date(session.expires_at) <= now || new Date(session.last_seen_at).getTime() < idleLimit) {
    throw unauthorized('SESSION_EXPIRED', 'sign in again: the session has ended or expired');
  }
  await touchResidentSession(q, hash(token), now);
  const person = await findPersonById(q, session.person_id);
  if (!person) throw unauthorized('SESSION_EXPIRED', 'sign in again');
  return person;
}

export async function residentLogout(q: Queryable, token: string): Promise<void> {
  await endResidentSession(q, hash(token));
}
