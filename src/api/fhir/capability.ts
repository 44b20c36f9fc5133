/** The CapabilityStatement at /fhir/r4/metadata: what Sanbao's FHIR R4 endpoint does, and who may. */
import type { Json } from './reference.ts';

const read = { code: 'read' };
const search = { code: 'search-type' };
const create = { code: 'create' };

export function capabilityStatementOf(now: Date, version: string): Json {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString().slice(0, 10),
    publisher: 'Sanbao',
    kind: 'instance',
    software: { name: 'Sanbao (三保)', version },
    implementation: { description: 'Sanbao medical-insurance settlement, FHIR R4 façade over the hospital and resident APIs' },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Money is FHIR Money {value, currency: "CNY"}: value in yuan, exact to the fen (at most two decimals). Errors are OperationOutcome.',
        security: {
          cors: false,
          description:
            'Hospitals: Authorization: Bearer <facility key> (CoverageEligibilityRequest, Claim, ClaimResponse). ' +
            'Residents: the self-service session (their own Coverage and ExplanationOfBenefit). ' +
            'Bureau staff: the staff session with person.read / settlement.read (Coverage, ExplanationOfBenefit). ' +
            'metadata, CodeSystem and InsurancePlan need no sign-in.',
        },
        resource: [
          { type: 'Coverage', interaction: [read, search], searchParam: [{ name: 'beneficiary', type: 'reference' }] },
          { type: 'CoverageEligibilityRequest', interaction: [create], documentation: 'POST answers a CoverageEligibilityResponse; nothing is stored' },
          { type: 'CoverageEligibilityResponse' },
          {
            type: 'Claim',
            interaction: [create],
            documentation: 'use "predetermination": pre-settlement (writes nothing); use "claim": settlement, idempotent on Claim.identifier (the transaction id). Answers a ClaimResponse.',
          },
          { type: 'ClaimResponse', interaction: [read, search], searchParam: [{ name: 'identifier', type: 'token' }], documentation: 'the facility\'s own settlements' },
          { type: 'ExplanationOfBenefit', interaction: [read, search], searchParam: [{ name: 'patient', type: 'reference' }] },
          { type: 'InsurancePlan', interaction: [read, search], documentation: 'one per policy file (region and year)' },
          { type: 'CodeSystem', interaction: [read, search] },
        ],
      },
    ],
  };
}
