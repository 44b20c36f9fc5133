/**
 * The years (bureau admin, staff.admin): closed years and the settlement id
 * ranges (`sanbao year list`), opening the next year's range (`year open`)
 * and archiving a closed one (`year archive`), through the CLI's services.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bureauYear } from '../../domain/bureau-time.ts';
import { closedYears } from '../../service/year-end.ts';
import { archiveYear } from '../../service/year-archive.ts';
import { openYear, settlementIdRanges } from '../../service/year-partitions.ts';
import type { Db } from '../../store/db.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

export const yearParamsSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const actor = (s: { username: string }) => `staff:${s.username}`;

export function yearRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get('/api/v1/console/years', async (request) => {
    await requireStaff(db, request, 'staff.admin');
    const closed = await closedYears(db);
    const ranges = await settlementIdRanges(db);
    const opened = ranges.filter((r) => r.year !== null).map((r) => r.year!);
    return {
      closed: closed.map((c) => ({ year: Number(c.year), closedAt: new Date(c.closed_at).toISOString(), closedBy: c.closed_by, note: c.note })),
      ranges: ranges.map((r) => ({
        ...r, openedAt: r.openedAt && new Date(r.openedAt).toISOString(), archivedAt: r.archivedAt && new Date(r.archivedAt).toISOString(),
      })),
      nextYear: opened.length > 0 ? Math.max(...opened) + 1 : bureauYear(new Date()),
    };
  });

  app.post('/api/v1/console/years/:year/open', async (request) => {
    const staff = await requireStaff(db, request, 'staff.admin');
    const { year } = parseWith(yearParamsSchema, request.params, 'params');
    return openYear(db, year, actor(staff));
  });

  app.post('/api/v1/console/years/:year/archive', async (request) => {
    const staff = await requireStaff(db, request, 'staff.admin');
    const { year } = parseWith(yearParamsSchema, request.params, 'params');
    const r = await archiveYear(db, year, actor(staff));
    return { ...r, archivedAt: r.archivedAt.toISOString() };
  });
}
