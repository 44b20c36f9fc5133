/** References between Sanbao's FHIR resources, and the patient a request names. */
import { invalid } from '../../domain/errors.ts';
import { maskIdNumber, maskName } from '../../domain/privacy.ts';
import type { PatientRef } from '../../service/settlement-service.ts';
import type { PersonRow } from '../../store/repositories/persons.ts';
import { idNumberSchema } from '../schemas.ts';
import { SYSTEM } from './code-systems.ts';

export type Json = Record<string, unknown>;

/**
 * A patient reference as Sanbao answers it: the person's id, the ID number
 * masked and the name masked — a hospital checks the name at the desk through
 * the hospital API, not through every resource.
 */
export function patientReference(person: Pick<PersonRow, 'id' | 'id_number' | 'name'>): Json {
  return {
    reference: `Patient/${person.id}`,
    identifier: { system: SYSTEM.idNumber, value: maskIdNumber(person.id_number) },
    display: maskName(person.name),
  };
}

export function facilityReference(facility: { code: string; name: string }): Json {
  return { identifier: { system: SYSTEM.facility, value: facility.code }, display: facility.name };
}

/** The insurer of every Sanbao resource: the medical security bureau of the person's policy. */
export function insurerReference(policy: { id: string; region: { name: string } } | undefined): Json {
  return policy
    ? { identifier: { system: SYSTEM.policy, value: policy.id }, display: `${policy.region.name}医疗保障局` }
    : { display: '医疗保障局' };
}

/**
 * The patient an incoming request names: `{identifier: {system, value}}` with
 * the ID-number system (居民身份证号码) or the e-certificate QR token's.
 */
export function patientRefOf(value: unknown, path: string): PatientRef {
  const identifier = (value as { identifier?: { system?: unknown; value?: unknown } } | null)?.identifier;
  if (!identifier || typeof identifier.value !== 'string') {
    throw invalid('PATIENT_REQUIRED', `give the patient as {identifier: {system: "${SYSTEM.idNumber}" or "${SYSTEM.qrToken}", value}}`, `${path}.identifier`);
  }
  if (identifier.system === SYSTEM.qrToken) {
    const token = identifier.value.trim();
    if (token.length < 8 || token.length > 200) throw invalid('INVALID_INPUT', 'a QR token is 8 to 200 characters', `${path}.identifier.value`);
    return { qrToken: token };
  }
  if (identifier.system !== SYSTEM.idNumber) {
    throw invalid('UNKNOWN_IDENTIFIER_SYSTEM', `identifier.system must be "${SYSTEM.idNumber}" or "${SYSTEM.qrToken}"`, `${path}.identifier.system`);
  }
  const parsed = idNumberSchema.safeParse(identifier.value);
  if (!parsed.success) throw invalid('INVALID_INPUT', parsed.error.issues[0]!.message, `${path}.identifier.value`);
  return { idNumber: parsed.data };
}
