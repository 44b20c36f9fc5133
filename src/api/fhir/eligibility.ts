/**
 * CoverageEligibilityRequest → CoverageEligibilityResponse: is the patient
 * insured on the day of service? The hospital's patient look-up (identify) in
 * FHIR form — audited and limited per facility the same way.
 */
import { invalid } from '../../domain/errors.ts';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import type { PatientRef } from '../../service/settlement-service.ts';
import type { EnrollmentRow } from '../../store/repositories/enrollments.ts';
import { coverageOf } from './coverage.ts';
import { patientRefOf, type Json } from './reference.ts';
import type { PersonRow } from '../../store/repositories/persons.ts';

export interface EligibilityQuestion {
  readonly patient: PatientRef;
  /** The day of service; absent: today in the bureau's time zone. */
  readonly servicedDate: string | undefined;
  readonly identifier: Json[] | undefined;
  readonly purpose: string[];
}

const PURPOSES = ['auth-requirements', 'benefits', 'discovery', 'validation'];

export function parseEligibilityRequest(body: unknown): EligibilityQuestion {
  const r = body as Json | null;
  if (!r || typeof r !== 'object' || r.resourceType !== 'CoverageEligibilityRequest') {
    throw invalid('INVALID_RESOURCE', 'the body must be a FHIR CoverageEligibilityRequest resource', 'CoverageEligibilityRequest.resourceType');
  }
  const purpose = Array.isArray(r.purpose) && r.purpose.length ? r.purpose : ['validation'];
  if (!purpose.every((p) => typeof p === 'string' && PURPOSES.includes(p))) {
    throw invalid('INVALID_INPUT', `each purpose must be one of ${PURPOSES.join(', ')}`, 'CoverageEligibilityRequest.purpose');
  }
  let servicedDate: string | undefined;
  if (r.servicedDate !== undefined) {
    const parsed = isoDateSchema.safeParse(typeof r.servicedDate === 'string' ? r.servicedDate.slice(0, 10) : r.servicedDate);
    if (!parsed.success) throw invalid('INVALID_INPUT', parsed.error.issues[0]!.message, 'CoverageEligibilityRequest.servicedDate');
    servicedDate = parsed.data;
  }
  return {
    patient: patientRefOf(r.patient, 'CoverageEligibilityRequest.patient'),
    servicedDate,
    identifier: Array.isArray(r.identifier) ? (r.identifier as Json[]) : undefined,
    purpose: purpose as string[],
  };
}

export function eligibilityResponseOf(args: {
  question: EligibilityQuestion;
  person: Pick<PersonRow, 'id' | 'id_number' | 'name'>;
  patient: Json;
  enrollment: EnrollmentRow | undefined;
  year: number;
  insurer: Json;
  now: Date;
}): Json {
  const { question, enrollment, year } = args;
  const inforce = enrollment?.status === 'enrolled';
  return {
    resourceType: 'CoverageEligibilityResponse',
    ...(enrollment ? { contained: [{ ...coverageOf(args.person, enrollment, args.insurer), id: 'coverage' }] } : {}),
    ...(question.identifier ? { identifier: question.identifier } : {}),
    status: 'active',
    purpose: question.purpose,
    patient: args.patient,
    servicedDate: question.servicedDate ?? `${year}`,
    created: args.now.toISOString(),
    request: { display: 'the CoverageEligibilityRequest this answers (not stored)' },
    outcome: 'complete',
    disposition: inforce ? `Insured for ${year}` : enrollment ? `Not insured for ${year}: enrollment ${enrollment.status}` : `Not enrolled for ${year}`,
    insurer: args.insurer,
    ...(enrollment
      ? { insurance: [{ coverage: { reference: '#coverage' }, inforce, benefitPeriod: { start: `${year}-01-01`, end: `${year}-12-31` } }] }
      : { error: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication-error', code: 'a001' }], text: `not enrolled for ${year}` } }] }),
  };
}
