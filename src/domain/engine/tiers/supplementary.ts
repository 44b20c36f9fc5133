/**
 * Supplementary tiers (补充保险), as data: county mutual-aid insurance
 * (县域互助保险), employee large-amount medical insurance (大额医疗补助),
 * civil-servant subsidy (公务员医疗补助) … Each pays from the `supplementary`
 * fund: its ratio on its base less a per-bill threshold, within its yearly cap.
 */
import { applyRatio, type Fen } from '../../money.ts';
import type { SupplementaryRule } from '../../policy/types.ts';
import type { YearToDate } from '../types.ts';
import { has, min, positive, type StepDraft, type Tier, type TierContext } from './types.ts';

const NOT_APPLICABLE = Object.freeze({ fund: 'supplementary', base: 0, rule: 'supplementary.not_applicable', amount: 0 } as const);

/** The step's rule: "supplementary" for a policy's one-section form, "supplementary.<id>" for a listed tier. */
const ruleOf = (rule: SupplementaryRule): string => (rule.id === 'supplementary' ? 'supplementary' : `supplementary.${rule.id}`);

/** The tier for one supplementary rule (null: the policy has none, the step says so). */
export function supplementaryTier(rule: SupplementaryRule | null): Tier {
  if (rule === null) return () => NOT_APPLICABLE;
  const name = ruleOf(rule);
  const notApplicable = Object.freeze({ fund: 'supplementary', base: 0, rule: `${name}.not_applicable`, amount: 0 } as const);
  return (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
    if (!has(rule.schemes, ctx.person.scheme) || !has(rule.visitKinds, ctx.visit.kind)) return notApplicable;
    if (rule.attribute !== null && !(ctx.person.attributes !== undefined && has(ctx.person.attributes, rule.attribute))) return notApplicable;
    // Above the basic cap: never more than is still unpaid.
    const source = rule.base === 'unpaid' ? unpaid : min(ctx.basicWithheld, unpaid);
    const base = positive(source - rule.deductible);
    let amount = applyRatio(base, rule.ratio);
    let capRemaining: Fen | undefined;
    if (rule.yearlyCap !== null) {
      // A caller that keeps each tier's year passes it; otherwise the whole supplementary fund's year bounds the cap (never overpays).
      const left = positive(rule.yearlyCap - (ctx.supplementaryPaid?.[rule.id] ?? ytd.supplementary));
      if (amount > left) amount = capRemaining = left;
    }
    const step: StepDraft = { fund: 'supplementary', base, rule: name, amount, ratio: rule.ratio, deductible: rule.deductible };
    if (capRemaining !== undefined) step.capRemaining = capRemaining;
    ytd.supplementary += amount;
    ctx.supplementaryByTier[rule.id] = (ctx.supplementaryByTier[rule.id] ?? 0) + amount;
    return step;
  };
}
