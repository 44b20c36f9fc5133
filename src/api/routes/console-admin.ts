/** Staff console API: reports (coverage, payments by fund and month, alerts by department), audit log, station delegations. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bureauYear } from '../../domain/bureau-time.ts';
import type { Db } from '../../store/db.ts';
import { alertsReport, auditLog, changeDelegations, coverageReport, listDelegations, paymentsReport } from '../../service/console-reports.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).default(() => bureauYear(new Date())) });

export function consoleAdminRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get('/api/v1/console/reports/coverage', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    return coverageReport(db, staff, parseWith(yearQuery, request.query, 'query').year);
  });

  app.get('/api/v1/console/reports/payments', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    return paymentsReport(db, staff, parseWith(yearQuery, request.query, 'query').year);
  });

  app.get('/api/v1/console/reports/alerts', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    return alertsReport(db, staff, parseWith(yearQuery, request.query, 'query').year);
  });

  app.get('/api/v1/console/audit', async (request) => {
    await requireStaff(db, request, 'audit.read');
    const query = parseWith(
      z.object({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
        action: z.string().max(60).optional(),
      }),
      request.query,
      'query',
    );
    return { items: await auditLog(db, query) };
  });

  app.get('/api/v1/console/delegations', async (request) => {
    const staff = await requireStaff(db, request, 'staff.admin');
    return listDelegations(db, staff);
  });

  app.put('/api/v1/console/delegations/:divisionCode', async (request) => {
    const staff = await requireStaff(db, request, 'staff.admin');
    const { divisionCode } = parseWith(z.object({ divisionCode: z.string().regex(/^\d{9}$/, 'a 9-digit township code') }), request.params, 'params');
    requireDivision(staff, divisionCode);
    const body = parseWith(z.strictObject({ items: z.array(z.string().max(40)).max(30) }), request.body);
    await db.transaction((tx) => changeDelegations(tx, staff, divisionCode, body.items));
    return { divisionCode, items: [...new Set(body.items)].sort() };
  });
}
