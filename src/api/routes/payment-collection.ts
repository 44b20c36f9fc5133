/**
 * Staff routes for what stands behind a payment: its printable receipt, the
 * tax bureau's collection file, and the reconciliation of the two. Thin:
 * validate, check permission and division, call the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can } from '../../domain/access.ts';
import { forbidden } from '../../domain/errors.ts';
import { TableRejected } from '../../service/division-import.ts';
import { personDivision } from '../../service/enrollment-payments.ts';
import type { PdfFontSettings } from '../../service/pdf-fonts.ts';
import { PdfFonts } from '../../service/pdf-fonts.ts';
import { receiptData, receiptHtml, styleHashOf } from '../../service/payment-receipt.ts';
import { receiptPdf } from '../../service/payment-receipt-pdf.ts';
import { RECEIPT_LANGUAGES } from '../../service/payment-receipt-words.ts';
import { bureauMinute } from '../../domain/bureau-time.ts';
import { CONTENT_SECURITY_POLICY } from '../http-hardening.ts';
import { formatOfFile, TABLE_FORMATS } from '../../service/tabular.ts';
import { importTaxCollections, reconcile } from '../../service/tax-collection.ts';
import type { Db } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';

export const taxImportSchema = z.strictObject({
  fileName: z.string().min(1).max(200),
  format: z.enum(TABLE_FORMATS).optional(),
  /** The tax bureau's file, base64 (columns: README, "The tax bureau's collection file"). */
  contentBase64: z.string().min(1),
  skipBadRows: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const reconcileQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  division: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits').optional(),
  unmask: flag.default('false'),
});
export const receiptQuerySchema = z.strictObject({
  /** html: the print-styled page (both languages); pdf: the PDF in `lang`. */
  format: z.enum(['html', 'pdf']).default('html'),
  lang: z.enum(RECEIPT_LANGUAGES).default('zh-CN'),
});
const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function paymentCollectionRoutes(app: FastifyInstance, deps: { db: Db; pdfFonts?: PdfFontSettings | undefined }): void {
  const { db } = deps;
  const pdfFonts = deps.pdfFonts ?? { systemFonts: true };

  app.get('/api/v1/payments/:id/receipt', async (request, reply) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const { id } = parseWith(idParams, request.params, 'params');
    const q = parseWith(receiptQuerySchema, request.query, 'query');
    const data = await receiptData(db, id);
    requireDivision(staff, await personDivision(db, data.person_id));
    await audit(db, { actor: `staff:${staff.username}`, action: 'payment.receipt', entity: 'payment', entityId: id, detail: { personId: data.person_id, receiptNo: data.receipt_no, format: q.format, ...(q.format === 'pdf' ? { lang: q.lang } : {}) } });
    const printedAt = bureauMinute(new Date());
    if (q.format === 'pdf') {
      const pdf = await receiptPdf(data, q.lang, printedAt, new PdfFonts(pdfFonts));
      void reply.header('content-disposition', `inline; filename="receipt-${data.receipt_no}-${q.lang}.pdf"`);
      return reply.type('application/pdf').send(pdf);
    }
    const html = receiptHtml(data, printedAt);
    // The page carries its own stylesheet: allowed by its hash, nothing else inline, no script at all.
    void reply.header('content-security-policy', CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' ${styleHashOf(html)}`).replace("script-src 'self'", "script-src 'none'"));
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.post('/api/v1/tax-collections', { bodyLimit: 64 * 1_048_576 }, async (request, reply) => {
    const staff = await requireStaff(db, request, 'payment.write');
    const body = parseWith(taxImportSchema, request.body);
    try {
      const result = await importTaxCollections(db, {
        fileName: body.fileName, format: body.format ?? formatOfFile(body.fileName), content: Buffer.from(body.contentBase64, 'base64'),
        skipBadRows: body.skipBadRows, dryRun: body.dryRun, actor: `staff:${staff.username}`,
      });
      return reply.status(result.importId === null ? 200 : 201).send(result);
    } catch (error) {
      if (error instanceof TableRejected) {
        return reply.status(422).send({ error: { code: error.code, message: `${error.what} refused, nothing imported: ${error.problems.length} bad row(s)`, field: 'file' }, problems: error.problems });
      }
      throw error;
    }
  });

  app.get('/api/v1/tax-collections/reconciliation', async (request) => {
    const staff = await requireStaff(db, request, 'enrollment.read');
    const q = parseWith(reconcileQuerySchema, request.query, 'query');
    const scope = q.division ?? staff.divisionCode;
    requireDivision(staff, scope);
    if (q.unmask && !can(staff, 'person.unmask')) throw forbidden('NOT_PERMITTED', `role ${staff.role} may not person.unmask`);
    const result = await reconcile(db, { year: q.year, division: scope, unmask: q.unmask });
    if (q.unmask) await audit(db, { actor: `staff:${staff.username}`, action: 'person.unmask', entity: 'tax_reconciliation', entityId: q.year, detail: { division: scope, lines: result.lines.length } });
    return result;
  });
}
