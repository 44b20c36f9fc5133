/**
 * ClaimResponse for a settled claim or a predetermination (pre-settlement):
 * one adjudication and one total per fund, the payment the funds make to the
 * hospital, the patient's shares. A reversed settlement is `cancelled`.
 */
import type { VisitKind } from '../../domain/vocabulary.ts';
import { billTotals, fundAdjudications, fundsTotal, type BillFigures } from './adjudication.ts';
import { sanbaoConcept, SYSTEM } from './code-systems.ts';
import { fenToMoney } from './money.ts';
import { facilityReference, type Json } from './reference.ts';

export interface ClaimResponseInput {
  readonly use: 'claim' | 'predetermination';
  readonly figures: BillFigures;
  readonly visitKind: VisitKind;
  readonly patient: Json;
  readonly insurer: Json;
  readonly facility: { readonly code: string; readonly name: string };
  /** A settlement: its id, transaction id, time and status; a predetermination has none. */
  readonly settlement?: { readonly id: number; readonly transactionId: string; readonly settledAt: Date; readonly status: 'settled' | 'reversed' } | undefined;
  readonly created: Date;
}

export function claimTypeOf(kind: VisitKind): Json {
  const code = kind === 'inpatient' ? 'institutional' : 'professional';
  return { coding: [{ system: SYSTEM.claimType, code, display: code === 'institutional' ? 'Institutional' : 'Professional' }] };
}

export function transactionIdentifier(facilityCode: string, transactionId: string): Json {
  return { system: `${SYSTEM.transaction}/${facilityCode}`, value: transactionId };
}

export function claimResponseOf(input: ClaimResponseInput): Json {
  const s = input.settlement;
  const cancelled = s?.status === 'reversed';
  return {
    resourceType: 'ClaimResponse',
    ...(s ? { id: String(s.id), identifier: [transactionIdentifier(input.facility.code, s.transactionId)] } : {}),
    status: cancelled ? 'cancelled' : 'active',
    type: claimTypeOf(input.visitKind),
    subType: sanbaoConcept(SYSTEM.visitKind, input.visitKind),
    use: input.use,
    patient: input.patient,
    created: (s?.settledAt ?? input.created).toISOString(),
    insurer: input.insurer,
    requestor: facilityReference(input.facility),
    ...(s ? { request: { identifier: transactionIdentifier(input.facility.code, s.transactionId) } } : {}),
    outcome: 'complete',
    disposition: input.use === 'predetermination'
      ? 'Pre-settlement (试算): nothing was written'
      : cancelled ? 'Settled, then reversed (冲正)' : 'Settled (结算)',
    adjudication: fundAdjudications(input.figures),
    total: billTotals(input.figures),
    ...(input.use === 'claim' && !cancelled
      ? { payment: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype', code: 'complete' }] }, amount: fenToMoney(fundsTotal(input.figures)) } }
      : {}),
  };
}
