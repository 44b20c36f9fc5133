/**
 * A resident's own receipts (issue 13): the payments of a year, each with its
 * receipt number, and the receipt as a PDF in Chinese or Tibetan. Only the
 * signed-in person's payments: another's answers 404, as an unknown one does.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bureauMinute } from '../../domain/bureau-time.ts';
import { DomainError, notFound, unauthorized } from '../../domain/errors.ts';
import { PdfFonts, type PdfFontSettings } from '../../service/pdf-fonts.ts';
import { receiptData } from '../../service/payment-receipt.ts';
import { receiptPdf } from '../../service/payment-receipt-pdf.ts';
import { RECEIPT_LANGUAGES } from '../../service/payment-receipt-words.ts';
import { sessionResident } from '../../service/resident-auth.ts';
import type { Db } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import { paymentsOf } from '../../store/repositories/payments.ts';
import { parseWith } from '../errors.ts';
import { residentToken } from './resident.ts';

export const residentPaymentsQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const residentReceiptQuery = z.strictObject({ lang: z.enum(RECEIPT_LANGUAGES).default('zh-CN') });
const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function residentReceiptRoutes(app: FastifyInstance, deps: { db: Db; pdfFonts?: PdfFontSettings | undefined }): void {
  const { db } = deps;
  const signedIn = async (request: FastifyRequest) => {
    const token = residentToken(request);
    if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in with your ID number first');
    return sessionResident(db, token);
  };

  app.get('/api/v1/me/payments', async (request) => {
    const me = await signedIn(request);
    const { year } = parseWith(residentPaymentsQuery, request.query, 'query');
    const items = (await paymentsOf(db, [me.id], year)).map((p) => ({
      id: Number(p.id), receiptNo: p.receipt_no, year: p.year, amount: Number(p.amount_fen), paidOn: p.paid_on, kind: p.kind, reversed: p.reversed_at !== null,
    }));
    return { year, items };
  });

  app.get('/api/v1/me/payments/:id/receipt', async (request, reply) => {
    const me = await signedIn(request);
    const { id } = parseWith(idParams, request.params, 'params');
    const { lang } = parseWith(residentReceiptQuery, request.query, 'query');
    const data = await receiptData(db, id).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'UNKNOWN_PAYMENT') return null;
      throw error;
    });
    if (!data || data.person_id !== me.id) throw notFound('UNKNOWN_PAYMENT', `you have no payment ${id}`, 'id');
    await audit(db, { actor: `resident:${me.id}`, action: 'resident.receipt', entity: 'payment', entityId: id, detail: { receiptNo: data.receipt_no, lang } });
    const pdf = await receiptPdf(data, lang, bureauMinute(new Date()), new PdfFonts(deps.pdfFonts ?? { systemFonts: true }));
    void reply.header('content-disposition', `inline; filename="receipt-${data.receipt_no}-${lang}.pdf"`);
    return reply.type('application/pdf').send(pdf);
  });
}
