/** The basic fund (基本医保统筹基金): by visit kind, hospital level and status, within its yearly caps. */
import { invalid } from '../../errors.ts';
import { applyRatio, FULL, type Fen } from '../../money.ts';
import type { YearToDate } from '../types.ts';
import { type StepDraft, type Tier, type TierContext } from './types.ts';

// Local, not imported: under tsx an imported binding is read through a getter on every call of the hot path.
const APPLY_RATIO = applyRatio;
const min = (a: number, b: number): number => (a < b ? a : b);
const positive = (a: number): number => (a > 0 ? a : 0);

/** The out-of-area notes, built once per penalty (a policy has a handful): no string building per bill. */
const NOTES = new Map<number, string>();
function outOfAreaNote(penalty: number, filed: boolean): string {
  const key = filed ? penalty : -penalty;
  let note = NOTES.get(key);
  if (note === undefined) {
    note = `out of area, ${filed ? 'filed' : 'not filed'}: ratio lowered by ${penalty / 100} points`;
    NOTES.set(key, note);
  }
  return note;
}

export const basicTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const { visit, scheme: benefits, rules } = ctx;
  const level = visit.level;
  const penalty = visit.outOfArea ? (visit.filed ? rules.outOfArea.filed : rules.outOfArea.notFiled) : 0;
  const yearlyLeft = positive(benefits.yearlyCap - ytd.basic);
  let ratio: number;
  let deductible = 0;
  let base: Fen;
  let kindLeft: number;
  let rule: string;
  switch (visit.kind) {
    case 'inpatient': {
      const rule_ = benefits.inpatient[level];
      if (!rule_) throw invalid('INVALID_LEVEL', `hospital level ${level} is not 0, 1, 2 or 3`, 'visit.level');
      deductible = min(rule_.deductible, unpaid);
      base = unpaid - deductible;
      ratio = rule_.ratio;
      kindLeft = yearlyLeft;
      rule = 'basic.inpatient';
      break;
    }
    case 'outpatient': {
      const ratios = benefits.outpatient.ratios[level];
      if (!ratios) throw invalid('INVALID_LEVEL', `hospital level ${level} is not 0, 1, 2 or 3`, 'visit.level');
      const yearly = benefits.outpatient.yearlyDeductible[ctx.status];
      deductible = min(positive(yearly - ytd.outpatientDeductibleUsed), unpaid);
      base = unpaid - deductible;
      ratio = ratios[ctx.status];
      kindLeft = min(yearlyLeft, positive(benefits.outpatient.yearlyCap - ytd.outpatientFund));
      rule = 'basic.outpatient';
      ytd.outpatientDeductibleUsed += deductible;
      break;
    }
    case 'chronic': {
      const chronicClass = visit.chronicClass;
      if (chronicClass !== 'A' && chronicClass !== 'B') {
        throw invalid('CHRONIC_CLASS_REQUIRED', 'a chronic visit needs visit.chronicClass "A" or "B"', 'visit.chronicClass');
      }
      base = unpaid;
      ratio = benefits.chronic.ratio;
      kindLeft = min(yearlyLeft, positive(benefits.chronic.classLimits[chronicClass] - ytd.chronicFund));
      rule = 'basic.chronic';
      break;
    }
    default:
      throw invalid('INVALID_VISIT_KIND', `visit kind must be inpatient, outpatient or chronic`, 'visit.kind');
  }
  ratio = positive(ratio - penalty);
  const due = APPLY_RATIO(base, ratio);
  const amount = min(due, kindLeft);
  const step: StepDraft = { fund: 'basic', base, rule, amount, ratio, deductible };
  if (due > kindLeft) {
    step.capRemaining = kindLeft;
    // What the caps kept from the base, at full cost: the base a large-amount insurance (大额) takes over.
    // (due > kindLeft ≥ 0, so ratio > 0; amount × 10,000 stays far below 2^53.)
    ctx.basicWithheld = positive(base - Math.ceil((amount * FULL) / ratio));
  }
  if (penalty > 0) step.note = outOfAreaNote(penalty, visit.filed === true);
  ytd.basic += amount;
  if (visit.kind === 'outpatient') ytd.outpatientFund += amount;
  else if (visit.kind === 'chronic') ytd.chronicFund += amount;
  return step;
};
