/**
 * The settle body's common shape checked by hand, before zod (bench:settle's
 * profile: zod's parse of every settle body was about 3 % of the service's CPU).
 * It accepts only a body zod accepts and returns exactly what zod returns
 * (the same keys, in the same order, the ID number trimmed and upper-cased);
 * anything else — fee lines, an error of any kind, a key it does not know —
 * gives undefined, and the caller parses with zod, which answers as before.
 * test/settle-body-fast.test.ts compares the two on random bodies.
 */
import type { z } from 'zod';
import { isCalendarDate } from '../domain/calendar-date.ts';
import { idNumberProblem } from '../domain/id-number.ts';
import { MAX_FEN } from '../domain/money.ts';
import type { settleBodySchema } from './schemas.ts';

type SettleBody = z.output<typeof settleBodySchema>;
type Obj = Record<string, unknown>;

const TOP_KEYS = new Set(['patient', 'visit', 'amounts', 'acctUsedFlag', 'acctPayAmount', 'transactionId']);
const VISIT_KEYS = new Set(['kind', 'date', 'majorIllness', 'emergency', 'chronicClass', 'chronicCategory', 'diagnosis', 'dischargeDate']);
const TRANSACTION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function plainObject(v: unknown): v is Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Every key known and no value undefined (zod would keep an explicit undefined's key). */
function onlyKeys(o: Obj, known: ReadonlySet<string>): boolean {
  for (const k in o) if (!Object.prototype.hasOwnProperty.call(o, k) || !known.has(k) || o[k] === undefined) return false;
  return true;
}

function isFen(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_FEN;
}

/** A real calendar date as YYYY-MM-DD from 1900 to 2199 (what isoDateSchema accepts). */
export function isAcceptedDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const year = Number(v.slice(0, 4));
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  return year >= 1900 && year <= 2199 && isCalendarDate(year, month, day);
}

function patientOf(v: unknown): SettleBody['patient'] | undefined {
  if (!plainObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  if (keys[0] === 'idNumber') {
    const raw = v.idNumber;
    if (typeof raw !== 'string') return undefined;
    const idNumber = raw.trim().toUpperCase();
    return idNumberProblem(idNumber) === null ? { idNumber } : undefined;
  }
  if (keys[0] === 'qrToken') {
    const qrToken = v.qrToken;
    return typeof qrToken === 'string' && qrToken.length >= 8 && qrToken.length <= 200 ? { qrToken } : undefined;
  }
  return undefined;
}

function visitOf(v: unknown): SettleBody['visit'] | undefined {
  if (!plainObject(v) || !onlyKeys(v, VISIT_KEYS)) return undefined;
  const { kind, date, majorIllness, emergency, chronicClass, chronicCategory, diagnosis, dischargeDate } = v;
  if (kind !== 'inpatient' && kind !== 'outpatient' && kind !== 'chronic') return undefined;
  if (!isAcceptedDate(date)) return undefined;
  if (majorIllness !== undefined && typeof majorIllness !== 'boolean') return undefined;
  if (emergency !== undefined && typeof emergency !== 'boolean') return undefined;
  if (chronicClass !== undefined && chronicClass !== 'A' && chronicClass !== 'B') return undefined;
  if (chronicCategory !== undefined && !(typeof chronicCategory === 'number' && Number.isInteger(chronicCategory) && chronicCategory >= 1 && chronicCategory <= 10_000)) return undefined;
  if (diagnosis !== undefined && !(typeof diagnosis === 'string' && diagnosis.length <= 200)) return undefined;
  if (dischargeDate !== undefined && !(isAcceptedDate(dischargeDate) && dischargeDate >= date)) return undefined;
  if (kind === 'chronic' && chronicClass === undefined) return undefined;
  // zod's order: the schema's keys, those present.
  const out: Obj = { kind, date };
  if (majorIllness !== undefined) out.majorIllness = majorIllness;
  if (emergency !== undefined) out.emergency = emergency;
  if (chronicClass !== undefined) out.chronicClass = chronicClass;
  if (chronicCategory !== undefined) out.chronicCategory = chronicCategory;
  if (diagnosis !== undefined) out.diagnosis = diagnosis;
  if (dischargeDate !== undefined) out.dischargeDate = dischargeDate;
  return out as SettleBody['visit'];
}

/** The settle body as zod would return it, when it has the common shape (amounts, no fee lines) and is valid; else undefined. */
export function fastSettleBody(body: unknown): SettleBody | undefined {
  if (!plainObject(body) || !onlyKeys(body, TOP_KEYS)) return undefined;
  const patient = patientOf(body.patient);
  if (!patient) return undefined;
  const visit = visitOf(body.visit);
  if (!visit) return undefined;
  const amounts = body.amounts;
  if (!plainObject(amounts) || Object.keys(amounts).length !== 2) return undefined;
  const { total, compliant } = amounts;
  if (!isFen(total) || !isFen(compliant) || compliant > total) return undefined;
  const { acctUsedFlag, acctPayAmount, transactionId } = body;
  if (acctUsedFlag !== undefined && typeof acctUsedFlag !== 'boolean') return undefined;
  if (acctPayAmount !== undefined && !isFen(acctPayAmount)) return undefined;
  if (typeof transactionId !== 'string' || !TRANSACTION_ID.test(transactionId)) return undefined;
  const out: Obj = { patient, visit, amounts: { total, compliant } };
  if (acctUsedFlag !== undefined) out.acctUsedFlag = acctUsedFlag;
  if (acctPayAmount !== undefined) out.acctPayAmount = acctPayAmount;
  out.transactionId = transactionId;
  return out as SettleBody;
}
