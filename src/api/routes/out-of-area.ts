/**
 * Out-of-area treatment both ways in the console (issue 13): the report for a
 * region and year, and the import of the inter-provincial clearing list.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { StaffContext } from '../../domain/access.ts';
import { forbidden } from '../../domain/errors.ts';
import { regionPrefix, type PolicyRegistry } from '../../domain/policy/registry.ts';
import { ClearingRejected, importClearingList } from '../../service/clearing-import.ts';
import { outOfAreaReport, outOfAreaSheet } from '../../service/out-of-area-report.ts';
import { formatOfFile, toCsv, toXlsx } from '../../service/tabular.ts';
import type { Db } from '../../store/db.ts';
import { listBatches } from '../../store/repositories/clearing-settlements.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';
import { beijingToday } from './monitoring.ts';

export const outOfAreaQuerySchema = z.strictObject({
  region: z.string().regex(/^\d{6}$/, 'a 6-digit region code such as 540100').optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
export const clearingImportSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
  contentBase64: z.string().min(1).max(64 * 1_048_576),
  region: z.string().regex(/^\d{6}$/, 'a 6-digit region code such as 540100').optional(),
  skipBadRows: z.boolean().default(false),
});

export function outOfAreaRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db, policies } = deps;

  /** The region asked for, or the staff member's own; a staff member sees the region their division lies in. */
  function regionFor(staff: StaffContext, asked: string | undefined, year: number): string {
    const own = policies.forDivision(staff.divisionCode, year)?.region.code ?? policies.forDivision(staff.divisionCode, year - 1)?.region.code;
    const region = asked ?? own;
    if (!region) throw forbidden('OUTSIDE_DIVISION', `no policy covers your division ${staff.divisionCode}: name the region`);
    if (!staff.divisionCode.startsWith(regionPrefix(region)) && !region.startsWith(staff.divisionCode)) {
      throw forbidden('OUTSIDE_DIVISION', `region ${region} is outside your area (${staff.divisionCode})`);
    }
    return region;
  }

  app.get('/api/v1/console/reports/out-of-area', async (request, reply) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(outOfAreaQuerySchema, request.query, 'query');
    const year = query.year ?? Number(beijingToday().slice(0, 4));
    const report = await outOfAreaReport(db, policies, regionFor(staff, query.region, year), year);
    if (query.format === 'json') return report;
    const sheet = outOfAreaSheet(report);
    const file = query.format === 'csv' ? toCsv(sheet) : await toXlsx([sheet]);
    return reply
      .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="out-of-area-${report.region}-${year}.${query.format}"`)
      .send(file);
  });

  app.post('/api/v1/console/clearing-imports', { bodyLimit: 64 * 1_048_576 }, async (request, reply) => {
    const staff = await requireStaff(db, request, 'payment.write');
    if (staff.role !== 'bureau_admin' && staff.role !== 'bureau_clerk') throw forbidden('NOT_PERMITTED', 'the clearing list is imported by the bureau');
    const body = parseWith(clearingImportSchema, request.body);
    const region = regionFor(staff, body.region, Number(beijingToday().slice(0, 4)));
    try {
      const result = await importClearingList(db, {
        region, fileName: body.fileName, format: formatOfFile(body.fileName), content: Buffer.from(body.contentBase64, 'base64'),
        skipBadRows: body.skipBadRows, actor: `staff:${staff.username}`,
      });
      return reply.status(result.alreadyImported ? 200 : 201).send(result);
    } catch (error) {
      if (error instanceof ClearingRejected) {
        return reply.status(422).send({ error: { code: error.code, message: `clearing list refused, nothing imported: ${error.problems.length} bad row(s)`, field: 'file' }, problems: error.problems });
      }
      throw error;
    }
  });

  app.get('/api/v1/console/clearing-imports', async (request) => {
    await requireStaff(db, request, 'reports.read');
    const rows = await listBatches(db);
    return { items: rows.map((r) => ({ id: r.id, fileName: r.file_name, rows: r.rows, importedBy: r.imported_by, importedAt: new Date(r.imported_at).toISOString() })) };
  });
}
