/**
 * Staff routes for coverage, the not-yet-enrolled list, subsidy totals (JSON,
 * or a CSV/XLSX download) and the household view. Scoped to the caller's
 * division; personal data masked unless the role may unmask (audited).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can, type StaffContext } from '../../domain/access.ts';
import { forbidden } from '../../domain/errors.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { householdRef, householdView } from '../../service/enrollment-household.ts';
import { coverage, exportReport, subsidies, unenrolledList, type ReportName, type Viewer } from '../../service/enrollment-reports.ts';
import type { Db } from '../../store/db.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const reportQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  division: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits').optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  unmask: flag.default('false'),
  difficultyOnly: flag.default('false'),
  limit: z.coerce.number().int().min(1).max(5_000).default(200),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function viewer(staff: StaffContext, unmask: boolean): Viewer {
  if (unmask && !can(staff, 'person.unmask')) throw forbidden('NOT_PERMITTED', `role ${staff.role} may not person.unmask`);
  return { actor: `staff:${staff.username}`, unmask };
}

export function enrollmentReportRoutes(app: FastifyInstance, deps: { db: Db; reports: Db; policies: PolicyRegistry }): void {
  // Counts over a whole county read on the report connections; lists that audit an unmasking write on the main pool.
  const { db, reports } = deps;

  const scoped = async (request: FastifyRequest) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const q = parseWith(reportQuerySchema, request.query, 'query');
    const division = q.division ?? staff.divisionCode;
    requireDivision(staff, division);
    return { staff, q, division };
  };

  /**
   * Sends the report as a file and says so (true), or leaves JSON to the caller (false). It must not return
   * the reply itself: a reply is thenable, so awaiting it yields undefined and the caller built (and audited)
   * the report a second time.
   */
  const download = async (reply: FastifyReply, report: ReportName, q: z.output<typeof reportQuerySchema>, division: string, v: Viewer): Promise<boolean> => {
    if (q.format === 'json') return false;
    // An unmasked list is audited, which writes: it runs on the main pool.
    const content = await exportReport(q.unmask ? db : reports, report, q.format, q.year, division, v, { difficultyOnly: q.difficultyOnly });
    void reply
      .type(CONTENT_TYPES[q.format])
      .header('content-disposition', `attachment; filename="${report}-${q.year}-${division}.${q.format}"`)
      .send(content);
    return true;
  };

  app.get('/api/v1/enrollment/coverage', async (request, reply) => {
    const { staff, q, division } = await scoped(request);
    return (await download(reply, 'coverage', q, division, viewer(staff, q.unmask))) ? reply : coverage(reports, q.year, division);
  });

  app.get('/api/v1/enrollment/unenrolled', async (request, reply) => {
    const { staff, q, division } = await scoped(request);
    const v = viewer(staff, q.unmask);
    if (await download(reply, 'unenrolled', q, division, v)) return reply;
    return unenrolledList(db, { year: q.year, prefix: division, difficultyOnly: q.difficultyOnly, limit: q.limit, offset: q.offset }, v);
  });

  app.get('/api/v1/enrollment/subsidies', async (request, reply) => {
    const { staff, q, division } = await scoped(request);
    return (await download(reply, 'subsidies', q, division, viewer(staff, q.unmask))) ? reply : subsidies(reports, q.year, division);
  });

  app.get('/api/v1/households/:ref', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    // A liaison sees the people of its cases, not whole households.
    if (staff.role === 'department_liaison') throw forbidden('LIAISON_SCOPE', 'a department liaison sees the people of its cases only, not whole households');
    const { ref } = parseWith(z.object({ ref: z.string().min(1).max(80) }), request.params, 'params');
    const q = parseWith(reportQuerySchema.pick({ year: true, unmask: true }), request.query, 'query');
    const household = await householdRef(db, /^\d+$/.test(ref) ? { id: Number(ref), code: ref } : { code: ref });
    requireDivision(staff, household.division_code);
    return householdView(db, deps.policies, household.id, q.year, viewer(staff, q.unmask));
  });
}
