/**
 * The claim-review queue for bureau reviewers: accept a flag, deduct (an
 * amount and a reason, which the hospital's clearing subtracts), or send it
 * back for the hospital's explanation; the hospital explains; every step audited.
 *
 *   open ─┬─ accept ──▶ accepted
 *         ├─ deduct ──▶ deducted
 *         └─ return ──▶ returned ── explain (hospital) ──▶ explained ─┬─ accept / deduct
 *                                                                     └─ return
 */
import { conflict, forbidden, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { isRuleId, type RuleConfig, type RuleParams } from '../domain/review/rules.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findFlag, saveRule, updateFlag, type FlagRow } from '../store/repositories/review-flags.ts';

export type ReviewDecision =
  | { readonly decision: 'accept'; readonly reason?: string | undefined }
  | { readonly decision: 'deduct'; readonly amount: number; readonly reason: string }
  | { readonly decision: 'return'; readonly reason: string };

const DECIDABLE: readonly FlagRow['status'][] = ['open', 'explained'];

export async function decideFlag(db: Db, reviewer: string, id: number, d: ReviewDecision): Promise<FlagRow> {
  return db.transaction(async (tx) => {
    const flag = await findFlag(tx, id, true);
    if (!flag) throw notFound('UNKNOWN_FLAG', `no review flag ${id}`, 'id');
    if (!DECIDABLE.includes(flag.status)) throw conflict('INVALID_TRANSITION', `flag ${id} is ${flag.status}; only open or explained flags can be decided`, 'id');
    if (d.decision === 'deduct') {
      if (flag.settlement_status === 'reversed') throw conflict('SETTLEMENT_REVERSED', `settlement ${flag.transaction_id} was reversed: the funds paid nothing to deduct from`, 'id');
      // The fund cannot recover more from the hospital than it paid for this settlement.
      if (d.amount > Number(flag.funds_fen)) {
        throw unprocessable('DEDUCTION_TOO_LARGE', `a deduction of ${d.amount} fen is more than the ${flag.funds_fen} fen the funds paid for this settlement`, 'amount');
      }
      await updateFlag(tx, id, { status: 'deducted', deductFen: d.amount, reason: d.reason, by: reviewer });
    } else {
      await updateFlag(tx, id, { status: d.decision === 'accept' ? 'accepted' : 'returned', reason: d.reason ?? null, by: reviewer });
    }
    await audit(tx, {
      actor: reviewer, action: `review.${d.decision}`, entity: 'review_flag', entityId: id,
      detail: { settlementId: flag.settlement_id, facilityId: flag.facility_id, rule: flag.rule, ...(d.decision === 'deduct' ? { amount: d.amount } : {}), reason: d.reason ?? null },
    });
    return (await findFlag(tx, id))!;
  });
}

/** The hospital answers a flag sent back to it. */
export async function explainFlag(db: Db, facility: { id: number; code: string }, id: number, explanation: string): Promise<FlagRow> {
  return db.transaction(async (tx) => {
    const flag = await findFlag(tx, id, true);
    if (!flag || Number(flag.facility_id) !== facility.id) throw notFound('UNKNOWN_FLAG', `no review flag ${id} for this facility`, 'id');
    if (flag.status !== 'returned') throw conflict('INVALID_TRANSITION', `flag ${id} is ${flag.status}; only a flag sent back can be explained`, 'id');
    await updateFlag(tx, id, { status: 'explained', explanation, by: `facility:${facility.code}` });
    await audit(tx, { actor: `facility:${facility.code}`, action: 'review.explain', entity: 'review_flag', entityId: id, detail: { settlementId: flag.settlement_id } });
    return (await findFlag(tx, id))!;
  });
}

/** An admin changes a rule's switch or parameters (audited). */
export async function setRule(db: Db, admin: string, id: string, rule: { enabled: boolean; params: RuleParams }): Promise<RuleConfig> {
  if (!isRuleId(id)) throw notFound('UNKNOWN_RULE', `no review rule ${id}`, 'id');
  const days = rule.params.days;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) throw invalid('INVALID_RULE', 'days must be a whole number from 1 to 365', 'params.days');
  const maxPerDay = rule.params.maxPerDay;
  if (maxPerDay !== undefined && (!Number.isInteger(maxPerDay) || maxPerDay < 1 || maxPerDay > 100)) throw invalid('INVALID_RULE', 'maxPerDay must be a whole number from 1 to 100', 'params.maxPerDay');
  const config: RuleConfig = { id, enabled: rule.enabled, params: rule.params };
  await db.transaction(async (tx) => {
    await saveRule(tx, config, admin);
    await audit(tx, { actor: admin, action: 'review.rule', entity: 'review_rule', entityId: id, detail: { enabled: rule.enabled, params: rule.params } });
  });
  return config;
}

/** Refuses a flag outside the reviewer's division. */
export function requireFlagInDivision(flag: FlagRow, divisionCode: string): void {
  if (!flag.division_code.startsWith(divisionCode)) throw forbidden('OUTSIDE_DIVISION', `flag ${flag.id} is outside your area (${divisionCode})`);
}
