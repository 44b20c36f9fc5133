/**
 * Monitoring operations: the monthly run and its statistics, the job
 * schedule, the push outbox and the departments' lists (CSV), the
 * departments' endpoints and the monitoring lines (bureau admin only).
 */
import type { FastifyInstance } from 'fastify';
import type { StaffContext } from '../../domain/access.ts';
import { forbidden, notFound } from '../../domain/errors.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { configureEndpoint, downloadList, LIST_UP_TO_HEADER, listAccessFor, markListDelivered } from '../../service/monitoring-outbox.ts';
import { runMonthly } from '../../service/monitoring-run.ts';
import type { Db } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import { listJobs } from '../../store/repositories/jobs.ts';
import { listMonitoringLines, setMonitoringLine } from '../../store/repositories/monitoring-lines.ts';
import { findRun, listRuns } from '../../store/repositories/monitoring-runs.ts';
import { listEndpoints, outboxSummary } from '../../store/repositories/outbox.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import {
  departmentParamsSchema,
  endpointBodySchema,
  lineBodySchema,
  lineParamsSchema,
  listQuerySchema,
  markDeliveredBodySchema,
  runBodySchema,
  statisticsQuerySchema,
} from './monitoring-schemas.ts';

function requireAdmin(staff: StaffContext): void {
  if (staff.role !== 'bureau_admin') throw forbidden('NOT_PERMITTED', 'only the bureau admin configures monitoring');
}

export function monitoringAdminRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db } = deps;

  app.post('/api/v1/monitoring/runs', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.write');
    requireAdmin(staff); // a run covers the whole database, not one division
    const { month, full } = parseWith(runBodySchema, request.body);
    const outcome = await runMonthly(deps, month, `staff:${staff.username}`, { full });
    return { ...outcome.statistics, mode: outcome.mode, path: outcome.path, casesOpened: outcome.casesOpened, millis: Math.round(outcome.millis.total) };
  });

  app.get('/api/v1/monitoring/statistics', async (request) => {
    await requireStaff(db, request, 'monitoring.read');
    const { month } = parseWith(statisticsQuerySchema, request.query, 'query');
    if (!month) return { runs: await listRuns(db) };
    const run = await findRun(db, month);
    if (!run) throw notFound('NO_RUN', `the monitoring run of ${month} has not been done yet`, 'month');
    return { ...run.statistics, finishedAt: run.finished_at, actor: run.actor };
  });

  app.get('/api/v1/monitoring/jobs', async (request) => {
    await requireStaff(db, request, 'monitoring.read');
    return { jobs: await listJobs(db), runs: await listRuns(db) };
  });

  app.get('/api/v1/monitoring/outbox', async (request) => {
    await requireStaff(db, request, 'monitoring.read');
    return { departments: await outboxSummary(db) };
  });

  // Full ID numbers and names: the department's liaison (or the admin acting for it) only; reading changes nothing.
  app.get('/api/v1/monitoring/outbox/:department/list.csv', async (request, reply) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { department } = parseWith(departmentParamsSchema, request.params, 'params');
    const { all } = parseWith(listQuerySchema, request.query, 'query');
    const { csv, upTo } = await downloadList(db, listAccessFor(staff, department), all === 'true');
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(LIST_UP_TO_HEADER, String(upTo))
      .header('content-disposition', `attachment; filename="sanbao-${department}-pushes.csv"`)
      .send(csv);
  });

  // The explicit "we have it" after a download: the pushes up to the list's newest move on (raised → pushed).
  app.post('/api/v1/monitoring/outbox/:department/delivered', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { department } = parseWith(departmentParamsSchema, request.params, 'params');
    const { upTo } = parseWith(markDeliveredBodySchema, request.body);
    return markListDelivered(db, listAccessFor(staff, department), upTo);
  });

  app.get('/api/v1/monitoring/endpoints', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.write');
    requireAdmin(staff);
    const rows = await listEndpoints(db);
    // The secret is write-only: the console learns only that one is set.
    return {
      endpoints: rows.map((e) => ({
        department: e.department, url: e.url, active: e.active, allowPrivateNetwork: e.allow_private_network, secretSet: true, updatedBy: e.updated_by, updatedAt: e.updated_at,
      })),
    };
  });

  app.put('/api/v1/monitoring/endpoints/:department', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.write');
    requireAdmin(staff);
    const { department } = parseWith(departmentParamsSchema, request.params, 'params');
    const body = parseWith(endpointBodySchema, request.body);
    const url = await configureEndpoint(db, `staff:${staff.username}`, { department, ...body });
    return { department, url, active: body.active, allowPrivateNetwork: body.allowPrivateNetwork };
  });

  app.get('/api/v1/monitoring/lines', async (request) => {
    await requireStaff(db, request, 'monitoring.read');
    return { lines: await listMonitoringLines(db) };
  });

  app.put('/api/v1/monitoring/lines/:regionCode/:year', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.write');
    requireAdmin(staff);
    const { regionCode, year } = parseWith(lineParamsSchema, request.params, 'params');
    requireDivision(staff, regionCode.padEnd(6, '0').slice(0, regionCode.length));
    const { monitoringLine } = parseWith(lineBodySchema, request.body);
    await db.transaction(async (tx) => {
      await setMonitoringLine(tx, regionCode, year, monitoringLine, `staff:${staff.username}`);
      await audit(tx, { actor: `staff:${staff.username}`, action: 'monitoring.line', entity: 'monitoring_line', entityId: `${regionCode}/${year}`, detail: { monitoringLine } });
    });
    return { regionCode, year, monitoringLine };
  });
}
