/**
 * Monitoring for the staff console: cases (alerts) with filters and masked
 * personal data, a case's history, its moves, determinations and assistance.
 * Thin: validate, guard (permission and division), call the service, present.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffContext } from '../../domain/access.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { approveApplication, approveException } from '../../service/monitoring-assistance.ts';
import { assessCase, caseFor, closeCase, determineCase, verifyCase } from '../../service/monitoring-cases.ts';
import { CASE_EXPORT_MAX_ROWS, exportCases } from '../../service/monitoring-case-export.ts';
import type { Db } from '../../store/db.ts';
import { applicationsForCase } from '../../store/repositories/assistance.ts';
import { caseEvents, listCases } from '../../store/repositories/cases.ts';
import { outboxForCase } from '../../store/repositories/outbox.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import { presentCase, presentEvent, presentPush } from './monitoring-present.ts';
import {
  applicationBodySchema,
  assessmentQuerySchema,
  caseListQuerySchema,
  closeBodySchema,
  determinationBodySchema,
  exceptionBodySchema,
  idParamsSchema,
  verifyBodySchema,
} from './monitoring-schemas.ts';

/** Today in Beijing time, the day a determination or an identity takes effect. */
export const beijingToday = (now = new Date()): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function monitoringRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db } = deps;

  async function detail(staff: StaffContext, id: number) {
    const c = await caseFor(db, staff, id);
    requireDivision(staff, c.division_code);
    const [events, pushes, applications] = await Promise.all([caseEvents(db, id), outboxForCase(db, id), applicationsForCase(db, id)]);
    const visible = staff.role === 'department_liaison' ? pushes.filter((p) => p.department === staff.department) : pushes;
    return { ...presentCase(c, staff), history: events.map(presentEvent), pushes: visible.map(presentPush), applications };
  }

  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { format, ...q } = parseWith(caseListQuerySchema, request.query, 'query');
    const division = q.division ?? staff.divisionCode;
    requireDivision(staff, division);
    // A department liaison sees the cases routed to its own department only.
    const department = staff.role === 'department_liaison' ? (staff.department ?? '-') : q.department;
    if (format !== 'json') {
      const all = await listCases(db, { ...q, limit: CASE_EXPORT_MAX_ROWS, offset: 0, divisionPrefix: division, department });
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="monitoring-cases-${division}${q.year ? `-${q.year}` : ''}.${format}"`)
        .send(await exportCases(all.rows, all.total, format));
    }
    const { total, rows } = await listCases(db, { ...q, divisionPrefix: division, department });
    return { total, limit: q.limit, offset: q.offset, items: rows.map((row) => presentCase(row, staff)) };
  };
  app.get('/api/v1/monitoring/cases', list);
  // Every alert opens exactly one case: the alert list is the case list.
  app.get('/api/v1/monitoring/alerts', list);

  app.get('/api/v1/monitoring/cases/:id', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    return detail(staff, id);
  });

  app.get('/api/v1/monitoring/cases/:id/assessment', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const { otherDeductions } = parseWith(assessmentQuerySchema, request.query, 'query');
    const c = await caseFor(db, staff, id);
    requireDivision(staff, c.division_code);
    return assessCase(db, c, otherDeductions);
  });

  app.post('/api/v1/monitoring/cases/:id/verification', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.read');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const body = parseWith(verifyBodySchema, request.body);
    await verifyCase(db, staff, id, body);
    return detail(staff, id);
  });

  app.post('/api/v1/monitoring/cases/:id/determination', async (request) => {
    const staff = await requireStaff(db, request, 'case.determine');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const body = parseWith(determinationBodySchema, request.body);
    await determineCase(db, staff, id, body, beijingToday());
    return detail(staff, id);
  });

  app.post('/api/v1/monitoring/cases/:id/closure', async (request) => {
    const staff = await requireStaff(db, request, 'monitoring.write');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const body = parseWith(closeBodySchema, request.body);
    await closeCase(db, staff, id, body);
    return detail(staff, id);
  });

  app.post('/api/v1/monitoring/cases/:id/assistance-applications', async (request, reply) => {
    const staff = await requireStaff(db, request, 'assistance.approve');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const body = parseWith(applicationBodySchema, request.body);
    const application = await approveApplication(deps, staff, id, body, beijingToday());
    return reply.status(201).send(application);
  });

  app.post('/api/v1/monitoring/assistance-applications/:id/exceptions', async (request, reply) => {
    const staff = await requireStaff(db, request, 'assistance.approve');
    const { id } = parseWith(idParamsSchema, request.params, 'params');
    const body = parseWith(exceptionBodySchema, request.body);
    const result = await approveException(deps, staff, id, body);
    return reply.status(201).send(result);
  });
}
