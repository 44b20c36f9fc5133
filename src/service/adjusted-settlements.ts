/**
 * Settlements as they stand after re-adjudications: each with the adjustment
 * entries that corrected it (补付 / 追回) and its effective figures — what the
 * hospital was told at settlement plus every entry since.
 */
import { FUNDS, type Fund } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { adjustmentsOfSettlements, findReadjudication, listAdjustments, type AdjustmentRow } from '../store/repositories/adjustments.ts';
import type { SettlementRow } from '../store/repositories/settlements.ts';

export interface AdjustedSettlement {
  readonly settlement: SettlementRow;
  readonly adjustments: readonly AdjustmentRow[];
  readonly effective: { readonly total: number; readonly compliant: number; readonly funds: Record<Fund, number>; readonly selfPay: number };
}

export function effectiveOf(s: SettlementRow, adjustments: readonly AdjustmentRow[]): AdjustedSettlement['effective'] {
  const funds = { ...s.funds };
  let selfPay = Number(s.self_pay);
  let total = Number(s.total_fen);
  let compliant = Number(s.compliant_fen);
  for (const a of adjustments) {
    // Assistance on application went to the resident, not through the hospital's bill: its changes are not the bill's.
    if (a.kind !== 'readjudication') continue;
    for (const f of FUNDS) funds[f] += a.funds[f];
    selfPay += a.self_pay;
    total += a.total;
    compliant += a.compliant;
  }
  return { total, compliant, funds, selfPay };
}

export async function withAdjustments(q: Queryable, rows: readonly SettlementRow[]): Promise<AdjustedSettlement[]> {
  const all = await adjustmentsOfSettlements(q, rows.map((r) => r.id));
  const by = new Map<number, AdjustmentRow[]>();
  for (const a of all) by.set(a.settlement_id, [...(by.get(a.settlement_id) ?? []), a]);
  return rows.map((settlement) => {
    const adjustments = by.get(settlement.id) ?? [];
    return { settlement, adjustments, effective: effectiveOf(settlement, adjustments) };
  });
}

/** A facility's adjustment entries of a year (its own bills only), for its reconciliation. */
export async function facilityAdjustments(q: Queryable, facilityId: number, year: number, page: { limit: number; offset: number }): Promise<AdjustmentRow[]> {
  return listAdjustments(q, { facilityId, year, ...page });
}

/** The entries a reversal wrote on this facility's bills, and how many bills it changed in all. */
export async function reversalAdjustments(q: Queryable, facilityId: number, settlementId: number, reversalId: string): Promise<{ entries: AdjustmentRow[]; billsChanged: number }> {
  return changeAdjustments(q, facilityId, settlementId, 'reversal', reversalId);
}

/** The entries a reversal or correction wrote on this facility's bills, and how many bills it changed in all. */
export async function changeAdjustments(
  q: Queryable,
  facilityId: number,
  settlementId: number,
  change: 'reversal' | 'correction',
  ref: string,
): Promise<{ entries: AdjustmentRow[]; billsChanged: number }> {
  const found = await findReadjudication(q, settlementId, change, ref);
  if (found === undefined) return { entries: [], billsChanged: 0 };
  const all = await listAdjustments(q, { readjudicationId: found.id });
  return { entries: all.filter((a) => a.facility_id === facilityId), billsChanged: new Set(all.map((a) => a.settlement_id)).size };
}
