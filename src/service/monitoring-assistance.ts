/**
 * Assistance on application (依申请救助) for a verified case: the assistance
 * fund pays, on each of the year's past settlements, what its ratio would have
 * paid at settlement less what assistance already paid, within the yearly caps (ordinary and major illness
 * accumulate separately, under the same accumulator row lock settlements take).
 * Above the caps, money moves only through a recorded case-by-case (一事一议)
 * approval with its approver and reason.
 */
import { type StaffContext } from '../domain/access.ts';
import { identitiesOn } from '../domain/engine/identities.ts';
import { applicationDue, assistanceApplies, assistanceCapLeft, assistanceGround } from '../domain/engine/tiers/index.ts';
import { EMPTY_YEAR_TO_DATE } from '../domain/engine/types.ts';
import { notFound, conflict, unprocessable } from '../domain/errors.ts';
import type { Fen } from '../domain/money.ts';
import { periodOn } from '../domain/policy/period-on.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Identity, VisitKind } from '../domain/vocabulary.ts';
import type { Db } from '../store/db.ts';
import { addToYearToDate, lockYearToDate } from '../store/repositories/accumulators.ts';
import {
  exceptionsTotal,
  findApplication,
  insertApplication,
  insertException,
  uncoveredSettlements,
  type ApplicationRow,
} from '../store/repositories/assistance.ts';
import { audit } from '../store/repositories/audit.ts';
import { addCaseEvent } from '../store/repositories/cases.ts';
import { identitiesOf, toSpans } from '../store/repositories/persons.ts';
import { postAssistanceGrant } from './ledger-posting.ts';
import { actorOf, caseFor } from './monitoring-cases.ts';

export interface AssistanceDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

/**
 * Approves and pays an application. `identity` names the ground of the
 * assistance (e.g. sudden_hardship for a family newly found in hardship);
 * without it, the person's best identity valid on `today`.
 */
export async function approveApplication(
  deps: AssistanceDeps,
  staff: StaffContext,
  caseId: number,
  input: { identity?: Identity | undefined },
  today: string,
): Promise<ApplicationRow> {
  return deps.db.transaction(async (tx) => {
    const c = await caseFor(tx, staff, caseId, true);
    if (c.status !== 'verified') throw conflict('INVALID_TRANSITION', `assistance is approved on a verified case, not a ${c.status} one`, 'status');
    const policy = deps.policies.forDivision(c.division_code, c.year);
    if (!policy) throw unprocessable('NO_POLICY', `no policy covers division ${c.division_code} in ${c.year}`);
    // The assistance rules in force on the approval date (the year's last ones once the year is over).
    const rulesDate = today < policy.from ? policy.from : today > policy.to ? policy.to : today;
    const rule = periodOn(policy.periods, rulesDate).benefits.assistance;
    const held = input.identity ? [input.identity] : identitiesOn(toSpans(await identitiesOf(tx, c.person_id)), today);
    const ground = assistanceGround(rule, held);
    if (!ground) throw unprocessable('NO_ASSISTANCE_GROUND', `the policy pays assistance to none of: ${held.join(', ') || 'no identity'}`, 'identity');
    // The same lock a settlement takes: no bill of this person can move the caps meanwhile.
    const ytd = await lockYearToDate(tx, c.person_id, c.year);
    // The assistance tier's own functions (src/domain/engine/tiers/assistance.ts): its ground, its caps, its rounding.
    const left = { ordinary: assistanceCapLeft(rule, ytd, 'ordinary'), major: assistanceCapLeft(rule, ytd, 'major') };
    const items: { settlementId: number; pool: 'ordinary' | 'major'; base: Fen; due: Fen; paid: Fen }[] = [];
    for (const s of await uncoveredSettlements(tx, c.person_id, c.year)) {
      if (!assistanceApplies(rule, s.visit_kind as VisitKind)) continue;
      const pool = s.major_illness ? 'major' : 'ordinary';
      // As at settlement (SPEC §4): the ratio applies to the compliant cost left after basic and
      // critical illness; assistance already paid on the bill counts, and never more than the
      // patient's own compliant part. Each bill's amount is rounded half-up to the fen.
      const { base, due } = applicationDue({ compliant: s.compliant_fen, basic: s.basic, critical: s.critical, assistance: s.assistance, selfPayCompliant: s.self_pay_compliant }, ground.ratio);
      const paid = Math.min(due, left[pool]);
      left[pool] -= paid;
      items.push({ settlementId: s.id, pool, base, due, paid });
    }
    const sum = (k: 'base' | 'due' | 'paid') => items.reduce((t, i) => t + i[k], 0);
    if (sum('due') === 0) throw unprocessable('NOTHING_TO_PAY', 'no compliant self-pay of the year is left to assist', 'case');
    const aboveCap = rule.aboveCap === 'case_by_case' ? sum('due') - sum('paid') : 0;
    const row = {
      case_id: c.id, person_id: c.person_id, year: c.year, identity: ground.identity, ratio_bp: ground.ratio,
      base_fen: sum('base'), due_fen: sum('paid') + aboveCap, paid_fen: sum('paid'), above_cap_fen: aboveCap, approved_by: actorOf(staff),
    };
    const id = await insertApplication(tx, row, items);
    await postAssistanceGrant(tx, { kind: 'assistance_application', source: `assistance_application:${id}`, personId: c.person_id, year: c.year, amount: row.paid_fen, actor: actorOf(staff) });
    const paidOrdinary = items.filter((i) => i.pool === 'ordinary').reduce((t, i) => t + i.paid, 0);
    const paidMajor = items.filter((i) => i.pool === 'major').reduce((t, i) => t + i.paid, 0);
    await addToYearToDate(tx, c.person_id, c.year, { ...EMPTY_YEAR_TO_DATE, assistance: paidOrdinary, assistanceMajor: paidMajor }, 1);
    const detail = { applicationId: id, identity: ground.identity, ratio: ground.ratio, base: row.base_fen, paid: row.paid_fen, aboveCap, settlements: items.length };
    await addCaseEvent(tx, { caseId: c.id, actor: actorOf(staff), action: 'assistance.approved', detail });
    await audit(tx, { actor: actorOf(staff), action: 'assistance.approve', entity: 'assistance_application', entityId: id, detail: { caseId: c.id, personId: c.person_id, ...detail } });
    return (await findApplication(tx, id))!;
  });
}

/**
 * Records a case-by-case (一事一议) approval paying up to what the caps
 * withheld from an application. It is outside the caps by definition, so it
 * does not count against the capped accumulators; its own table is the record.
 */
export async function approveException(
  deps: AssistanceDeps,
  staff: StaffContext,
  applicationId: number,
  input: { amount: Fen; reason: string },
): Promise<{ id: number; application: ApplicationRow; exceptionsTotal: number }> {
  return deps.db.transaction(async (tx) => {
    const application = await findApplication(tx, applicationId, true);
    if (!application) throw notFound('UNKNOWN_APPLICATION', `no assistance application ${applicationId}`, 'id');
    await caseFor(tx, staff, application.case_id); // scope: the case must be in the approver's area
    const policy = deps.policies.forDivision((await caseFor(tx, staff, application.case_id)).division_code, application.year);
    if (policy?.benefits.assistance.aboveCap !== 'case_by_case') throw unprocessable('NO_CASE_BY_CASE', 'the policy pays nothing above the caps', 'amount');
    const already = await exceptionsTotal(tx, applicationId);
    const open = application.above_cap_fen - already;
    if (input.amount > open) {
      throw unprocessable('ABOVE_WITHHELD', `at most ${open} fen is withheld above the caps for this application`, 'amount');
    }
    const id = await insertException(tx, { applicationId, amount: input.amount, reason: input.reason, approvedBy: actorOf(staff) });
    await postAssistanceGrant(tx, {
      kind: 'assistance_exception', source: `assistance_exception:${id}`, personId: application.person_id, year: application.year, amount: input.amount, actor: actorOf(staff),
    });
    const detail = { exceptionId: id, applicationId, amount: input.amount, reason: input.reason };
    await addCaseEvent(tx, { caseId: application.case_id, actor: actorOf(staff), action: 'assistance.exception_approved', detail });
    await audit(tx, { actor: actorOf(staff), action: 'assistance.exception', entity: 'assistance_application', entityId: applicationId, detail: { ...detail, personId: application.person_id } });
    return { id, application, exceptionsTotal: already + input.amount };
  });
}
