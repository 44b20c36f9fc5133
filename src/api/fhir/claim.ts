/**
 * An incoming FHIR Claim as Sanbao's bill: `use` predetermination is a
 * pre-settlement (试算, writes nothing), `claim` a settlement, idempotent on the
 * Claim's identifier (the hospital's transaction id). The bill then goes
 * through the same schemas and services as the hospital API, so the money is
 * the same; a refusal names the Claim element at fault.
 */
import type { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import { MoneyError } from '../../domain/money.ts';
import { preSettleBodySchema, settleBodySchema } from '../schemas.ts';
import { EXTENSION, SYSTEM } from './code-systems.ts';
import { moneyToFen } from './money.ts';
import { patientRefOf, type Json } from './reference.ts';

export type ParsedClaim =
  | { readonly use: 'predetermination'; readonly bill: z.output<typeof preSettleBodySchema> }
  | { readonly use: 'claim'; readonly bill: z.output<typeof settleBodySchema> };

const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const extensionOf = (v: unknown, url: string): Json | undefined => arr(obj(v)?.extension).map(obj).find((e) => e?.url === url);

function money(value: unknown, path: string): number {
  try {
    return moneyToFen(value);
  } catch (error) {
    if (error instanceof MoneyError) throw invalid('INVALID_MONEY', error.message, path);
    throw error;
  }
}

/** A FHIR date or dateTime as the day it names (YYYY-MM-DD); the schemas check it is a real date. */
const day = (v: unknown): unknown => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v);

function visitKindOf(claim: Json): unknown {
  const coded = arr(obj(claim.subType)?.coding).map(obj).find((c) => c?.system === SYSTEM.visitKind);
  if (coded) return coded.code;
  const type = arr(obj(claim.type)?.coding).map(obj).find((c) => c?.system === SYSTEM.claimType)?.code;
  return type === 'institutional' ? 'inpatient' : type === 'professional' ? 'outpatient' : undefined;
}

/** Where each field of Sanbao's bill comes from in the Claim (for refusals). */
export function claimPath(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const line = /^lines\.(\d+)(?:\.(\w+))?/.exec(field);
  if (line) {
    const element = { code: 'productOrService', quantity: 'quantity', unitPrice: 'unitPrice', amount: 'net', date: 'servicedDate', department: 'extension' }[line[2] ?? ''];
    return `Claim.item[${line[1]}]${element ? `.${element}` : ''}`;
  }
  const map: Record<string, string> = {
    transactionId: 'Claim.identifier',
    patient: 'Claim.patient',
    'patient.idNumber': 'Claim.patient.identifier',
    'patient.qrToken': 'Claim.patient.identifier',
    visit: 'Claim.subType',
    'visit.kind': 'Claim.subType',
    'visit.date': 'Claim.billablePeriod.start',
    'visit.dischargeDate': 'Claim.billablePeriod.end',
    'visit.diagnosis': 'Claim.diagnosis',
    'visit.majorIllness': `Claim.extension('${EXTENSION.majorIllness}')`,
    'visit.chronicClass': `Claim.extension('${EXTENSION.chronicClass}')`,
    'visit.chronicCategory': `Claim.extension('${EXTENSION.chronicCategory}')`,
    amounts: 'Claim.total',
    'amounts.total': 'Claim.total',
    'amounts.compliant': `Claim.extension('${EXTENSION.compliant}')`,
    lines: 'Claim.item',
  };
  return map[field] ?? (field.startsWith('Claim') ? field : `Claim (${field})`);
}

/** Reads a Claim into a bill, or throws an invalid-input error naming the Claim element. */
export function parseClaim(body: unknown): ParsedClaim {
  const claim = obj(body);
  if (!claim || claim.resourceType !== 'Claim') throw invalid('INVALID_RESOURCE', 'the body must be a FHIR Claim resource', 'Claim.resourceType');
  const use = claim.use;
  if (use !== 'claim' && use !== 'predetermination') {
    throw invalid('UNSUPPORTED_USE', 'use must be "claim" (settlement) or "predetermination" (pre-settlement)', 'Claim.use');
  }
  const patient = patientRefOf(claim.patient, 'Claim.patient');
  const period = obj(claim.billablePeriod);
  const kind = visitKindOf(claim);
  const start = day(period?.start);
  const end = day(period?.end);
  const diagnosis = arr(claim.diagnosis).map(obj)[0];
  const diagnosisCode = arr(obj(diagnosis?.diagnosisCodeableConcept)?.coding).map(obj)[0]?.code;
  const major = extensionOf(claim, EXTENSION.majorIllness)?.valueBoolean;
  const chronicClass = extensionOf(claim, EXTENSION.chronicClass)?.valueCode;
  const chronicCategory = extensionOf(claim, EXTENSION.chronicCategory)?.valueInteger;
  const compliantExt = extensionOf(claim, EXTENSION.compliant);
  const amounts =
    claim.total === undefined && compliantExt === undefined
      ? undefined
      : {
          total: money(claim.total, 'Claim.total'),
          compliant: compliantExt === undefined ? undefined : money(compliantExt.valueMoney, `Claim.extension('${EXTENSION.compliant}')`),
        };
  const items = arr(claim.item).map(obj);
  const lines = items.length === 0 ? undefined : items.map((item, i) => {
    const at = `Claim.item[${i}]`;
    const quantity = obj(item?.quantity)?.value;
    return {
      code: arr(obj(item?.productOrService)?.coding).map(obj)[0]?.code,
      quantity,
      unitPrice: money(item?.unitPrice, `${at}.unitPrice`),
      amount: money(item?.net, `${at}.net`),
      date: day(item?.servicedDate ?? start),
      department: extensionOf(item, EXTENSION.department)?.valueString ?? obj(item?.locationCodeableConcept)?.text,
    };
  });
  const visit = {
    kind,
    date: start,
    ...(end !== undefined && kind === 'inpatient' ? { dischargeDate: end } : {}),
    ...(typeof diagnosisCode === 'string' ? { diagnosis: diagnosisCode } : {}),
    ...(major !== undefined ? { majorIllness: major } : {}),
    ...(chronicClass !== undefined ? { chronicClass } : {}),
    ...(chronicCategory !== undefined ? { chronicCategory } : {}),
  };
  const fields = { patient, visit, ...(amounts ? { amounts } : {}), ...(lines ? { lines } : {}) };
  if (use === 'predetermination') return { use, bill: parseBill(preSettleBodySchema, fields) };
  const identifier = arr(claim.identifier).map(obj).find((i) => typeof i?.value === 'string');
  if (!identifier) throw invalid('TRANSACTION_ID_REQUIRED', 'a claim needs an identifier: the hospital\'s transaction id (settlement is idempotent on it)', 'Claim.identifier');
  return { use, bill: parseBill(settleBodySchema, { ...fields, transactionId: identifier.value }) };
}

function parseBill<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = claimPath(issue.path.join('.') || undefined);
  throw invalid('INVALID_INPUT', issue.message, path);
}
