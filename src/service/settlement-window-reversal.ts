/**
 * A settlement reversed by the bureau at its window (冲正, issue 17): when a
 * hospital's bill was settled in error and the hospital cannot reverse it
 * itself (its system is down, it has closed the visit), a bureau clerk does,
 * with a reason. The same reversal the hospital's call makes (the person's
 * later bills settled again, accumulators and personal account restored),
 * under a reversal id of the bureau's own: a retry changes nothing. The
 * confirmation step is the same reversal, rolled back.
 */
import { notFound } from '../domain/errors.ts';
import type { Fund } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { rolledBack } from '../store/dry-run.ts';
import { findReadjudication, listAdjustments } from '../store/repositories/adjustments.ts';
import { spendsOfSettlement } from '../store/repositories/personal-accounts.ts';
import { findSettlementById, type SettlementRow } from '../store/repositories/settlements.ts';
import { reverseLocked } from './settlement-reversal.ts';
import type { SettlementDeps } from './settlement-service.ts';
import { missingSettlementId } from './archived-settlement.ts';

/** The reversal id a window reversal carries: one per bill, so a second click is a retry. */
export const windowReversalId = (settlementId: number): string => `WINDOW-${settlementId}`;

export interface WindowReversal {
  readonly dryRun: boolean;
  readonly settlement: { id: number; transactionId: string; facility: string; personId: number; visitDate: string; total: number; selfPay: number; status: 'settled' | 'reversed'; reversalId: string | null };
  /** What each fund paid on the bill: given back to the fund by the reversal. */
  readonly fundsReturned: Record<Fund, number>;
  /** What the personal accounts paid on the bill: credited back to them. */
  readonly accountRestored: number;
  /** The person's later bills of the year settled again: each one's change per fund (> 0 the fund pays more) and of the patient's part. */
  readonly laterBills: { settlementId: number; transactionId: string; funds: Record<Fund, number>; selfPay: number; kind: string }[];
}

async function reverseIn(tx: Queryable, deps: SettlementDeps, found: SettlementRow, reason: string, actor: string, dryRun: boolean): Promise<WindowReversal> {
  const reversalId = windowReversalId(found.id);
  const accountRestored = (await spendsOfSettlement(tx, found.id)).reduce((sum, s) => sum + Math.max(0, s.amount_fen - s.restored_fen), 0);
  const row = await reverseLocked(tx, deps, found, reversalId, { actor, yearEndCorrection: null, reason });
  const readjudication = await findReadjudication(tx, found.id, 'reversal', reversalId);
  const entries = readjudication ? await listAdjustments(tx, { readjudicationId: readjudication.id }) : [];
  return {
    dryRun,
    settlement: {
      id: row.id, transactionId: row.transaction_id, facility: row.facility_name, personId: row.person_id, visitDate: row.visit_date, total: row.total_fen,
      selfPay: row.self_pay, status: row.status, reversalId: row.reversal_id,
    },
    fundsReturned: row.funds,
    accountRestored,
    laterBills: entries.map((e) => ({ settlementId: e.settlement_id, transactionId: e.transaction_id, funds: e.funds, selfPay: e.self_pay, kind: e.kind })),
  };
}

/** Reverses a settlement at the window (or, with dryRun, answers what that would do and writes nothing). */
export async function reverseAtWindow(
  deps: SettlementDeps,
  r: { settlementId: number; reason: string; actor: string; dryRun: boolean },
): Promise<WindowReversal> {
  const run = async (tx: Queryable) => {
    const found = await findSettlementById(tx, r.settlementId);
    if (!found) throw await missingSettlementId(tx, r.settlementId, notFound('UNKNOWN_SETTLEMENT', `no settlement ${r.settlementId}`, 'id'));
    return reverseIn(tx, deps, found, r.reason, r.actor, r.dryRun);
  };
  return r.dryRun ? rolledBack(deps.db, run) : deps.db.transaction(run);
}
