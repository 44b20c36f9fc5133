/**
 * GET /api/v1/console/fsi/messages — the bureau's view of what hospitals sent
 * through the national interface: each answered transaction, newest first,
 * of the facilities in the staff member's division. No personal data: ids,
 * transaction numbers and amounts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../store/db.ts';
import { listFsiMessages } from '../../store/repositories/fsi-messages.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';
import { NATIONAL_FACILITY_CODE } from '../../domain/facility-code.ts';

export const fsiMessagesQuerySchema = z.strictObject({
  facility: z.string().regex(NATIONAL_FACILITY_CODE, 'a facility code such as H51333000001').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function fsiConsoleRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.get('/api/v1/console/fsi/messages', async (request) => {
    const staff = await requireStaff(deps.db, request, 'settlement.read');
    const query = parseWith(fsiMessagesQuerySchema, request.query, 'query');
    const rows = await listFsiMessages(deps.db, { divisionPrefix: staff.divisionCode, facilityCode: query.facility, limit: query.limit, offset: query.offset });
    return {
      items: rows.map((r) => ({
        at: new Date(r.answered_at).toISOString(), facility: { code: r.facility_code, name: r.facility_name }, infno: r.infno, msgid: r.msgid,
        mdtrtId: r.mdtrt_id, setlId: r.setl_id, medfeeYuan: r.medfee_sumamt, fundYuan: r.fund_pay_sumamt,
      })),
    };
  });
}
