/**
 * ExplanationOfBenefit: a settled bill as the insured person sees it — what
 * each fund paid and what was left to them, as it stands after any
 * re-adjudication (the settlement plus its adjustment entries).
 */
import type { AdjustedSettlement } from '../../service/adjusted-settlements.ts';
import { billItems } from './bill-items.ts';
import { billTotals, fundAdjudications } from './adjudication.ts';
import { claimTypeOf, transactionIdentifier } from './claim-response.ts';
import { sanbaoConcept, SYSTEM } from './code-systems.ts';
import { facilityReference, type Json } from './reference.ts';

export function explanationOfBenefitOf(adjusted: AdjustedSettlement, patient: Json, insurer: Json): Json {
  const s = adjusted.settlement;
  const e = adjusted.effective;
  // As settled when nothing changed since; else the figures as they stand, the excluded part moving with the corrected amounts.
  const excluded = adjusted.adjustments.length === 0 ? s.self_pay_excluded : s.self_pay_excluded + (e.total - e.compliant) - (s.total_fen - s.compliant_fen);
  const figures = {
    total: e.total, compliant: e.compliant, funds: e.funds, selfPay: e.selfPay,
    selfPayExcluded: excluded, selfPayCompliant: e.selfPay - excluded, steps: s.steps,
  };
  const reversed = s.status === 'reversed';
  return {
    resourceType: 'ExplanationOfBenefit',
    id: String(s.id),
    identifier: [transactionIdentifier(s.facility_code, s.transaction_id)],
    status: reversed ? 'cancelled' : 'active',
    type: claimTypeOf(s.visit_kind),
    subType: sanbaoConcept(SYSTEM.visitKind, s.visit_kind),
    use: 'claim',
    patient,
    billablePeriod: { start: s.visit_date },
    created: new Date(s.settled_at).toISOString(),
    insurer,
    provider: facilityReference({ code: s.facility_code, name: s.facility_name }),
    outcome: 'complete',
    disposition: reversed ? 'Reversed (冲正): nothing was paid' : adjusted.adjustments.length ? 'Settled, then adjusted (补付/追回)' : 'Settled (结算)',
    insurance: [{ focal: true, coverage: { reference: `Coverage/${s.person_id}-${s.year}` } }],
    // The bill line by line (or a note that its compliant amount is the hospital's), as settled.
    ...billItems(s.steps),
    adjudication: fundAdjudications(figures),
    total: billTotals(figures),
  };
}
