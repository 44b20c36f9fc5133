/**
 * Medical assistance (医疗救助): the best ratio among the person's identities
 * on the compliant cost still unpaid, within the ordinary or the major-illness
 * yearly cap (they accumulate separately). Assistance on application
 * (monitoring-assistance.ts) uses the same functions on past bills.
 */
import { applyRatio, type BasisPoints, type Fen } from '../../money.ts';
import type { AssistanceRule } from '../../policy/types.ts';
import type { Identity, VisitKind } from '../../vocabulary.ts';
import { bestRatio, bestRatioAt } from '../identities.ts';
import type { YearToDate } from '../types.ts';
import { type StepDraft, type Tier, type TierContext } from './types.ts';

// Local, not imported: under tsx an imported binding is read through a getter on every call of the hot path.
const APPLY_RATIO = applyRatio;
const BEST_RATIO = bestRatio;
const BEST_RATIO_AT = bestRatioAt;
/** A short list (a handful of schemes or visit kinds) holds a value: a plain loop, no Array.includes. */
function has<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}
const min = (a: number, b: number): number => (a < b ? a : b);
const positive = (a: number): number => (a > 0 ? a : 0);

const NOT_APPLICABLE = Object.freeze({ fund: 'assistance', base: 0, rule: 'assistance.not_applicable', amount: 0 } as const);

export type AssistancePool = 'ordinary' | 'major';

/** The ground of assistance: the best ratio among the identities (never a sum), or null when none is eligible. */
export function assistanceGround(rule: AssistanceRule, identities: readonly Identity[]): { identity: Identity; ratio: BasisPoints } | null {
  return BEST_RATIO(identities, rule.ratios);
}

/** Whether assistance applies to a kind of visit. */
export function assistanceApplies(rule: AssistanceRule, kind: VisitKind): boolean {
  return has(rule.visitKinds, kind);
}

/** What is left under the pool's yearly cap. */
export function assistanceCapLeft(rule: AssistanceRule, ytd: Pick<YearToDate, 'assistance' | 'assistanceMajor'>, pool: AssistancePool): Fen {
  return pool === 'major' ? positive(rule.yearlyCap.major - ytd.assistanceMajor) : positive(rule.yearlyCap.ordinary - ytd.assistance);
}

/** What the ratio pays on a base, rounded half-up to the fen. */
export function assistanceDue(base: Fen, ratio: BasisPoints): Fen {
  return APPLY_RATIO(base, ratio);
}

/**
 * Assistance on application on one settled bill (SPEC §4): the ratio on the compliant cost left after basic
 * and critical illness, less what assistance already paid on the bill, never more than the patient's own
 * compliant part; rounded half-up to the fen. The caps are the caller's (assistanceCapLeft).
 */
export function applicationDue(
  bill: { readonly compliant: Fen; readonly basic: Fen; readonly critical: Fen; readonly assistance: Fen; readonly selfPayCompliant: Fen },
  ratio: BasisPoints,
): { base: Fen; due: Fen } {
  const base = positive(bill.compliant - bill.basic - bill.critical);
  return { base, due: min(bill.selfPayCompliant, positive(assistanceDue(base, ratio) - bill.assistance)) };
}

export const assistanceTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const rule = ctx.rules.assistance;
  // The ground (assistanceGround) as an index into the identities: no object per bill.
  const at = has(rule.visitKinds, ctx.visit.kind) ? BEST_RATIO_AT(ctx.identities, rule.ratios) : -1;
  if (at < 0) return NOT_APPLICABLE;
  const identity = ctx.identities[at]!;
  const ratio = rule.ratios[identity]!;
  const major = ctx.visit.majorIllness === true;
  const due = APPLY_RATIO(unpaid, ratio);
  const left = major ? positive(rule.yearlyCap.major - ytd.assistanceMajor) : positive(rule.yearlyCap.ordinary - ytd.assistance);
  const amount = min(due, left);
  if (due > left && rule.aboveCap === 'case_by_case') ctx.aboveCap = due - left;
  const step: StepDraft = {
    fund: 'assistance',
    base: unpaid,
    rule: major ? 'assistance.major' : 'assistance.ordinary',
    amount,
    ratio,
    identity,
  };
  if (due > left) step.capRemaining = left;
  if (ctx.aboveCap > 0) step.note = `yearly cap reached: ${ctx.aboveCap} more only by case-by-case (一事一议) approval`;
  if (major) ytd.assistanceMajor += amount;
  else ytd.assistance += amount;
  return step;
};
