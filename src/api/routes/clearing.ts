/**
 * Clearing routes: staff clear a month or a year end, list clearings, set a
 * hospital's bank account, make bank batches and download their files;
 * hospitals list their clearings and download their statements.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../domain/errors.ts';
import { batchFile, createClearingBatch, setFacilityAccount } from '../../service/bank-batches.ts';
import { chinaToday, clearMonthFor, clearYearEndFor } from '../../service/clearing.ts';
import { statementCsv, statementPdf } from '../../service/clearing-statement.ts';
import { PdfFonts, type PdfFontSettings } from '../../service/pdf-fonts.ts';
import { createPayoutBatch } from '../../service/assistance-payouts.ts';
import { findClearing, listClearings, type ClearingRow } from '../../store/repositories/clearings.ts';
import { listBankBatches } from '../../store/repositories/bank.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';
import type { FundRouteDeps } from './fund.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const clearMonthBody = z.strictObject({ month: z.string(), facility: z.string().max(32).optional() });
export const yearEndBody = z.strictObject({ facility: z.string().max(32), year: z.number().int(), assessment: z.union([z.string(), z.number()]) });
export const clearingListQuery = z.strictObject({
  period: z.string().regex(/^\d{4}(-\d{2})?$/, 'a month such as 2025-06 or a year').optional(),
  facilityId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  kind: z.enum(['monthly', 'year_end']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const statementQuery = z.strictObject({ format: z.enum(['csv', 'pdf']).default('csv') });
export const bankAccountBody = z.strictObject({ accountNumber: z.string().max(64), accountName: z.string().max(100), bankName: z.string().max(100) });
export const batchBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('clearing'), period: z.string().regex(/^\d{4}(-\d{2})?$/, 'a month such as 2025-06 or a year'), reference: z.string() }),
  z.strictObject({ kind: z.literal('payout'), reference: z.string() }),
]);
export const fileQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') });

export function presentClearing(c: ClearingRow) {
  return {
    id: c.id, facility: { id: c.facility_id, code: c.facility_code, name: c.facility_name, level: c.facility_level }, kind: c.kind, period: c.period,
    year: c.year, policyId: c.policy_id, bills: c.bills, detail: c.detail, reviewDeductions: c.review_deductions, drgDifference: c.drg_difference,
    depositRate: c.deposit_rate_bp, depositWithheld: c.deposit_withheld, depositReleased: c.deposit_released, depositForfeited: c.deposit_forfeited,
    overBudget: c.over_budget, payments: c.payments, net: c.net_fen, batchId: c.batch_id, clearedBy: c.cleared_by, clearedAt: new Date(c.cleared_at).toISOString(),
  };
}

async function sendStatement(reply: FastifyReply, c: ClearingRow, format: 'csv' | 'pdf', fonts: PdfFontSettings | undefined) {
  const name = `clearing-${c.facility_code}-${c.period}.${format}`;
  void reply.header('content-disposition', `attachment; filename="${name}"`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(statementCsv(c));
  return reply.type('application/pdf').send(await statementPdf(c, new PdfFonts(fonts ?? { systemFonts: true })));
}

export function clearingRoutes(app: FastifyInstance, deps: FundRouteDeps): void {
  const { db } = deps;
  const facilityOf = facilityAuthenticator(db);
  const today = deps.today ?? (() => chinaToday());
  const actor = (s: { username: string }) => `staff:${s.username}`;

  app.post('/api/v1/fund/clearings', async (request, reply) => {
    const staff = await requireStaff(db, request, 'clearing.manage');
    const body = parseWith(clearMonthBody, request.body);
    const result = await clearMonthFor(deps, { ...body, actor: actor(staff), today: today() });
    return reply.status(201).send({ cleared: result.cleared.map(presentClearing), alreadyCleared: result.alreadyCleared });
  });

  app.post('/api/v1/fund/clearings/year-end', async (request, reply) => {
    const staff = await requireStaff(db, request, 'clearing.manage');
    const body = parseWith(yearEndBody, request.body);
    return reply.status(201).send(presentClearing(await clearYearEndFor(deps, { ...body, actor: actor(staff), today: today() })));
  });

  app.get('/api/v1/fund/clearings', async (request) => {
    const staff = await requireStaff(db, request, 'reports.read');
    const query = parseWith(clearingListQuery, request.query, 'query');
    return { items: (await listClearings(db, { ...query, divisionPrefix: staff.divisionCode })).map(presentClearing) };
  });

  app.get('/api/v1/fund/clearings/:id/statement', async (request, reply) => {
    await requireStaff(db, request, 'reports.read');
    const { id } = parseWith(idParam, request.params, 'params');
    const { format } = parseWith(statementQuery, request.query, 'query');
    const c = await findClearing(db, id);
    if (!c) throw notFound('UNKNOWN_CLEARING', `no clearing ${id}`, 'id');
    return sendStatement(reply, c, format, deps.pdfFonts);
  });

  app.put('/api/v1/fund/facilities/:code/bank-account', async (request) => {
    const staff = await requireStaff(db, request, 'clearing.manage');
    const { code } = parseWith(z.object({ code: z.string().max(32) }), request.params, 'params');
    const body = parseWith(bankAccountBody, request.body);
    return setFacilityAccount(db, deps.bankKey, { facility: code, ...body, actor: actor(staff) });
  });

  app.post('/api/v1/fund/bank-batches', async (request, reply) => {
    const body = parseWith(batchBody, request.body);
    const staff = await requireStaff(db, request, body.kind === 'clearing' ? 'clearing.manage' : 'payout.manage');
    const batch = body.kind === 'clearing'
      ? await createClearingBatch(db, { period: body.period, reference: body.reference, actor: actor(staff), divisionPrefix: staff.divisionCode })
      : await createPayoutBatch(db, staff, body.reference);
    return reply.status(201).send({ ...batch, created_at: new Date(batch.created_at).toISOString() });
  });

  app.get('/api/v1/fund/bank-batches', async (request) => {
    await requireStaff(db, request, 'reports.read');
    return { items: await listBankBatches(db, 100) };
  });

  app.get('/api/v1/fund/bank-batches/:id/file', async (request, reply) => {
    const staff = await requireStaff(db, request, 'clearing.manage');
    const { id } = parseWith(idParam, request.params, 'params');
    const { format } = parseWith(fileQuery, request.query, 'query');
    const file = await batchFile(db, deps.bankKey, id, format, actor(staff));
    void reply.header('content-disposition', `attachment; filename="${file.name}"`);
    return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(file.content);
  });

  // Hospitals: their own clearings and statements.
  app.get('/api/v1/clearings', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(clearingListQuery.omit({ facilityId: true }), request.query, 'query');
    return { items: (await listClearings(db, { ...query, facilityId: facility.id })).map(presentClearing) };
  });

  app.get('/api/v1/clearings/:id/statement', async (request, reply) => {
    const facility = await facilityOf(request);
    const { id } = parseWith(idParam, request.params, 'params');
    const { format } = parseWith(statementQuery, request.query, 'query');
    const c = await findClearing(db, id);
    if (!c || c.facility_id !== facility.id) throw notFound('UNKNOWN_CLEARING', `no clearing ${id} of this facility`, 'id');
    return sendStatement(reply, c, format, deps.pdfFonts);
  });
}
