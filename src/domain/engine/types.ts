/** What the engine takes and gives: SPEC §5, in fen. */
import type { BILL_STEP_FUND, BillStep, LineGroup, OtherLines } from '../catalogue/bill-step.ts';
import type { BasisPoints, Fen } from '../money.ts';
import type { PersonAttribute } from '../policy/types.ts';
import { FUNDS, type ChronicClass, type Department, type EmploymentStatus, type Fund, type HospitalLevel, type Identity, type Scheme, type VisitKind } from '../vocabulary.ts';

/** An identity with its validity period (身份存续期间), ISO dates, both ends inclusive. */
export interface IdentitySpan {
  readonly identity: Identity;
  readonly from?: string | null | undefined;
  readonly to?: string | null | undefined;
}

export interface SettlementPerson {
  readonly scheme: Scheme;
  /** Plain identities count as valid on every date; spans only inside their period. */
  readonly identities: readonly (Identity | IdentitySpan)[];
  readonly status?: EmploymentStatus | undefined;
  /** Employee personal account (with family sharing) available to pay the patient's part. */
  readonly personalAccountBalance?: Fen | undefined;
  /** What a supplementary tier may require (e.g. civil_servant for 公务员医疗补助); none by default. */
  readonly attributes?: readonly PersonAttribute[] | undefined;
}

export interface Visit {
  readonly kind: VisitKind;
  readonly level: HospitalLevel;
  readonly date: string;
  readonly outOfArea?: boolean | undefined;
  readonly filed?: boolean | undefined;
  readonly majorIllness?: boolean | undefined;
  readonly chronicClass?: ChronicClass | undefined;
  /** The chronic-disease category (1…n of the catalogue in force); when given, it must be in that catalogue. */
  readonly chronicCategory?: number | undefined;
  /** The admission date of an inpatient stay, when the policy picks its rules by admission (`date` is the bill's). */
  readonly admissionDate?: string | undefined;
}

export interface Amounts {
  readonly total: Fen;
  readonly compliant: Fen;
}

/** Accumulators for the person's calendar year, before (input) or after (output) the bill. */
export interface YearToDate {
  basic: Fen;
  criticalBase: Fen;
  critical: Fen;
  assistance: Fen;
  assistanceMajor: Fen;
  supplementary: Fen;
  tilt: Fen;
  outpatientDeductibleUsed: Fen;
  outpatientFund: Fen;
  chronicFund: Fen;
  selfPay: Fen;
}

export const YEAR_TO_DATE_FIELDS = [
  'basic',
  'criticalBase',
  'critical',
  'assistance',
  'assistanceMajor',
  'supplementary',
  'tilt',
  'outpatientDeductibleUsed',
  'outpatientFund',
  'chronicFund',
  'selfPay',
] as const satisfies readonly (keyof YearToDate)[];

export const EMPTY_YEAR_TO_DATE: Readonly<YearToDate> = Object.freeze({
  basic: 0,
  criticalBase: 0,
  critical: 0,
  assistance: 0,
  assistanceMajor: 0,
  supplementary: 0,
  tilt: 0,
  outpatientDeductibleUsed: 0,
  outpatientFund: 0,
  chronicFund: 0,
  selfPay: 0,
});

export interface SettlementInput {
  readonly person: SettlementPerson;
  readonly visit: Visit;
  readonly amounts: Amounts;
  readonly yearToDate?: Partial<YearToDate> | undefined;
  /**
   * The year's payments of each supplementary tier before this bill, by tier
   * id, for their own yearly caps (a tier absent from it has paid nothing yet);
   * absent: the whole supplementary fund's year bounds each cap (never more
   * than the cap, sometimes less).
   */
  readonly supplementaryYearToDate?: Readonly<Partial<Record<string, Fen>>> | undefined;
  /** The first day the person's enrollment covers bills (待遇享受起始日, after any waiting period); absent or null: the whole year. */
  readonly coverFrom?: string | null | undefined;
  /** Continuous enrolment, for the policy's rewards: years insured in a row (this one included) and claim-free years in a row before it. */
  readonly continuity?: { readonly yearsInsured: number; readonly claimFreeYears: number } | undefined;
  /**
   * How the compliant amount came about (the itemised bill line by line, or
   * the hospital's declared amount): told after the funds' steps. Its base and
   * amount must be the bill's total and compliant amount.
   */
  readonly bill?: BillStep | undefined;
}

/**
 * One line of the explanation. `rule` is a stable identifier
 * (e.g. "basic.inpatient"); the parameters that produced the amount sit beside it.
 */
export interface Step {
  /** The fund that paid; `bill` for the bill's step (how the compliant amount came about, line by line). */
  readonly fund: Fund | typeof BILL_STEP_FUND;
  readonly base: Fen;
  readonly rule: string;
  readonly amount: Fen;
  readonly ratio?: BasisPoints;
  readonly deductible?: Fen;
  /** What was left under the cap that bound this payment, when one did. */
  readonly capRemaining?: Fen;
  readonly identity?: Identity;
  /** A supplementary tier's id (county_mutual_aid …): what its yearly cap counts. */
  readonly tier?: string;
  /** Critical illness: the year's accumulated base before and after this bill, and the threshold. */
  readonly accumulated?: { readonly before: Fen; readonly after: Fen; readonly threshold: Fen };
  readonly note?: string;
  /** The bill's step: its fee lines, told in groups (identical lines together), and the groups not listed one by one. */
  readonly lineCount?: number;
  readonly groups?: readonly LineGroup[];
  readonly others?: OtherLines;
}

/** The steps that are a fund's payment (not the bill's step, nor a personal account's). */
export function fundSteps<S extends { readonly fund: string }>(steps: readonly S[]): (Extract<S, Step> & { readonly fund: Fund })[] {
  return steps.filter((s) => (FUNDS as readonly string[]).includes(s.fund)) as (Extract<S, Step> & { readonly fund: Fund })[];
}

export type Risk = 'becoming_poor' | 'falling_back';

export interface Alert {
  readonly threshold: string;
  readonly label: string;
  readonly amount: Fen;
  readonly yearlySelfPay: Fen;
  readonly risk: Risk;
  readonly departments: readonly Department[];
}

export type Funds = Record<Fund, Fen>;

export interface Settlement {
  readonly policy: string;
  readonly total: Fen;
  readonly compliant: Fen;
  readonly funds: Funds;
  readonly selfPayCompliant: Fen;
  readonly selfPayExcluded: Fen;
  readonly selfPay: Fen;
  /** The funds' steps, then the bill's step when the caller gave one. */
  readonly steps: readonly Step[];
  readonly alerts: readonly Alert[];
  /** The identities valid on the visit date, as the engine applied them. */
  readonly identities: readonly Identity[];
  readonly yearToDate: YearToDate;
  /** Assistance the caps withheld; payable only through a case-by-case (一事一议) approval. */
  readonly aboveCap: Fen;
  /** The first day of the rules applied (the period in force on the bill's rule date). */
  readonly rulesFrom: string;
  /** Present when a personal account balance was given: how the patient's part is paid. */
  readonly payment?: { readonly personalAccount: Fen; readonly cash: Fen };
}

/** A bill's payment by each supplementary tier, by tier id, from its steps (they add up to funds.supplementary). */
export function supplementaryByTier(settlement: Pick<Settlement, 'steps'>): Record<string, Fen> {
  const out: Record<string, Fen> = {};
  for (const step of settlement.steps) if (step.tier !== undefined) out[step.tier] = (out[step.tier] ?? 0) + step.amount;
  return out;
}
