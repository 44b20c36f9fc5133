/**
 * Supplementary tiers (补充保险), as data: county mutual-aid insurance
 * (县域互助保险), employee large-amount medical insurance (大额医疗补助),
 * civil-servant subsidy (公务员医疗补助) … Each pays from the `supplementary`
 * fund: its ratio on its base less a per-bill threshold, within its yearly cap.
 * The rule it runs is the pipeline stage's (`ctx.stage`), set by the engine.
 */
import { applyRatio, type Fen } from '../../money.ts';
import type { SupplementaryRule } from '../../policy/types.ts';
import type { YearToDate } from '../types.ts';
import type { StepDraft, Tier, TierContext } from './types.ts';

// Local, not imported: under tsx an imported binding is read through a getter on every call of the hot path.
const APPLY_RATIO = applyRatio;
/** A short list (a handful of schemes or visit kinds) holds a value: a plain loop, no Array.includes. */
function has<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}
const min = (a: number, b: number): number => (a < b ? a : b);
const positive = (a: number): number => (a > 0 ? a : 0);

/** A supplementary rule ready to run: its step names made once per compiled policy. */
export interface SupplementaryStage {
  readonly rule: SupplementaryRule | null;
  /** "supplementary" for a policy's one-section form, "supplementary.<id>" for a listed tier. */
  readonly name: string;
  readonly notApplicable: Readonly<StepDraft>;
}

export function supplementaryStage(rule: SupplementaryRule | null): SupplementaryStage {
  const name = rule === null || rule.id === 'supplementary' ? 'supplementary' : `supplementary.${rule.id}`;
  const notApplicable: StepDraft = { fund: 'supplementary', base: 0, rule: `${name}.not_applicable`, amount: 0 };
  return { rule, name, notApplicable: Object.freeze(notApplicable) };
}

export const supplementaryTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const stage = ctx.stage!;
  const rule = stage.rule;
  if (rule === null || !has(rule.schemes, ctx.person.scheme) || !has(rule.visitKinds, ctx.visit.kind)) return stage.notApplicable;
  if (rule.attribute !== null && !(ctx.person.attributes !== undefined && has(ctx.person.attributes, rule.attribute))) return stage.notApplicable;
  // Above the basic cap: never more than is still unpaid.
  const source = rule.base === 'unpaid' ? unpaid : min(ctx.basicWithheld, unpaid);
  const base = positive(source - rule.deductible);
  let amount = APPLY_RATIO(base, rule.ratio);
  let capRemaining: Fen | undefined;
  if (rule.yearlyCap !== null) {
    // A caller that keeps each tier's year passes it (a tier absent from it has paid nothing yet); otherwise the whole
    // supplementary fund's year bounds the cap (never overpays). A policy's one-section form is the whole fund.
    const byTier = ctx.supplementaryPaid;
    const already = byTier === undefined || rule.id === 'supplementary' ? ytd.supplementary : (byTier[rule.id] ?? 0);
    const left = positive(rule.yearlyCap - already);
    if (amount > left) amount = capRemaining = left;
  }
  const step: StepDraft = { fund: 'supplementary', base, rule: stage.name, amount, ratio: rule.ratio, deductible: rule.deductible };
  if (rule.id !== 'supplementary') step.tier = rule.id;
  if (capRemaining !== undefined) step.capRemaining = capRemaining;
  ytd.supplementary += amount;
  return step;
};
