/**
 * Staff console API (/api/v1/console/*): person search and detail, unmasking
 * (audited), settlements with their explanation, out-of-area filing at the
 * window. Every route asks requireStaff and, for one person, requireDivision.
 */
import { withAdjustments } from '../../service/adjusted-settlements.ts';
import { presentAdjustment } from '../present-adjustments.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '../../domain/access.ts';
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import type { Db } from '../../store/db.ts';
import { FILING_CHANNELS, FILING_REASONS, listFilings } from '../../store/repositories/out-of-area-filings.ts';
import { fileOutOfArea } from '../../service/resident-self-service.ts';
import {
  personDetail, personOrThrow, presentSettlement, requirePersonInReach, searchPersons, settlementOrThrow, unmaskPerson,
} from '../../service/console-persons.ts';
import { exportSettlements, settlementPage } from '../../service/settlement-list.ts';
import { parseWith } from '../errors.ts';
import { windowOperationRoutes } from './window-operations.ts';
import { beijingToday } from './monitoring.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

export const settlementListQuerySchema = z.object({
  personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
// A real calendar day: a regex alone lets 2025-02-30 through to the database (a 500).
const isoDate = isoDateSchema;

export function consoleRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db } = deps;

  /** The signed-in staff member holding the permission, and the person of :id inside their division. */
  async function staffAndPerson(request: FastifyRequest, permission: Permission) {
    const staff = await requireStaff(db, request, permission);
    const person = await personOrThrow(db, parseWith(idParam, request.params, 'params').id);
    await requirePersonInReach(db, staff, person);
    return { staff, person };
  }

  app.get('/api/v1/console/persons', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const query = parseWith(
      z.object({
        q: z.string().max(40).default(''),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      request.query,
      'query',
    );
    const { total, items } = await searchPersons(db, staff, query.q, query.limit, query.offset);
    return { total, limit: query.limit, offset: query.offset, items };
  });

  app.get('/api/v1/console/persons/:id', async (request) => {
    const { staff, person } = await staffAndPerson(request, 'person.read');
    return personDetail(db, staff, person);
  });

  app.post('/api/v1/console/persons/:id/unmask', async (request) => {
    const { staff, person } = await staffAndPerson(request, 'person.unmask');
    const body = parseWith(z.object({ reason: z.string().trim().min(1).max(200).default('console') }), request.body ?? {});
    return unmaskPerson(db, staff, person, body.reason);
  });

  app.get('/api/v1/console/settlements', async (request, reply) => {
    const staff = await requireStaff(db, request, 'settlement.read');
    const { format, ...query } = parseWith(settlementListQuerySchema, request.query, 'query');
    if (query.personId) requireDivision(staff, (await personOrThrow(db, query.personId)).division_code);
    if (format === 'json') return settlementPage(db, staff, query);
    const file = await exportSettlements(db, staff, { personId: query.personId, year: query.year }, format);
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="settlements-${staff.divisionCode}${query.year ? `-${query.year}` : ''}.${format}"`)
      .send(file);
  });

  app.get('/api/v1/console/settlements/:id', async (request) => {
    const staff = await requireStaff(db, request, 'settlement.read');
    const settlement = await settlementOrThrow(db, parseWith(idParam, request.params, 'params').id);
    const person = await personOrThrow(db, settlement.person_id);
    requireDivision(staff, person.division_code);
    const [adjusted] = await withAdjustments(db, [settlement]);
    return { ...presentSettlement(settlement, person), effective: adjusted!.effective, adjustments: adjusted!.adjustments.map(presentAdjustment) };
  });

  app.get('/api/v1/console/persons/:id/filings', async (request) => {
    const { person } = await staffAndPerson(request, 'person.read');
    return { items: await listFilings(db, person.id) };
  });

  app.post('/api/v1/console/persons/:id/filings', async (request, reply) => {
    const { staff, person } = await staffAndPerson(request, 'filing.write');
    const body = parseWith(
      z.strictObject({
        treatmentPlace: z.string().trim().min(1).max(100),
        treatmentDivision: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/).optional(),
        reason: z.enum(FILING_REASONS),
        validFrom: isoDate,
        validTo: isoDate,
        channel: z.enum(FILING_CHANNELS).default('window'),
      }),
      request.body,
    );
    const filing = await fileOutOfArea(db, deps.policies, person, body, body.channel, `staff:${staff.username}`, beijingToday());
    return reply.status(201).send(filing);
  });

  windowOperationRoutes(app, deps);
}
