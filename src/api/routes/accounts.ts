/**
 * Personal accounts in the staff console (issue 13): a person's account and
 * yearly statement (JSON or a printable page), the contribution base, family-
 * sharing links, and the monthly credit run. Thin: validate, call, present.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { forbidden } from '../../domain/errors.ts';
import type { Permission } from '../../domain/access.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { accountStatement } from '../../service/account-statement.ts';
import { renderStatementHtml, STATEMENT_LANGUAGES } from '../../service/account-statement-page.ts';
import { personOrThrow, requirePersonInReach } from '../../service/console-persons.ts';
import { creditMonth } from '../../service/personal-account-credit.ts';
import { setBase } from '../../service/personal-account-base.ts';
import { linkRelative, SHARING_RELATIONS, unlinkRelative } from '../../service/family-sharing.ts';
import type { Db } from '../../store/db.ts';
import { findPersonByIdNumber } from '../../store/repositories/persons.ts';
import { fenSchema } from '../schemas.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import { beijingToday } from './monitoring.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const yearQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  format: z.enum(['json', 'html']).default('json'),
  lang: z.enum(STATEMENT_LANGUAGES).default('zh-CN'),
});
export const baseBodySchema = z.strictObject({ base: fenSchema.refine((v) => v > 0, 'must be above 0 fen') });
export const linkBodySchema = z
  .strictObject({
    relativeId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    relativeIdNumber: z.string().trim().regex(/^\d{17}[\dXx]$/, 'an 18-character ID number').optional(),
    relation: z.enum(SHARING_RELATIONS).optional(),
  })
  .refine((b) => (b.relativeId === undefined) !== (b.relativeIdNumber === undefined), { message: 'give exactly one of relativeId or relativeIdNumber', path: ['relativeId'] });
export const creditBodySchema = z.strictObject({ month: z.string().max(10) });

export function accountRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  const { db, policies } = deps;

  async function staffAndPerson(request: FastifyRequest, permission: Permission) {
    const staff = await requireStaff(db, request, permission);
    const person = await personOrThrow(db, parseWith(idParam, request.params, 'params').id);
    await requirePersonInReach(db, staff, person);
    return { staff, person };
  }

  app.get('/api/v1/console/persons/:id/account', async (request, reply) => {
    const { person } = await staffAndPerson(request, 'person.read');
    const query = parseWith(yearQuery, request.query, 'query');
    const statement = await accountStatement(db, person, query.year ?? Number(beijingToday().slice(0, 4)));
    if (query.format === 'html') return reply.type('text/html; charset=utf-8').send(renderStatementHtml(statement, query.lang));
    return statement;
  });

  app.put('/api/v1/console/persons/:id/account/base', async (request) => {
    const { staff, person } = await staffAndPerson(request, 'payment.write');
    const body = parseWith(baseBodySchema, request.body);
    return setBase(db, person, body.base, `staff:${staff.username}`);
  });

  app.post('/api/v1/console/persons/:id/family-links', async (request, reply) => {
    const { staff, person } = await staffAndPerson(request, 'person.write');
    const body = parseWith(linkBodySchema, request.body);
    let relativeId = body.relativeId;
    if (body.relativeIdNumber !== undefined) {
      const relative = await findPersonByIdNumber(db, body.relativeIdNumber);
      relativeId = relative?.id ?? 0;
    }
    const link = await linkRelative(db, policies, {
      holderId: person.id, relativeId: relativeId!, relation: body.relation, actor: `staff:${staff.username}`, today: beijingToday(),
    });
    return reply.status(201).send({ id: link.id, holderId: link.holder_id, relativeId: link.relative_id, relation: link.relation, status: link.status });
  });

  app.delete('/api/v1/console/family-links/:id', async (request) => {
    const staff = await requireStaff(db, request, 'person.write');
    const link = await unlinkRelative(db, { linkId: parseWith(idParam, request.params, 'params').id, actor: `staff:${staff.username}`, canSee: (d) => requireDivision(staff, d) });
    return { id: link.id, status: link.status };
  });

  app.post('/api/v1/console/account-credits', async (request) => {
    const staff = await requireStaff(db, request, 'payment.write');
    // The run credits every employee of every area: the bureau's, not a station's.
    if (staff.role !== 'bureau_admin' && staff.role !== 'bureau_clerk') throw forbidden('NOT_PERMITTED', 'the monthly credit run is the bureau\'s');
    const body = parseWith(creditBodySchema, request.body);
    return creditMonth(db, policies, { month: body.month, today: beijingToday(), actor: `staff:${staff.username}` });
  });
}
