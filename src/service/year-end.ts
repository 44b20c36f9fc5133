/**
 * Closing a year, and the year-end correction: the one way a bill of a closed
 * year is reversed (with who and why, audited), re-adjudicating the person's
 * later bills like any reversal.
 */
import { invalid, notFound } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { closeYear, isYearClosed, listClosedYears, type ClosedYearRow } from '../store/repositories/closed-years.ts';
import { findFacilityByCode } from '../store/repositories/facilities.ts';
import { holdIdRanges } from '../store/repositories/settlement-partitions.ts';
import { findSettlementByTransaction, type SettlementRow } from '../store/repositories/settlements.ts';
import { reverseLocked } from './settlement-reversal.ts';
import type { SettlementDeps } from './settlement-service.ts';
import { missingSettlement } from './archived-settlement.ts';

export async function closeYearAudited(db: Db, year: number, actor: string, note: string | null): Promise<{ closed: boolean }> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('INVALID_YEAR', 'the year must be 2000–2100', 'year');
  return db.transaction(async (tx) => {
    const closed = await closeYear(tx, { year, closedBy: actor, note });
    if (closed) await audit(tx, { actor, action: 'year.close', entity: 'year', entityId: year, detail: note ? { note } : {} });
    return { closed };
  });
}

export function closedYears(db: Db): Promise<ClosedYearRow[]> {
  return listClosedYears(db);
}

/** Reverses a bill of a closed year as a year-end correction; refused when the year is open (use the ordinary reversal). */
export async function yearEndReversal(
  deps: SettlementDeps,
  r: { facilityCode: string; transactionId: string; reversalId: string; reason: string; actor: string },
): Promise<SettlementRow> {
  if (r.reason.trim().length < 4) throw invalid('REASON_REQUIRED', 'a year-end correction needs a reason of at least 4 characters', 'reason');
  return deps.db.transaction(async (tx) => {
    // First, before the bill is read: a year archive running now finishes before (the bill is then archived), or waits for this correction.
    await holdIdRanges(tx);
    const facility = await findFacilityByCode(tx, r.facilityCode);
    if (!facility) throw notFound('UNKNOWN_FACILITY', `no facility ${r.facilityCode}`, 'facility');
    const found = await findSettlementByTransaction(tx, facility.id, r.transactionId);
    if (!found) throw await missingSettlement(tx, facility.id, r.transactionId, `no settlement ${r.transactionId} at ${r.facilityCode}`);
    if (!(await isYearClosed(tx, found.year))) {
      throw invalid('YEAR_OPEN', `${found.year} is not closed: the hospital reverses its bills itself`, 'transactionId');
    }
    return reverseLocked(tx, deps, found, r.reversalId, { actor: r.actor, yearEndCorrection: { reason: r.reason.trim() } });
  });
}
