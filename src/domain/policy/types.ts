/** A policy as the engine uses it: validated, in fen and basis points, with lookups ready. */
import type { ClearingTerms } from './clearing-terms.ts';
import type { BasisPoints, Fen } from '../money.ts';
import type { FilingLimits } from './filing-limits.ts';
import type { PersonalAccountRules } from '../account/rules.ts';
import type { CollectionRules, ContinuityRewards } from '../enrollment/cover.ts';
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
  readonly chronic: {
    readonly ratio: BasisPoints;
    readonly classLimits: Readonly<Record<ChronicClass, Fen>>;
    /** The chronic-disease catalogue in force: categories numbered 1…categories; null: not checked. */
    readonly catalogue: { readonly categories: number; readonly note: string | null } | null;
  };
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

/**
 * A supplementary tier (补充保险): county mutual-aid insurance, employee
 * large-amount medical insurance, civil-servant subsidy, … all pay from the
 * `supplementary` fund, each with its own schemes, base, threshold, ratio and cap.
 */
export interface SupplementaryRule {
  /** Names the tier in the steps (`supplementary.<id>`) and its yearly cap; "supplementary" for the one-section form. */
  readonly id: string;
  readonly label: string;
  readonly visitKinds: readonly VisitKind[];
  readonly schemes: readonly Scheme[];
  /** What the ratio applies to: the compliant cost still unpaid, or the compliant cost the basic fund's caps left unpaid. */
  readonly base: SupplementaryBase;
  /** Per bill, taken off the base before the ratio (the one-section form's `deductible`). */
  readonly deductible: Fen;
  readonly ratio: BasisPoints;
  readonly yearlyCap: Fen | null;
  /** Only people holding this attribute (e.g. civil_servant); null: everyone in the schemes. */
  readonly attribute: PersonAttribute | null;
}

export const SUPPLEMENTARY_BASES = ['unpaid', 'above_basic_cap'] as const;
export type SupplementaryBase = (typeof SUPPLEMENTARY_BASES)[number];

/** Attributes of a person a tier may require; they come in the engine's input. */
export const PERSON_ATTRIBUTES = ['civil_servant'] as const;
export type PersonAttribute = (typeof PERSON_ATTRIBUTES)[number];

/** The kinds of tier the engine knows, each a module under src/domain/engine/tiers. */
export const TIER_KINDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;
export type TierKind = (typeof TIER_KINDS)[number];

/** One stage of a policy's pipeline, in the order listed; the fund it pays from. */
export type TierSpec =
  | { readonly kind: 'basic'; readonly fund: 'basic' }
  | { readonly kind: 'critical'; readonly fund: 'critical' }
  | { readonly kind: 'assistance'; readonly fund: 'assistance' }
  /** rule null: the default pipeline's place for a supplementary insurance the policy does not have. */
  | { readonly kind: 'supplementary'; readonly fund: 'supplementary'; readonly rule: SupplementaryRule | null }
  | { readonly kind: 'tilt'; readonly fund: 'tilt' };

export interface TiltRule {
  readonly visitKinds: readonly VisitKind[];
  readonly floors: Readonly<Partial<Record<Identity, BasisPoints>>>;
}

/** How a department's subsidy of the contribution is computed (shown to staff by name). */
export const SUBSIDY_KINDS = ['full', 'fixed', 'percentage'] as const;

export type Subsidy =
  | { readonly kind: 'full'; readonly identities: readonly Identity[]; readonly department: Department }
  | { readonly kind: 'fixed'; readonly identities: readonly Identity[]; readonly department: Department; readonly amount: Fen }
  | { readonly kind: 'percentage'; readonly identities: readonly Identity[]; readonly department: Department; readonly percent: BasisPoints };

export interface EnrollmentRules {
  readonly tiers: readonly { readonly id: string; readonly contribution: Fen }[];
  readonly fiscalSubsidyPerPerson: Fen | null;
  readonly campaign: { readonly from: string; readonly to: string } | null;
  /** The collection window and waiting period; null: the policy sets none (cover from the payment's day). */
  readonly collection: CollectionRules | null;
  /** Rewards for continuous enrolment and claim-free years (critical-illness cap); null: none. */
  readonly rewards: ContinuityRewards | null;
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

/** The benefit rules in force over a stretch of the policy's year. */
export interface Benefits {
  readonly resident: SchemeBenefits;
  /** null: the policy does not cover the employee scheme. */
  readonly employee: SchemeBenefits | null;
  readonly outOfArea: { readonly filed: BasisPoints; readonly notFiled: BasisPoints };
  readonly critical: CriticalRule;
  readonly assistance: AssistanceRule;
  /** The one-section form (no `tiers` list); the pipeline's supplementary tiers are in `tiers`. */
  readonly supplementary: SupplementaryRule | null;
  readonly tilt: TiltRule | null;
  /** The pipeline: the tiers in the order a bill goes through them. */
  readonly tiers: readonly TierSpec[];
}

/** Rules in force from one date to another (both inclusive), inside the policy's year. */
export interface RulePeriod {
  readonly from: string;
  readonly to: string;
  readonly note: string | null;
  readonly benefits: Benefits;
}

/** Which date of a bill picks the rules in force: the admission date, or the discharge (bill) date. */
export const RULE_DATES = ['admission', 'discharge'] as const;
export type RuleDate = (typeof RULE_DATES)[number];

export interface Policy {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string; readonly bo?: string | undefined };
  readonly region: { readonly code: string; readonly name: string };
  readonly year: number;
  /** First and last day covered, ISO dates. */
  readonly from: string;
  readonly to: string;
  readonly source: string;
  /** The rules in force on the first day of the year (the first period's). */
  readonly benefits: Benefits;
  /** The year's rules, in date order, without gap or overlap; one period when the rules never change. */
  readonly periods: readonly RulePeriod[];
  readonly ruleDate: RuleDate;
  readonly enrollment: EnrollmentRules;
  readonly monitoring: MonitoringRules;
  /** How long out-of-area filings may last and how far back they may start, by reason. */
  readonly outOfAreaFiling: FilingLimits;
  /** The employee personal account; null: the policy has none. */
  readonly personalAccount: PersonalAccountRules | null;
  /** Quality deposit and budgets for the clearing of hospitals and the fund warning (none when the file has no section). */
  readonly clearing: ClearingTerms;
}

export type { EmploymentStatus };
