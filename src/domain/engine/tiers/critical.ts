/**
 * Critical-illness insurance (大病保险), on the year's accumulated compliant
 * self-pay after basic: the standard schedule, or the tilted one
 * (一降一升一取消) for the identities the policy names.
 */
import type { Fen } from '../../money.ts';
import type { YearToDate } from '../types.ts';
import { criticalCumulative } from '../critical.ts';
import { holdsAny } from '../identities.ts';
import { type StepDraft, type Tier, type TierContext } from './types.ts';

// Local, not imported: under tsx an imported binding is read through a getter on every call of the hot path.
const CRITICAL_CUMULATIVE = criticalCumulative;
const HOLDS_ANY = holdsAny;
/** A short list (a handful of schemes or visit kinds) holds a value: a plain loop, no Array.includes. */
function has<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}
const positive = (a: number): number => (a > 0 ? a : 0);

const NOT_APPLICABLE = Object.freeze({ fund: 'critical', base: 0, rule: 'critical.not_applicable', amount: 0 } as const);

export const criticalTier: Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => {
  const rule = ctx.rules.critical;
  if (!has(rule.schemes, ctx.person.scheme) || !has(rule.visitKinds, ctx.visit.kind)) return NOT_APPLICABLE;
  const tiltedBy = rule.tilted ? HOLDS_ANY(ctx.identities, rule.tilted.identities) : null;
  const chosen = tiltedBy && rule.tilted ? rule.tilted : rule.standard;
  // Continuous enrolment raises a capped schedule's cap (2024 national rules); an uncapped one has nothing to raise.
  const raise = chosen.yearlyCap !== null ? ctx.criticalCapRaise : 0;
  const schedule = raise > 0 ? { ...chosen, yearlyCap: chosen.yearlyCap! + raise } : chosen;
  const before = ytd.criticalBase;
  const after = before + unpaid;
  let amount = CRITICAL_CUMULATIVE(after, schedule) - CRITICAL_CUMULATIVE(before, schedule);
  let capRemaining: Fen | undefined;
  if (schedule.yearlyCap !== null) {
    const left = positive(schedule.yearlyCap - ytd.critical);
    if (amount > left) amount = capRemaining = left;
  }
  const step: StepDraft = { fund: 'critical', base: unpaid, rule: tiltedBy ? 'critical.tilted' : 'critical.standard', amount };
  if (tiltedBy) step.identity = tiltedBy;
  if (capRemaining !== undefined) step.capRemaining = capRemaining;
  step.accumulated = { before, after, threshold: schedule.threshold };
  if (raise > 0) step.note = `yearly cap raised by ${raise} fen for continuous enrolment`;
  ytd.criticalBase = after;
  ytd.critical += amount;
  return step;
};
