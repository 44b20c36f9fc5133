/**
 * When cover starts (待遇享受起始日), under the 2024 national rules on continuous
 * enrolment (连续参保激励和断保约束), as policy data: paid inside the year's
 * collection window, cover starts on the policy's day (never before the
 * payment); paid outside it, after a waiting period — a fixed part plus a
 * part per year not insured, within the policy's bounds — unless the person
 * belongs to a group the policy exempts (newborns, people released from
 * prison, discharged soldiers …). Pure: dates in, a decision out.
 */
import { applyRatio, type BasisPoints, type Fen } from '../money.ts';

/** Groups a policy may exempt from the waiting period; each policy lists the ones it does. */
export const COVER_EXEMPTIONS = [
  'newborn',
  'released_from_prison',
  'discharged_soldier',
  'newly_identified_hardship',
  'left_employee_scheme',
  'returned_from_abroad',
  'newly_settled',
] as const;
export type CoverExemption = (typeof COVER_EXEMPTIONS)[number];

export interface CollectionRules {
  /** The collection window (集中参保期) for the policy's year, both days inclusive. */
  readonly window: { readonly from: string; readonly to: string };
  /** The day cover starts for a payment inside the window (normally 1 January of the year). */
  readonly coverFrom: string;
  readonly waiting: {
    readonly fixedMonths: number;
    readonly monthsPerYearNotInsured: number;
    readonly minMonths: number;
    readonly maxMonths: number;
    /** Years before this one do not count as years not insured (the rules apply from it); null: every year counts. */
    readonly countYearsFrom: number | null;
  };
  readonly exempt: readonly CoverExemption[];
}

/** Rewards for continuous enrolment and for a year without a claim: each raises the critical-illness yearly cap by a share of it. */
export interface ContinuityRewards {
  /** Continuous years insured (this one included) after which each further year raises the cap. */
  readonly continuousAfterYears: number;
  readonly capRaisePerContinuousYear: BasisPoints;
  readonly capRaisePerClaimFreeYear: BasisPoints;
  /** The raises together never exceed this share of the cap. */
  readonly maxCapRaise: BasisPoints;
}

export type CoverReason = 'in_window' | 'waiting_period' | 'exempt';

export interface CoverDecision {
  readonly coverFrom: string;
  readonly reason: CoverReason;
  readonly paidOn: string;
  readonly waitingMonths: number;
  readonly fixedMonths: number;
  readonly variableMonths: number;
  readonly yearsNotInsured: number;
  readonly exemption: CoverExemption | null;
}

export interface CoverFacts {
  readonly paidOn: string;
  /** Consecutive years before this one without cover (counted by the caller from the enrollments it holds). */
  readonly yearsNotInsured: number;
  readonly exemption: CoverExemption | null;
  /** For a newborn, cover runs from the day of birth. */
  readonly birthDate: string;
}

/** ISO date + whole months; a day the month lacks falls to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const later = (a: string, b: string): string => (a > b ? a : b);

/** The waiting period in months for a number of years not insured: fixed + per year, within the bounds. */
export function waitingMonths(rules: CollectionRules, yearsNotInsured: number): { months: number; fixed: number; variable: number } {
  const fixed = rules.waiting.fixedMonths;
  const raw = fixed + rules.waiting.monthsPerYearNotInsured * Math.max(0, yearsNotInsured);
  const months = Math.min(rules.waiting.maxMonths, Math.max(rules.waiting.minMonths, raw));
  return { months, fixed: Math.min(fixed, months), variable: Math.max(0, months - fixed) };
}

/** How many of the years a caller looks back over count at most: beyond them the waiting period is at its bound anyway. */
export function yearsToLookBack(rules: CollectionRules): number {
  const per = rules.waiting.monthsPerYearNotInsured;
  return per <= 0 ? 0 : Math.ceil(Math.max(0, rules.waiting.maxMonths - rules.waiting.fixedMonths) / per);
}

/** Decides the first day of cover for a payment that completes an enrollment. */
export function decideCover(rules: CollectionRules, facts: CoverFacts): CoverDecision {
  const base = { paidOn: facts.paidOn, yearsNotInsured: facts.yearsNotInsured, exemption: null, waitingMonths: 0, fixedMonths: 0, variableMonths: 0 };
  if (facts.paidOn <= rules.window.to) {
    // Early or on time: the policy's day, never before the money came (no enrolling only when ill).
    return { ...base, coverFrom: later(rules.coverFrom, facts.paidOn), reason: 'in_window' };
  }
  if (facts.exemption !== null && rules.exempt.includes(facts.exemption)) {
    const from = facts.exemption === 'newborn' ? later(facts.birthDate, rules.coverFrom) : later(facts.paidOn, rules.coverFrom);
    return { ...base, exemption: facts.exemption, coverFrom: from, reason: 'exempt' };
  }
  const w = waitingMonths(rules, facts.yearsNotInsured);
  return {
    ...base,
    coverFrom: later(addMonths(facts.paidOn, w.months), rules.coverFrom),
    reason: 'waiting_period',
    waitingMonths: w.months,
    fixedMonths: w.fixed,
    variableMonths: w.variable,
  };
}

/**
 * The raise of the critical-illness yearly cap a person has earned: each
 * continuous year insured beyond the policy's count, and each claim-free year,
 * a share of the cap; together never above the policy's maximum share.
 */
export function criticalCapRaise(rewards: ContinuityRewards | null, cap: Fen, yearsInsured: number, claimFreeYears: number): Fen {
  if (rewards === null) return 0;
  const continuous = Math.max(0, yearsInsured - rewards.continuousAfterYears);
  const share = Math.min(rewards.maxCapRaise, continuous * rewards.capRaisePerContinuousYear + Math.max(0, claimFreeYears) * rewards.capRaisePerClaimFreeYear);
  return applyRatio(cap, share);
}

/** How far back continuity is counted (years). */
export const CONTINUITY_LOOK_BACK = 30;

/**
 * Years insured in a row up to and including `year`, and claim-free years in
 * a row before it, from the enrolled years (each with whether the funds paid
 * anything that year).
 */
export function continuityFrom(year: number, enrolled: ReadonlyMap<number, boolean>): { yearsInsured: number; claimFreeYears: number } {
  const from = year - CONTINUITY_LOOK_BACK;
  let yearsInsured = 0;
  for (let y = year; y >= from && enrolled.has(y); y--) yearsInsured += 1;
  let claimFreeYears = 0;
  for (let y = year - 1; y >= from && enrolled.get(y) === false; y--) claimFreeYears += 1;
  return { yearsInsured, claimFreeYears };
}
