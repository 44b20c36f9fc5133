/** The engine as it was before the tier pipeline (commit 0c6f50f), kept only so bench:engine can print both figures in one run. Not used by Sanbao. */
/**
 * The settlement engine: one bill through the three tiers, in the order of
 * SPEC §3.2 — basic → critical → assistance → supplementary → tilt → patient.
 * Pure: the same input always gives the same settlement and its steps.
 */
import { invalid } from '../../src/domain/errors.ts';
import { applyRatio, isFen, type Fen } from '../../src/domain/money.ts';
import type { Policy, SchemeBenefits } from '../../src/domain/policy/types.ts';
import { alertsFor } from './alerts.ts';
import { criticalCumulative } from './critical.ts';
import { bestRatio, holdsAny, identitiesOn } from './identities.ts';
import {
  EMPTY_YEAR_TO_DATE,
  type Settlement,
  type SettlementInput,
  type Step,
  type Visit,
  type YearToDate,
} from '../../src/domain/engine/types.ts';

const min = (a: number, b: number): number => (a < b ? a : b);
const positive = (a: number): number => (a > 0 ? a : 0);

/** A step while it is being built: optional fields are added in a fixed order, never spread. */
type StepDraft = { -readonly [K in keyof Step]: Step[K] };

/** The steps of a tier that does not apply: constant, shared, frozen. */
const NOT_APPLICABLE = {
  critical: Object.freeze<Step>({ fund: 'critical', base: 0, rule: 'critical.not_applicable', amount: 0 }),
  assistance: Object.freeze<Step>({ fund: 'assistance', base: 0, rule: 'assistance.not_applicable', amount: 0 }),
  supplementary: Object.freeze<Step>({ fund: 'supplementary', base: 0, rule: 'supplementary.not_applicable', amount: 0 }),
  tilt: Object.freeze<Step>({ fund: 'tilt', base: 0, rule: 'tilt.not_applicable', amount: 0 }),
};

/** A short list (a handful of schemes or visit kinds) holds a value: a plain loop, no Array.includes. */
function has<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

/** The year so far, every field present (absent or undefined counts as 0), in the canonical field order. */
function yearToDateOf(y: Partial<YearToDate> | undefined): YearToDate {
  if (y === undefined) return { ...EMPTY_YEAR_TO_DATE };
  return {
    basic: y.basic ?? 0,
    criticalBase: y.criticalBase ?? 0,
    critical: y.critical ?? 0,
    assistance: y.assistance ?? 0,
    assistanceMajor: y.assistanceMajor ?? 0,
    supplementary: y.supplementary ?? 0,
    tilt: y.tilt ?? 0,
    outpatientDeductibleUsed: y.outpatientDeductibleUsed ?? 0,
    outpatientFund: y.outpatientFund ?? 0,
    chronicFund: y.chronicFund ?? 0,
    selfPay: y.selfPay ?? 0,
  };
}

/**
 * Settles one bill. Throws a DomainError (kind "invalid") when the bill cannot
 * be settled under this policy: a date outside its year, a scheme it does not
 * cover, compliant above total, a chronic visit without its class.
 */
export function settle(policy: Policy, input: SettlementInput): Settlement {
  const { person, visit, amounts } = input;
  const { total, compliant } = amounts;
  if (!isFen(total)) throw invalid('INVALID_AMOUNT', 'amounts.total must be a non-negative integer number of fen', 'amounts.total');
  if (!isFen(compliant)) throw invalid('INVALID_AMOUNT', 'amounts.compliant must be a non-negative integer number of fen', 'amounts.compliant');
  if (compliant > total) throw invalid('COMPLIANT_ABOVE_TOTAL', `compliant (${compliant}) is more than total (${total})`, 'amounts.compliant');
  if (visit.date < policy.from || visit.date > policy.to) {
    throw invalid('DATE_OUTSIDE_POLICY', `visit date ${visit.date} is outside policy ${policy.id} (${policy.from} to ${policy.to})`, 'visit.date');
  }
  const benefits = person.scheme === 'employee' ? policy.benefits.employee : policy.benefits.resident;
  if (benefits === null) throw invalid('SCHEME_NOT_COVERED', `policy ${policy.id} does not cover the ${person.scheme} scheme`, 'person.scheme');

  const ytd = yearToDateOf(input.yearToDate);
  const identities = identitiesOn(person.identities, visit.date);
  const steps: Step[] = [];
  const kind = visit.kind;

  // 1. Basic fund.
  const basic = basicFund(policy, benefits, person.status ?? 'in_service', visit, compliant, ytd, steps);
  let remaining = compliant - basic;

  // 2. Critical illness, on the year's accumulated compliant self-pay after basic.
  const { critical: criticalRule } = policy.benefits;
  let critical = 0;
  if (has(criticalRule.schemes, person.scheme) && has(criticalRule.visitKinds, kind)) {
    const tiltedBy = criticalRule.tilted ? holdsAny(identities, criticalRule.tilted.identities) : null;
    const schedule = tiltedBy && criticalRule.tilted ? criticalRule.tilted : criticalRule.standard;
    const before = ytd.criticalBase;
    const after = before + remaining;
    critical = criticalCumulative(after, schedule) - criticalCumulative(before, schedule);
    let capRemaining: Fen | undefined;
    if (schedule.yearlyCap !== null) {
      const left = positive(schedule.yearlyCap - ytd.critical);
      if (critical > left) {
        critical = left;
        capRemaining = left;
      }
    }
    const step: StepDraft = { fund: 'critical', base: remaining, rule: tiltedBy ? 'critical.tilted' : 'critical.standard', amount: critical };
    if (tiltedBy) step.identity = tiltedBy;
    if (capRemaining !== undefined) step.capRemaining = capRemaining;
    step.accumulated = { before, after, threshold: schedule.threshold };
    steps.push(step);
    ytd.criticalBase = after;
    ytd.critical += critical;
    remaining -= critical;
  } else {
    steps.push(NOT_APPLICABLE.critical);
  }

  // 3. Medical assistance, by the best identity, within the ordinary or major-illness yearly cap.
  const assistanceRule = policy.benefits.assistance;
  let assistance = 0;
  let aboveCap = 0;
  const assistanceBy = has(assistanceRule.visitKinds, kind) ? bestRatio(identities, assistanceRule.ratios) : null;
  if (assistanceBy) {
    const major = visit.majorIllness === true;
    const due = applyRatio(remaining, assistanceBy.ratio);
    const left = major
      ? positive(assistanceRule.yearlyCap.major - ytd.assistanceMajor)
      : positive(assistanceRule.yearlyCap.ordinary - ytd.assistance);
    assistance = min(due, left);
    if (due > left && assistanceRule.aboveCap === 'case_by_case') aboveCap = due - left;
    const step: StepDraft = {
      fund: 'assistance',
      base: remaining,
      rule: major ? 'assistance.major' : 'assistance.ordinary',
      amount: assistance,
      ratio: assistanceBy.ratio,
      identity: assistanceBy.identity,
    };
    if (due > left) step.capRemaining = left;
    if (aboveCap > 0) step.note = `yearly cap reached: ${aboveCap} more only by case-by-case (一事一议) approval`;
    steps.push(step);
    if (major) ytd.assistanceMajor += assistance;
    else ytd.assistance += assistance;
    remaining -= assistance;
  } else {
    steps.push(NOT_APPLICABLE.assistance);
  }

  // 4. Supplementary insurance, where the policy has one.
  const supplementaryRule = policy.benefits.supplementary;
  let supplementary = 0;
  if (supplementaryRule && has(supplementaryRule.visitKinds, kind) && has(supplementaryRule.schemes, person.scheme)) {
    const base = positive(remaining - supplementaryRule.deductible);
    supplementary = applyRatio(base, supplementaryRule.ratio);
    let capRemaining: Fen | undefined;
    if (supplementaryRule.yearlyCap !== null) {
      const left = positive(supplementaryRule.yearlyCap - ytd.supplementary);
      if (supplementary > left) supplementary = capRemaining = left;
    }
    const step: StepDraft = {
      fund: 'supplementary',
      base,
      rule: 'supplementary',
      amount: supplementary,
      ratio: supplementaryRule.ratio,
      deductible: supplementaryRule.deductible,
    };
    if (capRemaining !== undefined) step.capRemaining = capRemaining;
    steps.push(step);
    ytd.supplementary += supplementary;
    remaining -= supplementary;
  } else {
    steps.push(NOT_APPLICABLE.supplementary);
  }

  // 5. Tilt: top the funds up to the guaranteed share of compliant cost (Haixi 倾斜保障).
  const tiltRule = policy.benefits.tilt;
  let tilt = 0;
  const floorBy = tiltRule && has(tiltRule.visitKinds, kind) ? bestRatio(identities, tiltRule.floors) : null;
  if (floorBy) {
    const paid = compliant - remaining;
    tilt = positive(applyRatio(compliant, floorBy.ratio) - paid);
    steps.push({ fund: 'tilt', base: compliant, rule: 'tilt.floor', amount: tilt, ratio: floorBy.ratio, identity: floorBy.identity });
    ytd.tilt += tilt;
    remaining -= tilt;
  } else {
    steps.push(NOT_APPLICABLE.tilt);
  }

  // 6. The patient.
  const selfPayCompliant = remaining;
  const selfPayExcluded = total - compliant;
  const selfPay = selfPayCompliant + selfPayExcluded;
  const selfPayBefore = ytd.selfPay;
  ytd.selfPay += selfPay;

  const settlement: { -readonly [K in keyof Settlement]: Settlement[K] } = {
    policy: policy.id,
    total,
    compliant,
    funds: { basic, critical, assistance, supplementary, tilt },
    selfPayCompliant,
    selfPayExcluded,
    selfPay,
    steps,
    alerts: alertsFor(identities, policy.monitoring, selfPayBefore, ytd.selfPay),
    identities,
    yearToDate: ytd,
    aboveCap,
    // (fields the settlement type gained since; not part of the old engine's work)
    rulesFrom: policy.from,
  };
  if (person.personalAccountBalance !== undefined) {
    const personalAccount = min(positive(person.personalAccountBalance), selfPay);
    settlement.payment = { personalAccount, cash: selfPay - personalAccount };
  }
  return settlement;
}

/** The basic fund's payment for the visit kind, and its accumulators. */
function basicFund(
  policy: Policy,
  benefits: SchemeBenefits,
  status: 'in_service' | 'retired',
  visit: Visit,
  compliant: Fen,
  ytd: YearToDate,
  steps: Step[],
): Fen {
  const level = visit.level;
  const penalty = visit.outOfArea ? (visit.filed ? policy.benefits.outOfArea.filed : policy.benefits.outOfArea.notFiled) : 0;
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
      deductible = min(rule_.deductible, compliant);
      base = compliant - deductible;
      ratio = rule_.ratio;
      kindLeft = yearlyLeft;
      rule = 'basic.inpatient';
      break;
    }
    case 'outpatient': {
      const ratios = benefits.outpatient.ratios[level];
      if (!ratios) throw invalid('INVALID_LEVEL', `hospital level ${level} is not 0, 1, 2 or 3`, 'visit.level');
      const yearly = benefits.outpatient.yearlyDeductible[status];
      deductible = min(positive(yearly - ytd.outpatientDeductibleUsed), compliant);
      base = compliant - deductible;
      ratio = ratios[status];
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
      base = compliant;
      ratio = benefits.chronic.ratio;
      kindLeft = min(yearlyLeft, positive(benefits.chronic.classLimits[chronicClass] - ytd.chronicFund));
      rule = 'basic.chronic';
      break;
    }
    default:
      throw invalid('INVALID_VISIT_KIND', `visit kind must be inpatient, outpatient or chronic`, 'visit.kind');
  }
  ratio = positive(ratio - penalty);
  const due = applyRatio(base, ratio);
  const amount = min(due, kindLeft);
  const step: StepDraft = { fund: 'basic', base, rule, amount, ratio, deductible };
  if (due > kindLeft) step.capRemaining = kindLeft;
  if (penalty > 0) step.note = `out of area, ${visit.filed ? 'filed' : 'not filed'}: ratio lowered by ${penalty / 100} points`;
  steps.push(step);
  ytd.basic += amount;
  if (visit.kind === 'outpatient') ytd.outpatientFund += amount;
  else if (visit.kind === 'chronic') ytd.chronicFund += amount;
  return amount;
}

