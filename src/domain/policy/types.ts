/** A policy as the engine uses it: validated, in fen and basis points, with lookups ready. */
import type { BasisPoints, Fen } from '../money.ts';
import type { FilingLimits } from './filing-limits.ts';
import type { ChronicClass, Department, EmploymentStatus, Identity, Scheme, VisitKind } from '../vocabulary.ts';

export interface InpatientLevel {
  readonly deductible: Fen;
  readonly ratio: BasisPoints;
}

export interface ByStatus<T> {
  readonly in_service: T;
  readonly retired: T;
}

export interface SchemeBenefits {
  /** Indexed by hospital level 0..3; level 0 (village clinic) uses the level-1 rule. */
  readonly inpatient: readonly InpatientLevel[];
  readonly outpatient: {
    readonly yearlyDeductible: ByStatus<Fen>;
    readonly ratios: readonly ByStatus<BasisPoints>[];
    readonly yearlyCap: Fen;
  };
  readonly chronic: { readonly ratio: BasisPoints; readonly classLimits: Readonly<Record<ChronicClass, Fen>> };
  readonly yearlyCap: Fen;
}

export interface CriticalBand {
  /** Upper bound of the band on the accumulated base; the last band is open (Infinity). */
  readonly upTo: number;
  readonly ratio: BasisPoints;
}

export interface CriticalSchedule {
  readonly threshold: Fen;
  readonly bands: readonly CriticalBand[];
  /** null: no cap. */
  readonly yearlyCap: Fen | null;
}

export interface CriticalRule {
  readonly schemes: readonly Scheme[];
  readonly visitKinds: readonly VisitKind[];
  readonly standard: CriticalSchedule;
  readonly tilted: (CriticalSchedule & { readonly identities: readonly Identity[]; readonly ratioBonus: BasisPoints }) | null;
}

export interface AssistanceRule {
  readonly visitKinds: readonly VisitKind[];
  readonly ratios: Readonly<Partial<Record<Identity, BasisPoints>>>;
  readonly yearlyCap: { readonly ordinary: Fen; readonly major: Fen };
  readonly aboveCap: 'case_by_case' | 'none';
}

export interface SupplementaryRule {
  readonly visitKinds: readonly VisitKind[];
  readonly schemes: readonly Scheme[];
  readonly deductible: Fen;
  readonly ratio: BasisPoints;
  readonly yearlyCap: Fen | null;
}

export interface TiltRule {
  readonly visitKinds: readonly VisitKind[];
  readonly floors: Readonly<Partial<Record<Identity, BasisPoints>>>;
}

export type Subsidy =
  | { readonly kind: 'full'; readonly identities: readonly Identity[]; readonly department: Department }
  | { readonly kind: 'fixed'; readonly identities: readonly Identity[]; readonly department: Department; readonly amount: Fen }
  | { readonly kind: 'percentage'; readonly identities: readonly Identity[]; readonly department: Department; readonly percent: BasisPoints };

export interface EnrollmentRules {
  readonly tiers: readonly { readonly id: string; readonly contribution: Fen }[];
  readonly fiscalSubsidyPerPerson: Fen | null;
  readonly campaign: { readonly from: string; readonly to: string } | null;
  /** Year-scheduled subsidies are resolved to the policy's year when compiled. */
  readonly subsidies: readonly Subsidy[];
}

export interface MonitoringThreshold {
  readonly id: string;
  readonly label: string;
  readonly amount: Fen;
  /** Only people holding one of these identities; null: everyone. */
  readonly identities: readonly Identity[] | null;
}

export interface MonitoringRules {
  readonly basis: string;
  readonly fallingBackIdentities: readonly Identity[];
  readonly routes: { readonly becoming_poor: readonly Department[]; readonly falling_back: readonly Department[] };
  readonly thresholds: readonly MonitoringThreshold[];
}

export interface Policy {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string; readonly bo?: string | undefined };
  readonly region: { readonly code: string; readonly name: string };
  readonly year: number;
  /** First and last day covered, ISO dates. */
  readonly from: string;
  readonly to: string;
  readonly source: string;
  readonly benefits: {
    readonly resident: SchemeBenefits;
    /** null: the policy does not cover the employee scheme. */
    readonly employee: SchemeBenefits | null;
    readonly outOfArea: { readonly filed: BasisPoints; readonly notFiled: BasisPoints };
    readonly critical: CriticalRule;
    readonly assistance: AssistanceRule;
    readonly supplementary: SupplementaryRule | null;
    readonly tilt: TiltRule | null;
  };
  readonly enrollment: EnrollmentRules;
  readonly monitoring: MonitoringRules;
  /** How long out-of-area filings may last and how far back they may start, by reason. */
  readonly outOfAreaFiling: FilingLimits;
}

export type { EmploymentStatus };
