/**
 * 2504: a hospital withdraws a chronic-disease application it filed (2503)
 * while the bureau has not decided it; recorded as a rejection with the
 * reason "withdrawn", audited. Approvals are the bureau's to revoke.
 */
import { conflict, notFound } from '../../domain/errors.ts';
import type { Db } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import { decideApplication, findApplication, type ApplicationRow } from '../../store/repositories/chronic-approvals.ts';
import type { FacilityRow } from '../../store/repositories/facilities.ts';

export async function withdrawChronicApplication(
  db: Db, facility: FacilityRow, c: { applicationId: number; psnNo: number; memo: string | undefined }, fields: { id: string; psnNo: string },
): Promise<ApplicationRow> {
  const actor = `facility:${facility.code}`;
  return db.transaction(async (tx) => {
    const app = await findApplication(tx, c.applicationId, true);
    if (!app || app.submitted_by !== actor) throw notFound('UNKNOWN_APPLICATION', `no chronic-disease filing ${c.applicationId} of this facility`, fields.id);
    if (app.person_id !== c.psnNo) throw notFound('UNKNOWN_APPLICATION', `filing ${c.applicationId} is not of person ${c.psnNo}`, fields.psnNo);
    if (app.status === 'rejected' && app.decided_by === actor) return app;
    if (app.status !== 'submitted') throw conflict('APPLICATION_DECIDED', `filing ${c.applicationId} was already ${app.status} by the bureau`, fields.id);
    const reason = `withdrawn by the hospital (2504)${c.memo ? `: ${c.memo}` : ''}`;
    await decideApplication(tx, app.id, 'rejected', actor, reason);
    await audit(tx, { actor, action: 'chronic.withdraw', entity: 'chronic_application', entityId: app.id, detail: { personId: app.person_id, disease: app.disease_code } });
    return (await findApplication(tx, app.id))!;
  });
}
