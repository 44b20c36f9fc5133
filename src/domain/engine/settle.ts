/**
 * The settlement engine: one bill through the tiers its policy lists, in
 * order (SPEC §3.2 by default: basic → critical → assistance → supplementary
 * → tilt), then the patient. Each tier is a module under ./tiers with one
 * signature; this file checks the bill, picks the rules in force on its date,
 * runs the list and adds up. Pure: the same input always gives the same
 * settlement and its steps.
 */
import type { BillStep } from '../catalogue/bill-step.ts';
import { criticalCapRaise } from '../enrollment/cover.ts';
import { invalid, unprocessable } from '../errors.ts';
import { isFen, type Fen } from '../money.ts';
import { periodOn } from '../policy/period-on.ts';
import type { Policy, RulePeriod, SchemeBenefits } from '../policy/types.ts';
import { alertsFor } from './alerts.ts';
import { identitiesOn } from './identities.ts';
import { assistanceTier } from './tiers/assistance.ts';
import { basicTier } from './tiers/basic.ts';
import { criticalTier } from './tiers/critical.ts';
import { pipelineOf, TIER_OP } from './tiers/index.ts';
import { supplementaryTier } from './tiers/supplementary.ts';
import { tiltTier } from './tiers/tilt.ts';
import type { TierContext } from './tiers/types.ts';
import { type Settlement, type SettlementInput, type Step, type Visit, type YearToDate } from './types.ts';

// Bound once to module constants: run under tsx, every use of an imported binding is a getter call,
// and these are on the hot path of every bill (bench:engine).
const BASIC = basicTier;
const CRITICAL = criticalTier;
const ASSISTANCE = assistanceTier;
const SUPPLEMENTARY = supplementaryTier;
const TILT = tiltTier;
const PIPELINE_OF = pipelineOf;
const PERIOD_ON = periodOn;
const IDENTITIES_ON = identitiesOn;
const ALERTS_FOR = alertsFor;
const IS_FEN = isFen;
const OP_BASIC = TIER_OP.basic;
const OP_CRITICAL = TIER_OP.critical;
const OP_ASSISTANCE = TIER_OP.assistance;
const OP_SUPPLEMENTARY = TIER_OP.supplementary;
const OP_TILT = TIER_OP.tilt;

/** The engine's working context: every field is set at the start of each settle() (see there). */
const CONTEXT: { -readonly [K in keyof TierContext]: TierContext[K] } = {
  rules: null as unknown as TierContext['rules'],
  scheme: null as unknown as TierContext['scheme'],
  person: null as unknown as TierContext['person'],
  status: 'in_service',
  visit: null as unknown as TierContext['visit'],
  identities: [],
  compliant: 0,
  supplementaryPaid: undefined,
  stage: null,
  basicWithheld: 0,
  aboveCap: 0,
  criticalCapRaise: 0,
};

/** The year so far, every field present (absent or undefined counts as 0), in the canonical field order. */
export function yearToDateOf(y: Partial<YearToDate> | undefined): YearToDate {
  // A literal, not a spread of EMPTY_YEAR_TO_DATE: one allocation of a known shape on the hot path.
  if (y === undefined) {
    return { basic: 0, criticalBase: 0, critical: 0, assistance: 0, assistanceMajor: 0, supplementary: 0, tilt: 0, outpatientDeductibleUsed: 0, outpatientFund: 0, chronicFund: 0, selfPay: 0 };
  }
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

/** The date of a bill that picks its rules: the admission date or the bill's (discharge) date, as the policy says. */
export function ruleDateOf(policy: Policy, visit: Visit): string {
  return policy.ruleDate === 'admission' && visit.admissionDate !== undefined ? visit.admissionDate : visit.date;
}

/** The rules in force for a bill (its period of the policy's year). */
export function rulesFor(policy: Policy, visit: Visit): RulePeriod {
  const periods = policy.periods;
  return periods.length === 1 ? periods[0]! : PERIOD_ON(periods, ruleDateOf(policy, visit));
}

/**
 * Settles one bill. Throws a DomainError (kind "invalid") when the bill cannot
 * be settled under this policy: a date outside its year, a scheme it does not
 * cover, compliant above total, a chronic visit without its class or outside
 * the catalogue in force.
 */
export function settle(policy: Policy, input: SettlementInput): Settlement {
  const { person, visit, amounts } = input;
  const { total, compliant } = amounts;
  if (!IS_FEN(total)) throw invalid('INVALID_AMOUNT', 'amounts.total must be a non-negative integer number of fen', 'amounts.total');
  if (!IS_FEN(compliant)) throw invalid('INVALID_AMOUNT', 'amounts.compliant must be a non-negative integer number of fen', 'amounts.compliant');
  if (compliant > total) throw invalid('COMPLIANT_ABOVE_TOTAL', `compliant (${compliant}) is more than total (${total})`, 'amounts.compliant');
  if (visit.date < policy.from || visit.date > policy.to) {
    throw invalid('DATE_OUTSIDE_POLICY', `visit date ${visit.date} is outside policy ${policy.id} (${policy.from} to ${policy.to})`, 'visit.date');
  }
  if (visit.admissionDate !== undefined && !(visit.admissionDate <= visit.date)) {
    throw invalid('ADMISSION_AFTER_DISCHARGE', `admission date ${visit.admissionDate} is after the bill's date ${visit.date}`, 'visit.admissionDate');
  }
  // Cover must hold when the treatment began: a bill before the first day of cover (a waiting period) is not the funds' to pay.
  const treated = visit.admissionDate ?? visit.date;
  if (input.coverFrom && treated < input.coverFrom) {
    throw unprocessable('NOT_COVERED', `cover starts on ${input.coverFrom} (waiting period): the treatment of ${treated} is before it`, 'visit.date');
  }
  const period = rulesFor(policy, visit);
  const rules = period.benefits;
  const scheme = person.scheme === 'employee' ? rules.employee : rules.resident;
  if (scheme === null) throw invalid('SCHEME_NOT_COVERED', `policy ${policy.id} does not cover the ${person.scheme} scheme`, 'person.scheme');
  if (visit.kind === 'chronic' && visit.chronicCategory !== undefined) checkCatalogue(scheme, visit.chronicCategory, person.scheme, period);

  const ytd = yearToDateOf(input.yearToDate);
  const identities = IDENTITIES_ON(person.identities, visit.date);
  // One context object, reused bill after bill: settle() is synchronous and no tier keeps it past its call,
  // so filling it in place spares an allocation of a dozen fields on every bill (bench:engine).
  const ctx = CONTEXT;
  ctx.rules = rules;
  ctx.scheme = scheme;
  ctx.person = person;
  ctx.status = person.status ?? 'in_service';
  ctx.visit = visit;
  ctx.identities = identities;
  ctx.compliant = compliant;
  ctx.supplementaryPaid = input.supplementaryYearToDate;
  ctx.stage = null;
  ctx.basicWithheld = 0;
  ctx.aboveCap = 0;
  ctx.criticalCapRaise =
    input.continuity && policy.enrollment.rewards && rules.critical.standard.yearlyCap !== null
      ? criticalCapRaise(policy.enrollment.rewards, rules.critical.standard.yearlyCap, input.continuity.yearsInsured, input.continuity.claimFreeYears)
      : 0;

  // The pipeline: each tier takes what is still unpaid and the year so far, and says what it pays.
  // (A switch of direct calls rather than a table of functions: each call site stays monomorphic.)
  const stages = PIPELINE_OF(period);
  const steps: Step[] = [];
  let basic = 0;
  let critical = 0;
  let assistance = 0;
  let supplementary = 0;
  let tilt = 0;
  let unpaid = compliant;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    let step: Step;
    let amount: Fen;
    switch (stage.op) {
      case OP_BASIC:
        step = BASIC(ctx, unpaid, ytd);
        basic += amount = step.amount;
        break;
      case OP_CRITICAL:
        step = CRITICAL(ctx, unpaid, ytd);
        critical += amount = step.amount;
        break;
      case OP_ASSISTANCE:
        step = ASSISTANCE(ctx, unpaid, ytd);
        assistance += amount = step.amount;
        break;
      case OP_SUPPLEMENTARY:
        ctx.stage = stage.supplementary;
        step = SUPPLEMENTARY(ctx, unpaid, ytd);
        supplementary += amount = step.amount;
        break;
      case OP_TILT:
        step = TILT(ctx, unpaid, ytd);
        tilt += amount = step.amount;
        break;
    }
    steps.push(step);
    unpaid -= amount;
  }

  // How the compliant amount came about: told after the funds (their indices stay as they were).
  if (input.bill !== undefined) steps.push(billStepFor(input.bill, total, compliant));

  // The patient.
  const selfPayCompliant = unpaid;
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
    alerts: ALERTS_FOR(identities, policy.monitoring, selfPayBefore, ytd.selfPay),
    identities,
    yearToDate: ytd,
    aboveCap: ctx.aboveCap,
    rulesFrom: period.from,
  };
  if (person.personalAccountBalance !== undefined) {
    const balance = person.personalAccountBalance > 0 ? person.personalAccountBalance : 0;
    const personalAccount = balance < selfPay ? balance : selfPay;
    settlement.payment = { personalAccount, cash: selfPay - personalAccount };
  }
  return settlement;
}

/** The bill's step must tell the bill being settled: its total and compliant amount. */
function billStepFor(bill: BillStep, total: Fen, compliant: Fen): BillStep {
  if (bill.base !== total || bill.amount !== compliant) {
    throw invalid('BILL_STEP_MISMATCH', `the bill's explanation (${bill.base}, ${bill.amount}) is not the bill settled (${total}, ${compliant})`, 'amounts');
  }
  return bill;
}

/** A chronic visit's category must be in the catalogue in force on its rule date (e.g. Lhasa's 43 from 1 Sept 2025). */
function checkCatalogue(scheme: SchemeBenefits, category: number, schemeName: string, period: RulePeriod): void {
  const catalogue = scheme.chronic.catalogue;
  if (!Number.isInteger(category) || category < 1) {
    throw invalid('INVALID_CHRONIC_CATEGORY', 'visit.chronicCategory must be a whole number from 1', 'visit.chronicCategory');
  }
  if (catalogue !== null && category > catalogue.categories) {
    throw invalid(
      'CHRONIC_NOT_IN_CATALOGUE',
      `chronic category ${category} is not in the ${schemeName} catalogue in force from ${period.from} (${catalogue.categories} categories)`,
      'visit.chronicCategory',
    );
  }
}
