/**
 * The register's staff routes: importing divisions (bureau admin) and
 * household registers, and the window's changes to one household or person.
 * Thin: validate, check permission and division, call the service.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { RELATIONS } from '../../domain/register/relations.ts';
import { importDivisions, TableRejected } from '../../service/division-import.ts';
import { importHouseholds } from '../../service/household-import.ts';
import { addPerson, createHousehold, moveHouseholdToVillage, registerEntry, updatePerson } from '../../service/register-window.ts';
import { formatOfFile, TABLE_FORMATS } from '../../service/tabular.ts';
import type { Db } from '../../store/db.ts';
import { listDivisions } from '../../store/repositories/divisions.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

const divisionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits');
const villageCode = z.string().regex(/^\d{12}$/, 'a 12-digit village code');
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const name = z.string().trim().min(1).max(60);
const nameBo = z.string().trim().max(120).nullable();
const phone = z.string().trim().max(20).nullable();

export const tableUploadSchema = z.strictObject({
  fileName: z.string().min(1).max(200),
  format: z.enum(TABLE_FORMATS).optional(),
  /** The file itself, base64. */
  contentBase64: z.string().min(1),
  skipBadRows: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export const householdUploadSchema = tableUploadSchema.extend({ correctRegister: z.boolean().default(false) });
export const newHouseholdSchema = z.strictObject({ villageCode, code: z.string().regex(/^[\w-]{1,40}$/, 'letters, digits, - and _').optional() });
export const householdPatchSchema = z.strictObject({ villageCode });
export const newPersonSchema = z.strictObject({
  householdId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  idNumber: z.string().trim().min(1).max(18),
  name,
  nameBo: nameBo.optional(),
  phone: phone.optional(),
  relation: z.enum(RELATIONS),
});
export const personPatchSchema = z.strictObject({
  name: name.optional(),
  nameBo: nameBo.optional(),
  phone: phone.optional(),
  relation: z.enum(RELATIONS).optional(),
  householdId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  householdCode: z.string().trim().regex(/^[\w-]{1,40}$/, 'a household number').optional(),
  villageCode: villageCode.optional(),
});

/** A refused file: 422 with every bad row, so the console can list them. */
function rejected(reply: FastifyReply, error: unknown) {
  if (error instanceof TableRejected) {
    return reply.status(422).send({ error: { code: error.code, message: `${error.what} refused, nothing imported: ${error.problems.length} bad row(s)`, field: 'file' }, problems: error.problems });
  }
  throw error;
}

const upload = (body: z.infer<typeof tableUploadSchema>) => ({
  fileName: body.fileName, format: body.format ?? formatOfFile(body.fileName), content: Buffer.from(body.contentBase64, 'base64'),
  skipBadRows: body.skipBadRows, dryRun: body.dryRun,
});

export function registerRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;

  app.get('/api/v1/divisions', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const query = parseWith(z.object({ under: divisionCode.optional() }), request.query, 'query');
    if (query.under) requireDivision(staff, query.under);
    const rows = await listDivisions(db, query.under ?? staff.divisionCode);
    return { items: rows.map((d) => ({ code: d.code, name: d.name, nameBo: d.name_bo, nameEn: d.name_en, level: d.level, parentCode: d.parent_code })) };
  });

  app.post('/api/v1/divisions/import', { bodyLimit: 64 * 1_048_576 }, async (request, reply) => {
    const staff = await requireStaff(db, request, 'staff.admin');
    const body = parseWith(tableUploadSchema, request.body);
    try {
      const result = await importDivisions(db, { ...upload(body), scope: staff.divisionCode, actor: `staff:${staff.username}` });
      return reply.status(result.dryRun ? 200 : 201).send(result);
    } catch (error) {
      return rejected(reply, error);
    }
  });

  app.post('/api/v1/households/import', { bodyLimit: 64 * 1_048_576 }, async (request, reply) => {
    const staff = await requireStaff(db, request, 'person.write');
    const body = parseWith(householdUploadSchema, request.body);
    try {
      const result = await importHouseholds(db, { ...upload(body), correctRegister: body.correctRegister, scope: staff.divisionCode, actor: `staff:${staff.username}` });
      return reply.status(result.dryRun ? 200 : 201).send(result);
    } catch (error) {
      return rejected(reply, error);
    }
  });

  app.post('/api/v1/console/households', async (request, reply) => {
    const staff = await requireStaff(db, request, 'person.write');
    return reply.status(201).send(await createHousehold(db, staff, parseWith(newHouseholdSchema, request.body)));
  });

  app.patch('/api/v1/console/households/:id', async (request) => {
    const staff = await requireStaff(db, request, 'person.write');
    const { id } = parseWith(idParam, request.params, 'params');
    return moveHouseholdToVillage(db, staff, id, parseWith(householdPatchSchema, request.body).villageCode);
  });

  app.post('/api/v1/console/persons', async (request, reply) => {
    const staff = await requireStaff(db, request, 'person.write');
    return reply.status(201).send(await addPerson(db, staff, parseWith(newPersonSchema, request.body)));
  });

  // The edit form's entry holds the name in full: for those who may edit the register (person.write), not every reader.
  app.get('/api/v1/console/persons/:id/register', async (request) => {
    const staff = await requireStaff(db, request, 'person.write');
    return registerEntry(db, staff, parseWith(idParam, request.params, 'params').id);
  });

  app.patch('/api/v1/console/persons/:id', async (request) => {
    const staff = await requireStaff(db, request, 'person.write');
    const { id } = parseWith(idParam, request.params, 'params');
    return updatePerson(db, staff, id, parseWith(personPatchSchema, request.body));
  });
}
