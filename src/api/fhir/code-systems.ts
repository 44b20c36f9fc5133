/**
 * Sanbao's own code systems, served at /fhir/r4/CodeSystem/{id}: the funds a
 * bill is paid from (SPEC §2), the schemes, the visit kinds, the identities and
 * the patient's shares. Canonical URLs are identifiers under SANBAO_FHIR; the
 * codes are the identifiers Sanbao uses everywhere else.
 */
import { FUNDS, IDENTITIES, SCHEMES, VISIT_KINDS } from '../../domain/vocabulary.ts';

/** The namespace of Sanbao's FHIR canonical URLs (identifiers, not necessarily resolvable). */
export const SANBAO_FHIR = 'https://sanbao.org.cn/fhir';

export const SYSTEM = {
  fund: `${SANBAO_FHIR}/CodeSystem/sanbao-fund`,
  scheme: `${SANBAO_FHIR}/CodeSystem/sanbao-scheme`,
  visitKind: `${SANBAO_FHIR}/CodeSystem/sanbao-visit-kind`,
  identity: `${SANBAO_FHIR}/CodeSystem/sanbao-identity`,
  patientShare: `${SANBAO_FHIR}/CodeSystem/sanbao-patient-share`,
  error: `${SANBAO_FHIR}/CodeSystem/sanbao-error`,
  /** Identifiers: the resident ID number (居民身份证号码), the e-certificate QR token, a facility's transaction id, a policy id. */
  idNumber: `${SANBAO_FHIR}/sid/id-number`,
  qrToken: `${SANBAO_FHIR}/sid/qr-token`,
  facility: `${SANBAO_FHIR}/sid/facility`,
  transaction: `${SANBAO_FHIR}/sid/transaction`,
  policy: `${SANBAO_FHIR}/sid/policy`,
  person: `${SANBAO_FHIR}/sid/person`,
  /** HL7's own systems used beside ours. */
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  /** The national medical-insurance codes (医保编码) of drugs, service items and consumables. */
  insuranceCode: `${SANBAO_FHIR}/sid/insurance-code`,
  currency: 'urn:iso:std:iso:4217',
} as const;

export const EXTENSION = {
  compliant: `${SANBAO_FHIR}/StructureDefinition/compliant-amount`,
  majorIllness: `${SANBAO_FHIR}/StructureDefinition/major-illness`,
  chronicClass: `${SANBAO_FHIR}/StructureDefinition/chronic-class`,
  chronicCategory: `${SANBAO_FHIR}/StructureDefinition/chronic-category`,
  department: `${SANBAO_FHIR}/StructureDefinition/department`,
  subsidy: `${SANBAO_FHIR}/StructureDefinition/subsidy`,
  rule: `${SANBAO_FHIR}/StructureDefinition/rule`,
  lineCount: `${SANBAO_FHIR}/StructureDefinition/line-count`,
  restrictionUnmet: `${SANBAO_FHIR}/StructureDefinition/restriction-unmet`,
} as const;

interface Concept {
  readonly code: string;
  readonly display: string;
  readonly zh: string;
}

const FUND_CONCEPTS: Record<(typeof FUNDS)[number], Omit<Concept, 'code'>> = {
  basic: { display: 'Basic medical insurance pooled fund', zh: '基本医保统筹基金' },
  critical: { display: 'Critical-illness insurance', zh: '大病保险' },
  assistance: { display: 'Medical assistance', zh: '医疗救助' },
  supplementary: { display: 'Supplementary insurance', zh: '补充保险' },
  tilt: { display: 'Tilted protection (top-up from the assistance fund)', zh: '倾斜保障' },
};
const SCHEME_CONCEPTS: Record<(typeof SCHEMES)[number], Omit<Concept, 'code'>> = {
  resident: { display: 'Urban and rural resident basic medical insurance', zh: '城乡居民基本医疗保险' },
  employee: { display: 'Employee basic medical insurance', zh: '职工基本医疗保险' },
};
const VISIT_KIND_CONCEPTS: Record<(typeof VISIT_KINDS)[number], Omit<Concept, 'code'>> = {
  inpatient: { display: 'Inpatient stay', zh: '住院' },
  outpatient: { display: 'General outpatient visit', zh: '普通门诊' },
  chronic: { display: 'Outpatient chronic or special disease', zh: '门诊慢特病' },
};
const IDENTITY_CONCEPTS: Record<(typeof IDENTITIES)[number], Omit<Concept, 'code'>> = {
  extreme_poverty: { display: 'Person in extreme poverty (incl. orphans)', zh: '特困人员' },
  severe_disability: { display: 'Severe disability', zh: '重度残疾' },
  special_care: { display: 'Entitled veteran or dependant', zh: '优抚对象' },
  minimum_living: { display: 'Minimum-living-allowance recipient', zh: '低保对象' },
  low_income_margin: { display: 'Low-income margin', zh: '低保边缘' },
  monitored: { display: 'Household monitored against falling back into poverty', zh: '防止返贫监测对象' },
  returned_to_poverty: { display: 'Returned to poverty', zh: '返贫致贫人口' },
  sudden_hardship: { display: 'Sudden severe hardship from illness', zh: '因病突发严重困难户' },
  poverty_alleviated: { display: 'Lifted out of poverty (stable)', zh: '脱贫人口' },
  low_income_transition: { display: 'Low-income, transition period', zh: '过渡期低收入人口' },
  border_resident: { display: 'Border resident', zh: '边境一线群众' },
};
const PATIENT_SHARE_CONCEPTS = {
  self_pay_compliant: { display: 'Compliant cost left to the patient', zh: '政策范围内自付' },
  self_pay_excluded: { display: 'Non-compliant cost paid by the patient', zh: '自费' },
  self_pay: { display: 'Everything the patient pays', zh: '个人负担' },
  above_cap: { display: 'Above the catalogue price ceiling, paid by the patient', zh: '超限价自费' },
  class_c: { display: 'Class C item, paid in full by the patient', zh: '全自费' },
  self_pay_first: { display: 'Class B self-pay-first share', zh: '先行自付' },
} as const;
export type PatientShare = keyof typeof PATIENT_SHARE_CONCEPTS;

interface CodeSystemDef {
  readonly id: string;
  readonly url: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly concepts: Record<string, Omit<Concept, 'code'>>;
}

const DEFS: readonly CodeSystemDef[] = [
  { id: 'sanbao-fund', url: SYSTEM.fund, name: 'SanbaoFund', title: 'Sanbao funds (三重保障)', description: 'The funds a bill is paid from, in settlement order: basic → critical → assistance → supplementary → tilt.', concepts: FUND_CONCEPTS },
  { id: 'sanbao-scheme', url: SYSTEM.scheme, name: 'SanbaoScheme', title: 'Sanbao insurance schemes (险种)', description: 'The basic medical insurance schemes.', concepts: SCHEME_CONCEPTS },
  { id: 'sanbao-visit-kind', url: SYSTEM.visitKind, name: 'SanbaoVisitKind', title: 'Sanbao visit kinds', description: 'What kind of visit a bill is for; it decides which tiers apply.', concepts: VISIT_KIND_CONCEPTS },
  { id: 'sanbao-identity', url: SYSTEM.identity, name: 'SanbaoIdentity', title: 'Sanbao identity categories (身份类别)', description: 'Identity categories with a validity period, attested by a department.', concepts: IDENTITY_CONCEPTS },
  { id: 'sanbao-patient-share', url: SYSTEM.patientShare, name: 'SanbaoPatientShare', title: 'Sanbao patient shares', description: 'What of a bill is left to the patient.', concepts: PATIENT_SHARE_CONCEPTS },
];

/** The CodeSystem resources Sanbao serves. */
export function codeSystems(): Record<string, unknown>[] {
  return DEFS.map((d) => ({
    resourceType: 'CodeSystem',
    id: d.id,
    url: d.url,
    version: '1',
    name: d.name,
    title: d.title,
    status: 'active',
    experimental: false,
    publisher: 'Sanbao',
    description: d.description,
    caseSensitive: true,
    content: 'complete',
    count: Object.keys(d.concepts).length,
    concept: Object.entries(d.concepts).map(([code, c]) => ({
      code,
      display: c.display,
      designation: [{ language: 'zh-CN', value: c.zh }],
    })),
  }));
}

export function codeSystem(id: string): Record<string, unknown> | undefined {
  return codeSystems().find((c) => c.id === id);
}

const DISPLAYS: Record<string, Record<string, Omit<Concept, 'code'>>> = Object.fromEntries(DEFS.map((d) => [d.url, d.concepts]));

/** A CodeableConcept of one of Sanbao's codes, with its English display and Chinese text. */
export function sanbaoConcept(system: string, code: string): { coding: { system: string; code: string; display?: string }[]; text?: string } {
  const c = DISPLAYS[system]?.[code];
  return { coding: [{ system, code, ...(c ? { display: c.display } : {}) }], ...(c ? { text: c.zh } : {}) };
}
