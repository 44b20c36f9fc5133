/**
 * FHIR R4 under /fhir/r4 (application/fhir+json), over the same services as
 * the hospital and resident APIs: hospitals with their facility key, residents
 * with their session for themselves, staff with theirs. Every error is an
 * OperationOutcome. Thin: authenticate, parse, call the service, map.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bureauYear } from '../../domain/bureau-time.ts';
import { DomainError, forbidden, invalid, notFound, unauthorized } from '../../domain/errors.ts';
import type { Policy } from '../../domain/policy/types.ts';
import { adjustedSettlement, enrollmentOrThrow, enrollmentsOf, personOrThrow, personSettlements } from '../../service/fhir-records.ts';
import { sessionResident } from '../../service/resident-auth.ts';
import { DEFAULT_LIMITS, takeHit, type SecurityLimits } from '../../service/rate-limit.ts';
import { findPatient, identify, preSettle, settleBill, type SettlementDeps } from '../../service/settlement-service.ts';
import type { PersonRow } from '../../store/repositories/persons.ts';
import { findSettlementByTransaction, type SettlementRow } from '../../store/repositories/settlements.ts';
import { transactionIdSchema } from '../schemas.ts';
import type { BillFigures } from '../fhir/adjudication.ts';
import { facilityAuthenticator } from '../auth.ts';
import { loggableError } from '../errors.ts';
import { MAX_JSON_DEPTH, jsonDepthExceeds } from '../http-hardening.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import { searchBundle } from '../fhir/bundle.ts';
import { capabilityStatementOf } from '../fhir/capability.ts';
import { claimPath, parseClaim } from '../fhir/claim.ts';
import { claimResponseOf } from '../fhir/claim-response.ts';
import { codeSystem, codeSystems } from '../fhir/code-systems.ts';
import { coverageOf } from '../fhir/coverage.ts';
import { eligibilityResponseOf, parseEligibilityRequest } from '../fhir/eligibility.ts';
import { explanationOfBenefitOf } from '../fhir/explanation-of-benefit.ts';
import { insurancePlanOf } from '../fhir/insurance-plan.ts';
import { internalOutcome, operationOutcome, problemOf } from '../fhir/outcome.ts';
import { insurerReference, patientReference } from '../fhir/reference.ts';
import { residentToken } from './resident.ts';

export const FHIR_BASE = '/fhir/r4';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const STATUS = { invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, too_large: 413, unprocessable: 422, rate_limited: 429, unavailable: 503 } as const;

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR id (1–64 letters, digits, - and .)') });
const coverageIdParams = z.object({ id: z.string().regex(/^\d{1,15}-\d{4}$/, 'must be {personId}-{year}') });
const pageQuery = { _count: z.coerce.number().int().min(1).max(500).default(100), _offset: z.coerce.number().int().min(0).max(1_000_000).default(0) };

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, resource: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw invalid('INVALID_INPUT', issue.message, `${resource}${issue.path.length ? `.${issue.path.join('.')}` : ''}`);
}

/** Who reads a person's records: the resident themselves, or staff with the permission over the person's division. */
async function readerOf(deps: SettlementDeps, request: FastifyRequest, permission: 'enrollment.read' | 'settlement.read') {
  const resident = residentToken(request);
  if (resident) {
    const person = await sessionResident(deps.db, resident);
    return { mayRead: (p: PersonRow) => p.id === person.id, self: person };
  }
  if (!request.headers.authorization && !request.headers.cookie) throw unauthorized('SIGN_IN_REQUIRED', 'sign in as a resident or as staff first');
  const staff = await requireStaff(deps.db, request, permission);
  return { mayRead: (p: PersonRow) => (requireDivision(staff, p.division_code), true), self: undefined };
}

export function fhirRoutes(app: FastifyInstance, deps: SettlementDeps & { limits?: Partial<SecurityLimits> }): void {
  const facilityOf = facilityAuthenticator(deps.db);
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const policyOf = (id: string): Policy | undefined => deps.policies.get(id);
  const insurerOf = (policyId: string) => insurerReference(policyOf(policyId));
  const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}${FHIR_BASE}`;
  /** The ClaimResponse of a stored settlement. */
  const settledResponse = (s: SettlementRow, person: PersonRow, facility: { code: string; name: string }) =>
    claimResponseOf({
      use: 'claim', figures: figuresOf(s), visitKind: s.visit_kind, patient: patientReference(person), insurer: insurerOf(s.policy_id), facility,
      settlement: { id: s.id, transactionId: s.transaction_id, settledAt: new Date(s.settled_at), status: s.status }, created: new Date(),
    });

  void app.register(
    async (fhir) => {
      fhir.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
        const text = body as string;
        if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) return done(invalid('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, 'body'), undefined);
        try {
          done(null, text === '' ? undefined : JSON.parse(text));
        } catch (error) {
          done(invalid('INVALID_JSON', `not valid JSON: ${(error as Error).message}`, 'body'), undefined);
        }
      });
      fhir.addHook('onSend', async (_request, reply, payload) => {
        if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) void reply.header('content-type', FHIR_JSON);
        return payload;
      });
      fhir.setErrorHandler((error, request, reply) => {
        const problem = problemOf(error);
        if (!problem) {
          request.log.error({ err: loggableError(error) }, 'unhandled FHIR error');
          return reply.status(500).type(FHIR_JSON).send(internalOutcome());
        }
        if (problem.kind === 'rate_limited' && 'retryAfterSeconds' in (error as object)) {
          void reply.header('retry-after', String(Math.max(1, Math.ceil((error as { retryAfterSeconds: number }).retryAfterSeconds))));
        }
        return reply.status(problem.status ?? STATUS[problem.kind]).type(FHIR_JSON).send(operationOutcome(problem));
      });
      fhir.setNotFoundHandler((request, reply) => {
        void reply.status(404).type(FHIR_JSON).send(operationOutcome({ kind: 'not_found', code: 'NOT_FOUND', message: `no FHIR interaction ${request.method} ${request.url.split('?')[0]}`, field: 'url' }));
      });

      fhir.get('/metadata', async () => capabilityStatementOf(new Date(), '0.1.0'));

      fhir.get('/CodeSystem', async (request) => searchBundle(baseOf(request), codeSystems()));
      fhir.get('/CodeSystem/:id', async (request) => {
        const { id } = parse(idParams, request.params, 'CodeSystem');
        const found = codeSystem(id);
        if (!found) throw notFound('UNKNOWN_CODE_SYSTEM', `no CodeSystem ${id}`, 'CodeSystem.id');
        return found;
      });

      fhir.get('/InsurancePlan', async (request) => searchBundle(baseOf(request), deps.policies.list().map(insurancePlanOf)));
      fhir.get('/InsurancePlan/:id', async (request) => {
        const { id } = parse(idParams, request.params, 'InsurancePlan');
        const policy = policyOf(id);
        if (!policy) throw notFound('UNKNOWN_POLICY', `no policy ${id}`, 'InsurancePlan.id');
        return insurancePlanOf(policy);
      });

      fhir.get('/Coverage/:id', async (request) => {
        const { id } = parse(coverageIdParams, request.params, 'Coverage');
        const reader = await readerOf(deps, request, 'enrollment.read');
        const [personId, year] = id.split('-').map(Number) as [number, number];
        const person = await personOrThrow(deps.db, personId, 'Coverage.id');
        if (!reader.mayRead(person)) throw forbidden('NOT_YOURS', 'a resident reads only their own coverage');
        const enrollment = await enrollmentOrThrow(deps.db, person, year);
        return coverageOf(person, enrollment, insurerOf(enrollment.policy_id));
      });
      fhir.get('/Coverage', async (request) => {
        const query = parse(z.object({ beneficiary: z.string().regex(/^(Patient\/)?\d{1,15}$/, 'must be Patient/{id}').optional() }), request.query, 'Coverage');
        const reader = await readerOf(deps, request, 'enrollment.read');
        const personId = query.beneficiary ? Number(query.beneficiary.replace('Patient/', '')) : reader.self?.id;
        if (personId === undefined) throw invalid('INVALID_INPUT', 'give beneficiary=Patient/{id}', 'Coverage.beneficiary');
        const person = await personOrThrow(deps.db, personId, 'Coverage.beneficiary');
        if (!reader.mayRead(person)) throw forbidden('NOT_YOURS', 'a resident reads only their own coverage');
        const rows = await enrollmentsOf(deps.db, person);
        return searchBundle(baseOf(request), rows.map((e) => coverageOf(person, e, insurerOf(e.policy_id))));
      });

      fhir.post('/CoverageEligibilityRequest', async (request) => {
        const facility = await facilityOf(request);
        await takeHit(deps.db, `identify:facility:${facility.id}`, limits.identifyPerFacility, 'IDENTIFY_RATE_LIMITED', 'too many patient look-ups from this facility; try again later');
        const question = parseEligibilityRequest(request.body);
        const now = new Date();
        const year = question.servicedDate ? Number(question.servicedDate.slice(0, 4)) : bureauYear(now);
        const { person, enrollment } = await identify(deps, facility, question.patient, year, 'registration');
        const insurer = enrollment ? insurerOf(enrollment.policy_id) : insurerReference(deps.policies.forDivision(person.division_code, year));
        return eligibilityResponseOf({ question, person, patient: patientReference(person), enrollment, year, insurer, now });
      });

      fhir.post('/Claim', async (request, reply) => {
        const facility = await facilityOf(request);
        const claim = parseClaim(request.body);
        try {
          if (claim.use === 'predetermination') {
            const result = await preSettle(deps, facility, claim.bill);
            const person = await findPatient(deps.db, claim.bill.patient);
            return claimResponseOf({
              use: 'predetermination', figures: result, visitKind: claim.bill.visit.kind, patient: patientReference(person),
              insurer: insurerOf(result.policy), facility, created: new Date(),
            });
          }
          const outcome = await settleBill(deps, facility, claim.bill);
          const s = outcome.settlement;
          const person = await personOrThrow(deps.db, s.person_id, 'Claim.patient');
          void reply.status(outcome.replayed ? 200 : 201);
          if (!outcome.replayed) void reply.header('location', `${FHIR_BASE}/ClaimResponse/${s.id}`);
          return settledResponse(s, person, facility);
        } catch (error) {
          throw inClaimTerms(error);
        }
      });

      // By the hospital's own transaction id: `identifier=HIS-0001` (or `system|HIS-0001`).
      fhir.get('/ClaimResponse', async (request) => {
        const facility = await facilityOf(request);
        const query = parse(z.object({ identifier: z.string().min(1).max(300) }), request.query, 'ClaimResponse');
        const transactionId = parse(transactionIdSchema, query.identifier.split('|').at(-1), 'ClaimResponse.identifier');
        const row = await findSettlementByTransaction(deps.db, facility.id, transactionId);
        if (!row) return searchBundle(baseOf(request), []);
        const person = await personOrThrow(deps.db, row.person_id, 'ClaimResponse.patient');
        return searchBundle(baseOf(request), [settledResponse(row, person, facility)]);
      });

      fhir.get('/ClaimResponse/:id', async (request) => {
        const facility = await facilityOf(request);
        const { id } = parse(idParams, request.params, 'ClaimResponse');
        const found = /^\d{1,15}$/.test(id) ? await adjustedSettlement(deps.db, Number(id)) : undefined;
        if (!found || found.settlement.facility_id !== facility.id) throw notFound('UNKNOWN_SETTLEMENT', `no ClaimResponse ${id} of this facility`, 'ClaimResponse.id');
        const s = found.settlement;
        const person = await personOrThrow(deps.db, s.person_id, 'ClaimResponse.patient');
        return settledResponse(s, person, facility);
      });

      fhir.get('/ExplanationOfBenefit', async (request) => {
        const query = parse(z.object({ patient: z.string().regex(/^(Patient\/)?\d{1,15}$/, 'must be Patient/{id}').optional(), ...pageQuery }), request.query, 'ExplanationOfBenefit');
        const reader = await readerOf(deps, request, 'settlement.read');
        const personId = query.patient ? Number(query.patient.replace('Patient/', '')) : reader.self?.id;
        if (personId === undefined) throw invalid('INVALID_INPUT', 'give patient=Patient/{id}', 'ExplanationOfBenefit.patient');
        const person = await personOrThrow(deps.db, personId, 'ExplanationOfBenefit.patient');
        if (!reader.mayRead(person)) throw forbidden('NOT_YOURS', 'a resident reads only their own claims');
        const page = await personSettlements(deps.db, person.id, { limit: query._count, offset: query._offset });
        const end = query._offset + page.rows.length;
        const next = end < page.total ? `${baseOf(request)}/ExplanationOfBenefit?patient=Patient/${person.id}&_count=${query._count}&_offset=${end}` : undefined;
        const resources = page.rows.map((a) => explanationOfBenefitOf(a, patientReference(person), insurerOf(a.settlement.policy_id)));
        return searchBundle(baseOf(request), resources, page.total, next);
      });
      fhir.get('/ExplanationOfBenefit/:id', async (request) => {
        const { id } = parse(idParams, request.params, 'ExplanationOfBenefit');
        const reader = await readerOf(deps, request, 'settlement.read');
        const found = /^\d{1,15}$/.test(id) ? await adjustedSettlement(deps.db, Number(id)) : undefined;
        if (!found) throw notFound('UNKNOWN_SETTLEMENT', `no ExplanationOfBenefit ${id}`, 'ExplanationOfBenefit.id');
        const person = await personOrThrow(deps.db, found.settlement.person_id, 'ExplanationOfBenefit.patient');
        // A resident asking for another's bill learns nothing of it: the same answer as for no bill.
        if (!reader.mayRead(person)) throw notFound('UNKNOWN_SETTLEMENT', `no ExplanationOfBenefit ${id}`, 'ExplanationOfBenefit.id');
        return explanationOfBenefitOf(found, patientReference(person), insurerOf(found.settlement.policy_id));
      });
    },
    { prefix: FHIR_BASE },
  );
}

/** The settled figures of a stored settlement. */
function figuresOf(s: SettlementRow): BillFigures {
  return {
    total: Number(s.total_fen), compliant: Number(s.compliant_fen), funds: s.funds, selfPayCompliant: Number(s.self_pay_compliant),
    selfPayExcluded: Number(s.self_pay_excluded), selfPay: Number(s.self_pay), steps: s.steps,
  };
}

/** A service refusal names the Claim element its field comes from. */
function inClaimTerms(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.field === undefined || error.field.startsWith('Claim')) return error;
  return new DomainError(error.kind, error.code, error.message, claimPath(error.field));
}

