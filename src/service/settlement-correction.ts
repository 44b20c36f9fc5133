/**
 * Correcting a settled bill (更正): its amounts change, and it and the
 * person's later bills of the year are settled again in their order, under the
 * same per-person lock as settlements (issue 11). The settlement row stays as
 * the hospital was first told; the correction is adjustment entries on the
 * corrected bill (with its change of amounts) and on every later bill it moves.
 * Idempotent on the correction id: a retry with the same amounts answers the
 * first result, with other amounts a conflict.
 */
import type { Amounts } from '../domain/engine/types.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { isFen } from '../domain/money.ts';
import { lockYearToDate } from '../store/repositories/accumulators.ts';
import { findReadjudication } from '../store/repositories/adjustments.ts';
import { audit } from '../store/repositories/audit.ts';
import { isYearClosed } from '../store/repositories/closed-years.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { findSettlementByTransaction, type SettlementRow } from '../store/repositories/settlements.ts';
import { readjudicateInStore } from './readjudication.ts';
import type { SettlementDeps } from './settlement-service.ts';
import { missingSettlement } from './archived-settlement.ts';

export async function correctSettlement(
  deps: SettlementDeps,
  facility: FacilityRow,
  transactionId: string,
  request: { correctionId: string; amounts: Amounts },
): Promise<{ settlement: SettlementRow; replayed: boolean }> {
  const { total, compliant } = request.amounts;
  if (!isFen(total)) throw invalid('INVALID_AMOUNT', 'amounts.total must be a non-negative integer number of fen', 'amounts.total');
  if (!isFen(compliant)) throw invalid('INVALID_AMOUNT', 'amounts.compliant must be a non-negative integer number of fen', 'amounts.compliant');
  if (compliant > total) throw invalid('COMPLIANT_ABOVE_TOTAL', `compliant (${compliant}) is more than total (${total})`, 'amounts.compliant');
  return deps.db.transaction(async (tx) => {
    const found = await findSettlementByTransaction(tx, facility.id, transactionId);
    if (!found) throw await missingSettlement(tx, facility.id, transactionId, `no settlement ${transactionId} at this facility`);
    await lockYearToDate(tx, found.person_id, found.year);
    const row = (await findSettlementByTransaction(tx, facility.id, transactionId, true))!;
    const earlier = await findReadjudication(tx, row.id, 'correction', request.correctionId);
    if (earlier) {
      const asked = earlier.request.amounts as Amounts | undefined;
      if (asked?.total === total && asked.compliant === compliant) return { settlement: row, replayed: true };
      throw conflict('IDEMPOTENCY_CONFLICT', `correction ${request.correctionId} was already made with other amounts`, 'correctionId');
    }
    if (row.status === 'reversed') throw conflict('ALREADY_REVERSED', `settlement ${transactionId} was reversed; it cannot be corrected`, 'transactionId');
    if (await isYearClosed(tx, row.year)) {
      throw conflict('YEAR_CLOSED', `${row.year} is closed: its bills change only through a year-end correction`, 'transactionId');
    }
    const actor = `facility:${facility.code}`;
    const outcome = await readjudicateInStore(tx, deps.policies, {
      personId: row.person_id, year: row.year, change: { kind: 'correction', id: row.id, amounts: { total, compliant } },
      changeRef: request.correctionId, actor, request: { amounts: { total, compliant } },
    });
    await audit(tx, {
      actor,
      action: 'settlement.correct',
      entity: 'settlement',
      entityId: row.id,
      detail: {
        transactionId, correctionId: request.correctionId, personId: row.person_id, amounts: { total, compliant },
        readjudicationId: outcome.readjudicationId, adjustments: outcome.entries,
      },
    });
    return { settlement: row, replayed: false };
  });
}
