/**
 * The FHIR mapping functions, without HTTP or a database: every resource they
 * produce is valid against the official R4 JSON schema (ajv), money crosses
 * the edge exactly, and a Claim's refusal names the element at fault.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle } from '../src/domain/engine/settle.ts';
import { DomainError } from '../src/domain/errors.ts';
import { capabilityStatementOf } from '../src/api/fhir/capability.ts';
import { claimPath, parseClaim } from '../src/api/fhir/claim.ts';
import { claimResponseOf } from '../src/api/fhir/claim-response.ts';
import { codeSystems, EXTENSION, SYSTEM } from '../src/api/fhir/code-systems.ts';
import { coverageOf } from '../src/api/fhir/coverage.ts';
import { eligibilityResponseOf, parseEligibilityRequest } from '../src/api/fhir/eligibility.ts';
import { explanationOfBenefitOf } from '../src/api/fhir/explanation-of-benefit.ts';
import { insurancePlanOf } from '../src/api/fhir/insurance-plan.ts';
import { fenToDecimal, fenToMoney, moneyToFen } from '../src/api/fhir/money.ts';
import { operationOutcome } from '../src/api/fhir/outcome.ts';
import { insurerReference, patientReference } from '../src/api/fhir/reference.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import type { EnrollmentRow } from '../src/store/repositories/enrollments.ts';
import type { SettlementRow } from '../src/store/repositories/settlements.ts';
import { fhirSchemaErrors } from './support/fhir-schema.ts';
import { loadFixturePolicies } from './support/policies.ts';

const policies = loadFixturePolicies();
const dege = policies.get('dege-2025')!;
const idNumber = makeIdNumber('513330', '1980-01-01', 101, 'M');
const person = { id: 7, id_number: idNumber, name: '卓玛次仁' };
const insurer = insurerReference(dege);

describe('FHIR Money', () => {
  it('writes fen as exact yuan decimals, never through fen / 100', () => {
    expect([0, 1, 5, 10, 99, 100, 123_456, 100_000_000_000, -2_501].map(fenToDecimal)).toEqual([
      '0.00', '0.01', '0.05', '0.10', '0.99', '1.00', '1234.56', '1000000000.00', '-25.01',
    ]);
    expect(JSON.stringify(fenToMoney(123_456))).toBe('{"value":1234.56,"currency":"CNY"}');
    expect(JSON.stringify(fenToMoney(7))).toBe('{"value":0.07,"currency":"CNY"}');
  });

  it('reads any amount of at most two decimals back to the same fen, through JSON', () => {
    fc.assert(
      // Up to 999,999,999.99 yuan: the most parseYuan accepts (nine whole digits).
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (fen) => {
        const wire = JSON.parse(JSON.stringify(fenToMoney(fen)));
        expect(moneyToFen(wire)).toBe(fen);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses more than two decimals, exponents, negatives and other currencies', () => {
    for (const bad of [{ value: 10.005, currency: 'CNY' }, { value: 1e21, currency: 'CNY' }, { value: -1, currency: 'CNY' }, { value: 1, currency: 'USD' }, { value: '12.50' }, null]) {
      expect(() => moneyToFen(bad), JSON.stringify(bad)).toThrow();
    }
    expect(moneyToFen({ value: 0.1 })).toBe(10);
    expect(moneyToFen({ value: 1234.5, currency: 'CNY' })).toBe(123_450);
  });
});

function claim(extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Claim',
    status: 'active',
    type: { coding: [{ system: SYSTEM.claimType, code: 'institutional' }] },
    subType: { coding: [{ system: SYSTEM.visitKind, code: 'inpatient' }] },
    use: 'claim',
    identifier: [{ system: `${SYSTEM.transaction}/H1`, value: 'HIS-0001' }],
    patient: { identifier: { system: SYSTEM.idNumber, value: idNumber } },
    billablePeriod: { start: '2025-06-01', end: '2025-06-05' },
    created: '2025-06-05T10:00:00+08:00',
    provider: { identifier: { system: SYSTEM.facility, value: 'H1' } },
    priority: { coding: [{ system: SYSTEM.processPriority, code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'resident 2025' } }],
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: SYSTEM.icd10, code: 'K35.800' }] } }],
    total: { value: 10_000, currency: 'CNY' },
    extension: [{ url: EXTENSION.compliant, valueMoney: { value: 8_000.5, currency: 'CNY' } }],
    ...extra,
  };
}

describe('Claim in', () => {
  it('is itself valid R4 in the form the docs give', () => {
    expect(fhirSchemaErrors(claim())).toEqual([]);
  });

  it('reads a claim into the hospital API\'s bill, money in fen', () => {
    const parsed = parseClaim(claim());
    expect(parsed).toEqual({
      use: 'claim',
      bill: {
        transactionId: 'HIS-0001',
        patient: { idNumber },
        visit: { kind: 'inpatient', date: '2025-06-01', dischargeDate: '2025-06-05', diagnosis: 'K35.800' },
        amounts: { total: 1_000_000, compliant: 800_050 },
      },
    });
    expect(parseClaim(claim({ use: 'predetermination', identifier: undefined })).use).toBe('predetermination');
    const chronic = parseClaim(claim({
      subType: { coding: [{ system: SYSTEM.visitKind, code: 'chronic' }] }, billablePeriod: { start: '2025-09-02' },
      extension: [
        { url: EXTENSION.chronicClass, valueCode: 'B' }, { url: EXTENSION.chronicCategory, valueInteger: 40 },
        { url: EXTENSION.compliant, valueMoney: { value: 10_000, currency: 'CNY' } },
      ],
    }));
    expect(chronic.bill.visit).toEqual({ kind: 'chronic', date: '2025-09-02', diagnosis: 'K35.800', chronicClass: 'B', chronicCategory: 40 });
    expect(chronic.bill.amounts).toEqual({ total: 1_000_000, compliant: 1_000_000 });
    // Without a compliant amount or fee lines there is nothing to settle: the refusal names the extension.
    expect(() => parseClaim(claim({ extension: [] }))).toThrow(expect.objectContaining({ field: `Claim.extension('${EXTENSION.compliant}')` }));
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['another resource', { resourceType: 'Patient' }, 'Claim.resourceType'],
    ['preauthorization', { use: 'preauthorization' }, 'Claim.use'],
    ['no identifier on a claim', { identifier: [] }, 'Claim.identifier'],
    ['a bad transaction id', { identifier: [{ value: 'has spaces' }] }, 'Claim.identifier'],
    ['a patient without identifier', { patient: { reference: 'Patient/1' } }, 'Claim.patient.identifier'],
    ['a wrong check digit', { patient: { identifier: { system: SYSTEM.idNumber, value: idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1') } } }, 'Claim.patient.identifier.value'],
    ['three decimals', { total: { value: 100.005, currency: 'CNY' } }, 'Claim.total'],
    ['dollars', { total: { value: 100, currency: 'USD' } }, 'Claim.total'],
    ['compliant above total', { total: { value: 10, currency: 'CNY' } }, `Claim.extension('${EXTENSION.compliant}')`],
    ['an impossible date', { billablePeriod: { start: '2025-02-30' } }, 'Claim.billablePeriod.start'],
    ['discharge before admission', { billablePeriod: { start: '2025-06-05', end: '2025-06-01' } }, 'Claim.billablePeriod.end'],
    ['an unknown visit kind', { subType: { coding: [{ system: SYSTEM.visitKind, code: 'dental' }] } }, 'Claim.subType'],
    ['a line with a fractional quantity', {
      item: [{ sequence: 1, productOrService: { coding: [{ code: 'X1' }] }, quantity: { value: 1.5 }, unitPrice: { value: 10, currency: 'CNY' }, net: { value: 15, currency: 'CNY' }, extension: [{ url: EXTENSION.department, valueString: '内科' }] }],
    }, 'Claim.item[0].quantity'],
  ];
  for (const [name, extra, path] of refusals) {
    it(`refuses ${name}, naming ${path}`, () => {
      let caught: unknown;
      try {
        parseClaim({ ...claim(), ...extra });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).field).toBe(path);
      expect((caught as DomainError).kind).toBe('invalid');
    });
  }

  it('names the Claim element of a service refusal', () => {
    expect(claimPath('visit.date')).toBe('Claim.billablePeriod.start');
    expect(claimPath('lines.3.code')).toBe('Claim.item[3].productOrService');
    expect(claimPath('patient')).toBe('Claim.patient');
  });
});

const result = settle(dege, {
  person: { scheme: 'resident', identities: ['minimum_living'] },
  visit: { kind: 'inpatient', level: 2, date: '2025-06-01' },
  amounts: { total: 11_211_000, compliant: 9_800_000 },
});

function row(status: 'settled' | 'reversed' = 'settled'): SettlementRow {
  return {
    id: 42, facility_id: 1, facility_code: 'H1', facility_name: '德格县人民医院', transaction_id: 'HIS-0001', request_hash: 'x', person_id: 7, year: 2025,
    policy_id: 'dege-2025', visit_kind: 'inpatient', visit_level: 2, visit_date: '2025-06-01', total_fen: result.total, compliant_fen: result.compliant,
    funds_fen: result.total - result.selfPay, self_pay_compliant: result.selfPayCompliant, self_pay_excluded: result.selfPayExcluded, self_pay: result.selfPay,
    above_cap_fen: result.aboveCap, steps: [...result.steps], ytd_delta: result.yearToDate, status, reversal_id: status === 'reversed' ? 'R-1' : null,
    reversed_at: status === 'reversed' ? new Date() : null, settled_at: new Date('2025-06-05T02:00:00Z'), funds: result.funds,
  };
}

describe('resources out, each valid R4', () => {
  it('ClaimResponse: one adjudication and one total per fund, summing to the bill', () => {
    const response = claimResponseOf({
      use: 'claim', figures: result, visitKind: 'inpatient', patient: patientReference(person), insurer, facility: { code: 'H1', name: '德格县人民医院' },
      settlement: { id: 42, transactionId: 'HIS-0001', settledAt: new Date('2025-06-05T02:00:00Z'), status: 'settled' }, created: new Date(),
    });
    expect(fhirSchemaErrors(response)).toEqual([]);
    const adjudication = response.adjudication as { category: { coding: { system: string; code: string }[] }; amount: { value: number } }[];
    expect(adjudication.map((a) => a.category.coding[0]!.code)).toEqual(['basic', 'critical', 'assistance', 'supplementary', 'tilt']);
    expect(adjudication.every((a) => a.category.coding[0]!.system === SYSTEM.fund)).toBe(true);
    const fen = adjudication.map((a) => moneyToFen(a.amount));
    expect(fen).toEqual([result.funds.basic, result.funds.critical, result.funds.assistance, result.funds.supplementary, result.funds.tilt]);
    const totals = response.total as { category: { coding: { code: string }[] }; amount: unknown }[];
    const total = (code: string) => moneyToFen(totals.find((t) => t.category.coding[0]!.code === code)!.amount);
    expect(total('submitted')).toBe(11_211_000);
    expect(total('benefit') + total('self_pay')).toBe(total('submitted'));
    expect(fen.reduce((a, b) => a + b, 0)).toBe(total('benefit'));
    expect(moneyToFen((response.payment as { amount: unknown }).amount)).toBe(total('benefit'));
  });

  it('ClaimResponse of a predetermination has no id and no payment', () => {
    const response = claimResponseOf({ use: 'predetermination', figures: result, visitKind: 'inpatient', patient: patientReference(person), insurer, facility: { code: 'H1', name: 'H' }, created: new Date() });
    expect(fhirSchemaErrors(response)).toEqual([]);
    expect(response.id).toBeUndefined();
    expect(response.payment).toBeUndefined();
  });

  it('ExplanationOfBenefit, settled and reversed', () => {
    for (const status of ['settled', 'reversed'] as const) {
      const eob = explanationOfBenefitOf({ settlement: row(status), adjustments: [], effective: { total: result.total, compliant: result.compliant, funds: result.funds, selfPay: result.selfPay } }, patientReference(person), insurer);
      expect(fhirSchemaErrors(eob), status).toEqual([]);
      expect(eob.status).toBe(status === 'settled' ? 'active' : 'cancelled');
    }
  });

  const enrollment: EnrollmentRow = {
    person_id: 7, year: 2025, policy_id: 'dege-2025', scheme: 'resident', tier: 'tier1', contribution_fen: 40_000, subsidy_fen: 30_000,
    subsidy_identity: 'minimum_living', subsidy_kind: 'percentage', subsidy_department: 'medical_assistance', individual_fen: 10_000, paid_fen: 10_000,
    status: 'enrolled', enrolled_at: new Date(),
  };

  it('Coverage: person, scheme, year, subsidy', () => {
    const coverage = coverageOf(person, enrollment, insurer);
    expect(fhirSchemaErrors(coverage)).toEqual([]);
    expect(coverage).toMatchObject({ id: '7-2025', status: 'active', period: { start: '2025-01-01', end: '2025-12-31' } });
    expect(JSON.stringify(coverage)).not.toContain(idNumber);
    expect(JSON.stringify(coverage)).not.toContain('卓玛次仁');
    const subsidy = (coverage.extension as { extension: { url: string; valueMoney?: unknown }[] }[])[0]!.extension;
    expect(moneyToFen(subsidy.find((e) => e.url === 'amount')!.valueMoney)).toBe(30_000);
  });

  it('CoverageEligibilityResponse, insured and not enrolled', () => {
    const question = parseEligibilityRequest({ resourceType: 'CoverageEligibilityRequest', patient: { identifier: { system: SYSTEM.idNumber, value: idNumber } }, servicedDate: '2025-06-01' });
    for (const e of [enrollment, { ...enrollment, status: 'pending' as const }, undefined]) {
      const response = eligibilityResponseOf({ question, person, patient: patientReference(person), enrollment: e, year: 2025, insurer, now: new Date() });
      expect(fhirSchemaErrors(response), e?.status ?? 'none').toEqual([]);
    }
  });

  it('InsurancePlan of every fixture policy', () => {
    for (const policy of policies.list()) {
      const plan = insurancePlanOf(policy);
      expect(fhirSchemaErrors(plan), policy.id).toEqual([]);
      expect(plan.id).toBe(policy.id);
    }
    const plan = insurancePlanOf(dege) as { plan: { specificCost: { benefit: { cost: { value: { value: number } }[] }[] }[] }[] };
    // dege-2025 level 2 inpatient: deductible 300 yuan, ratio 85 %.
    expect(plan.plan[0]!.specificCost[0]!.benefit[1]!.cost.map((c) => c.value.value)).toEqual([300, 85]);
  });

  it('CodeSystems, CapabilityStatement and OperationOutcome', () => {
    for (const cs of codeSystems()) expect(fhirSchemaErrors(cs), String(cs.id)).toEqual([]);
    expect(codeSystems().find((c) => c.id === 'sanbao-fund')!.concept).toHaveLength(5);
    expect(fhirSchemaErrors(capabilityStatementOf(new Date(), '0.1.0'))).toEqual([]);
    const outcome = operationOutcome({ kind: 'invalid', code: 'INVALID_INPUT', message: 'must be a date', field: 'Claim.billablePeriod.start' });
    expect(fhirSchemaErrors(outcome)).toEqual([]);
    expect(outcome.issue).toEqual([expect.objectContaining({ code: 'invalid', diagnostics: 'Claim.billablePeriod.start: must be a date', expression: ['Claim.billablePeriod.start'] })]);
  });
});
