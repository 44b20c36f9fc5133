/**
 * Cancelling an out-of-area filing (撤销异地就医备案) at the window: a person
 * filed by mistake, or will not be treated elsewhere after all. A filing that
 * bills were already settled under stays in force (those bills' ratio was
 * decided by it); any other is cancelled, with the reason, audited. The
 * confirmation step answers what the cancellation does without doing it.
 */
import { conflict, notFound } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { billsSettledUnder, findFiling, markFilingCancelled, type FilingRow } from '../store/repositories/out-of-area-filings.ts';

export interface FilingCancellation {
  readonly dryRun: boolean;
  readonly filing: FilingRow;
}

export async function cancelFiling(
  db: Db,
  r: { personId: number; filingId: number; reason: string; actor: string; dryRun: boolean },
): Promise<FilingCancellation> {
  return db.transaction(async (tx) => {
    const filing = await findFiling(tx, r.personId, r.filingId, !r.dryRun);
    if (!filing) throw notFound('UNKNOWN_FILING', `person ${r.personId} has no filing ${r.filingId}`, 'filingId');
    if (filing.status === 'cancelled') throw conflict('FILING_ALREADY_CANCELLED', `filing ${r.filingId} is already cancelled`, 'filingId');
    const used = await billsSettledUnder(tx, filing);
    if (used > 0) {
      throw conflict('FILING_USED', `${used} bill(s) were settled under filing ${r.filingId}: it stays in force until ${filing.valid_to}`, 'filingId');
    }
    if (r.dryRun) return { dryRun: true, filing };
    const cancelled = await markFilingCancelled(tx, filing.id);
    await audit(tx, {
      actor: r.actor, action: 'filing.cancel', entity: 'person', entityId: filing.person_id,
      detail: { filing: filing.id, reason: r.reason, treatmentPlace: filing.treatment_place, validFrom: filing.valid_from, validTo: filing.valid_to, filingReason: filing.reason },
    });
    return { dryRun: false, filing: cancelled };
  });
}
