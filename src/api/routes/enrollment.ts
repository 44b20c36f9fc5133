/**
 * Staff routes of the campaign (参保征缴): roster imports, opening the year's
 * campaign, payments one by one or in bulk. Thin: validate, check permission
 * and division, call the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import { ROSTER_MODES } from '../../domain/enrollment/roster-rows.ts';
import { forbidden, invalid } from '../../domain/errors.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { DEPARTMENTS, IDENTITIES } from '../../domain/vocabulary.ts';
import { campaignStatusOf, cancelEnrollment, openCampaign } from '../../service/enrollment-campaign.ts';
import { PAYMENT_METHODS, personDivision, previewPaymentReversal, recordPayment, reversePayment } from '../../service/enrollment-payments.ts';
import { payRoster } from '../../service/payment-batches.ts';
import { paymentCollectionRoutes } from './payment-collection.ts';
import type { PdfFontSettings } from '../../service/pdf-fonts.ts';
import { COVER_EXEMPTIONS } from '../../domain/enrollment/cover.ts';
import { requirePersonInReach } from '../../service/console-persons.ts';
import { importRoster, RosterRejected } from '../../service/roster-import.ts';
import { TABLE_FORMATS } from '../../service/tabular.ts';
import type { Db } from '../../store/db.ts';
import { paymentsOf } from '../../store/repositories/payments.ts';
import { identityHistory, listRosters } from '../../store/repositories/rosters.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

const isoDate = isoDateSchema;
const year = z.coerce.number().int().min(2000).max(2100);
const fen = z.number().int().positive().max(100_000_000_000);
const division = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits');

export const rosterImportSchema = z.strictObject({
  /** Required: replace the division's whole list, add people, or end the listed people's status (no implicit replace). */
  mode: z.enum(ROSTER_MODES, { required_error: 'say what the roster does: replace, add or end (nothing is replaced implicitly)' }),
  /** For a replace that ends many statuses: the number the dry run showed. */
  confirmEnd: z.number().int().min(0).max(10_000_000).optional(),
  /** Take names and villages that disagree with the register from the roster (audited) instead of refusing those rows. */
  correctRegister: z.boolean().default(false),
  department: z.enum(DEPARTMENTS),
  identity: z.enum(IDENTITIES),
  from: isoDate,
  to: isoDate.optional(),
  /** The division the roster covers; required to replace; otherwise default: the caller's own. */
  division: division.optional(),
  fileName: z.string().min(1).max(200),
  format: z.enum(TABLE_FORMATS).optional(),
  /** The file itself, base64. */
  contentBase64: z.string().min(1),
  skipBadRows: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export const campaignOpenSchema = z.strictObject({ division: division.optional() });
export const paymentSchema = z.strictObject({
  personId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  year,
  amount: fen,
  /** Set when a department pays on the person's behalf (代缴). */
  department: z.string().min(2).max(60).optional(),
  method: z.enum(PAYMENT_METHODS).default('cash'),
  reference: z.string().min(1).max(80).optional(),
  /** The day the money was received (default today): the collection window is judged on it. */
  paidOn: isoDate.optional(),
  /** A group the policy exempts from the waiting period, as the clerk attests it (audited). */
  exemption: z.enum(COVER_EXEMPTIONS).optional(),
});
export const reversalSchema = z.strictObject({ reason: z.string().min(2).max(300) });
/** A payment's reversal; `dryRun` answers what it would do (the same reversal, rolled back) for the window's confirmation step. */
export const paymentReversalSchema = reversalSchema.extend({ dryRun: z.boolean().default(false) });
export const batchSchema = z.strictObject({
  year,
  rosterId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  department: z.enum(DEPARTMENTS),
  division: division.optional(),
  reference: z.string().min(1).max(80).optional(),
  paidOn: isoDate.optional(),
});
const yearParams = z.strictObject({ year });
const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function enrollmentRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry; pdfFonts?: PdfFontSettings | undefined }): void {
  const { db } = deps;
  paymentCollectionRoutes(app, deps);

  app.post('/api/v1/rosters', { bodyLimit: 64 * 1_048_576 }, async (request, reply) => {
    const staff = await requireStaff(db, request, 'roster.import');
    const body = parseWith(rosterImportSchema, request.body);
    if (staff.department && staff.department !== body.department) {
      throw forbidden('OTHER_DEPARTMENT', `you send rosters of ${staff.department}, not of ${body.department}`);
    }
    if (body.mode === 'replace' && body.division === undefined) {
      throw invalid('DIVISION_REQUIRED', 'a roster that replaces a list names the division whose list it replaces', 'division');
    }
    const scope = body.division ?? staff.divisionCode;
    requireDivision(staff, scope);
    const format = body.format ?? (/\.xlsx$/i.test(body.fileName) ? 'xlsx' : 'csv');
    try {
      const result = await importRoster(db, {
        mode: body.mode, confirmEnd: body.confirmEnd ?? null, correctRegister: body.correctRegister,
        department: body.department, identity: body.identity, validFrom: body.from, validTo: body.to ?? null, division: scope,
        fileName: body.fileName, format, content: Buffer.from(body.contentBase64, 'base64'),
        skipBadRows: body.skipBadRows, dryRun: body.dryRun, actor: `staff:${staff.username}`,
      });
      return reply.status(result.alreadyImported || result.dryRun ? 200 : 201).send(result);
    } catch (error) {
      if (error instanceof RosterRejected) {
        return reply.status(422).send({ error: { code: error.code, message: `roster refused, nothing imported: ${error.problems.length} bad row(s)`, field: 'file' }, problems: error.problems });
      }
      throw error;
    }
  });

  app.get('/api/v1/rosters', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const rosters = await listRosters(db, { department: staff.department ?? undefined });
    return { rosters: rosters.map((r) => ({ ...r, imported_at: new Date(r.imported_at).toISOString() })) };
  });

  app.get('/api/v1/persons/:id/identities', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const { id } = parseWith(idParams, request.params, 'params');
    await requirePersonInReach(db, staff, { id, division_code: await personDivision(db, id) });
    const rows = await identityHistory(db, id);
    return {
      personId: id,
      identities: rows.map((r) => ({
        id: r.id, identity: r.identity, department: r.department, validFrom: r.valid_from, validTo: r.valid_to, source: r.source,
        inForce: r.ended_at === null, endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null, endedBy: r.ended_by,
      })),
    };
  });

  app.post('/api/v1/campaigns/:year/open', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.write');
    const { year: y } = parseWith(yearParams, request.params, 'params');
    const body = parseWith(campaignOpenSchema, request.body);
    const scope = body.division ?? staff.divisionCode;
    requireDivision(staff, scope);
    return openCampaign(db, deps.policies, { year: y, division: scope, actor: `staff:${staff.username}` });
  });

  app.get('/api/v1/campaigns/:year', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const { year: y } = parseWith(yearParams, request.params, 'params');
    const q = parseWith(z.object({ division: division.optional() }), request.query, 'query');
    const scope = q.division ?? staff.divisionCode;
    requireDivision(staff, scope);
    return campaignStatusOf(db, y, scope);
  });

  app.post('/api/v1/enrollments/:personId/:year/cancellation', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.write');
    const p = parseWith(z.strictObject({ personId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), year }), request.params, 'params');
    const body = parseWith(reversalSchema, request.body);
    requireDivision(staff, await personDivision(db, p.personId));
    return cancelEnrollment(db, { personId: p.personId, year: p.year, reason: body.reason, actor: `staff:${staff.username}` });
  });

  app.post('/api/v1/payments', async (request, reply) => {
    const staff = await requireStaff(db, request, 'payment.write');
    const body = parseWith(paymentSchema, request.body);
    requireDivision(staff, await personDivision(db, body.personId));
    const result = await recordPayment(db, deps.policies, {
      personId: body.personId, year: body.year, amount: body.amount, department: body.department ?? null,
      method: body.method, reference: body.reference ?? null, paidOn: body.paidOn, exemption: body.exemption ?? null, actor: `staff:${staff.username}`,
    });
    return reply.status(201).send({ payment: result.payment, enrollment: result.enrollment, cover: result.cover, receiptUrl: `/api/v1/payments/${result.payment.id}/receipt` });
  });

  app.post('/api/v1/payments/:id/reversal', async (request) => {
    const staff = await requireStaff(db, request, 'payment.write');
    const { id } = parseWith(idParams, request.params, 'params');
    const body = parseWith(paymentReversalSchema, request.body);
    const rows = await db.query<{ person_id: number }>('SELECT person_id FROM payments WHERE id = $1', [id]);
    if (rows[0]) requireDivision(staff, await personDivision(db, rows[0].person_id));
    const r = { paymentId: id, reason: body.reason, actor: `staff:${staff.username}` };
    return body.dryRun ? previewPaymentReversal(db, r) : reversePayment(db, r);
  });

  app.post('/api/v1/payment-batches', async (request, reply) => {
    const staff = await requireStaff(db, request, 'payment.write');
    const body = parseWith(batchSchema, request.body);
    const scope = body.division ?? staff.divisionCode;
    requireDivision(staff, scope);
    const result = await payRoster(db, deps.policies, {
      year: body.year, rosterId: body.rosterId, department: body.department, division: scope,
      reference: body.reference ?? null, paidOn: body.paidOn, actor: `staff:${staff.username}`,
    });
    return reply.status(result.replayed ? 200 : 201).send(result);
  });

  app.get('/api/v1/persons/:id/payments', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const { id } = parseWith(idParams, request.params, 'params');
    const q = parseWith(z.object({ year }), request.query, 'query');
    requireDivision(staff, await personDivision(db, id));
    const enrollment = (await db.query('SELECT *, cover_from::text AS cover_from FROM enrollments WHERE person_id = $1 AND year = $2', [id, q.year]))[0] ?? null;
    return { personId: id, year: q.year, enrollment, payments: await paymentsOf(db, [id], q.year) };
  });
}
