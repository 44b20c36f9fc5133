/** How adjustment entries are shown: per fund, pay more (补付) or recover (追回), amounts in fen, never a person's name. */
import { FUNDS } from '../domain/vocabulary.ts';
import type { AdjustmentRow } from '../store/repositories/adjustments.ts';
import type { AdjustedSettlement } from '../service/adjusted-settlements.ts';
import { presentSettlement } from './present.ts';

export function presentAdjustment(a: AdjustmentRow) {
  return {
    id: a.id,
    readjudicationId: a.readjudication_id,
    settlementId: a.settlement_id,
    transactionId: a.transaction_id,
    kind: a.kind,
    /** The change that caused it: which bill (its visit date and hospital) was reversed or corrected. */
    cause: { change: a.cause.change, settlementId: a.cause.settlementId, visitDate: a.cause.visitDate, facility: a.cause.facilityName },
    entries: FUNDS.filter((f) => a.funds[f] !== 0).map((fund) => ({
      fund,
      direction: a.funds[fund] > 0 ? ('pay' as const) : ('recover' as const),
      amount: Math.abs(a.funds[fund]),
    })),
    funds: a.funds,
    /** The change of the patient's part: > 0 the patient's part grows. */
    selfPay: a.self_pay,
    /** A corrected bill's change of total and compliant cost (0 on the bills after it). */
    amounts: { total: a.total, compliant: a.compliant },
    steps: a.steps,
    createdAt: new Date(a.created_at).toISOString(),
  };
}

export function presentAdjustedSettlement(s: AdjustedSettlement) {
  return { ...presentSettlement(s.settlement), effective: s.effective, adjustments: s.adjustments.map(presentAdjustment) };
}
