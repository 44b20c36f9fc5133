/** The identifiers of SPEC §2, shared by the engine, the store, the API and the pages. */

export const IDENTITIES = [
  'extreme_poverty',
  'severe_disability',
  'special_care',
  'minimum_living',
  'low_income_margin',
  'monitored',
  'returned_to_poverty',
  'sudden_hardship',
  'poverty_alleviated',
  'low_income_transition',
  'border_resident',
] as const;
export type Identity = (typeof IDENTITIES)[number];

export const SCHEMES = ['resident', 'employee'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const EMPLOYMENT_STATUSES = ['in_service', 'retired'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export const VISIT_KINDS = ['inpatient', 'outpatient', 'chronic'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

export const CHRONIC_CLASSES = ['A', 'B'] as const;
export type ChronicClass = (typeof CHRONIC_CLASSES)[number];

/** Settlement order: SPEC §3.2. */
export const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;
export type Fund = (typeof FUNDS)[number];

/** Departments that attest identities, pay subsidies or receive pushes. */
export const DEPARTMENTS = [
  'county_bureau', // 医保局
  'medical_assistance', // 医疗救助资金 (managed by the bureau)
  'finance', // 财政
  'civil_affairs', // 民政
  'rural_revitalization', // 乡村振兴 / 农业农村
  'disabled_federation', // 残联
  'veterans_affairs', // 退役军人事务局
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Which department attests each identity by default (rosters come from it). */
export const ATTESTING_DEPARTMENT: Record<Identity, Department> = {
  extreme_poverty: 'civil_affairs',
  minimum_living: 'civil_affairs',
  low_income_margin: 'civil_affairs',
  sudden_hardship: 'civil_affairs',
  monitored: 'rural_revitalization',
  returned_to_poverty: 'rural_revitalization',
  poverty_alleviated: 'rural_revitalization',
  low_income_transition: 'rural_revitalization',
  severe_disability: 'disabled_federation',
  special_care: 'veterans_affairs',
  border_resident: 'county_bureau',
};

export const HOSPITAL_LEVELS = [0, 1, 2, 3] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];
