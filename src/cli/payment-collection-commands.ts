/**
 * `sanbao payment receipt|tax-import|reconcile`: a payment's printable receipt,
 * the tax bureau's collection file, and its reconciliation with Sanbao's own
 * payments. Callers of the same services as the API.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatYuan } from '../domain/money.ts';
import { bureauMinute } from '../domain/bureau-time.ts';
import { PdfFonts } from '../service/pdf-fonts.ts';
import { receiptData, receiptHtml } from '../service/payment-receipt.ts';
import { receiptPdf } from '../service/payment-receipt-pdf.ts';
import { RECEIPT_LANGUAGES, type ReceiptLanguage } from '../service/payment-receipt-words.ts';
import { formatOfFile } from '../service/tabular.ts';
import { importTaxCollections, reconcile } from '../service/tax-collection.ts';
import { divisionOf, options, required, yearOf } from './args.ts';
import { withDatabase } from './database.ts';
import { defaultDivision } from './enrollment-commands.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

const USAGE =
  'sanbao payment receipt --id N [--out FILE.html|FILE.pdf] [--format html|pdf] [--lang zh-CN|bo] | payment tax-import FILE [--dry-run] [--skip-bad-rows] | payment reconcile --year Y [--division CODE] [--json]';

export async function paymentCollectionCommand(io: Io, sub: string, rest: string[]): Promise<number> {
  const { values, positionals } = options(rest, {
    id: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-bad-rows': { type: 'boolean' },
    year: { type: 'string' }, division: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' }, lang: { type: 'string' },
  }, USAGE);
  if (sub === 'receipt') {
    const id = Number(required(values.id, 'id', USAGE));
    if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('--id must be a payment number');
    const format = values.format ?? (typeof values.out === 'string' && values.out.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html');
    if (format !== 'html' && format !== 'pdf') throw new UsageError('--format is html or pdf');
    const lang = (values.lang ?? 'zh-CN') as ReceiptLanguage;
    if (!RECEIPT_LANGUAGES.includes(lang)) throw new UsageError(`--lang is ${RECEIPT_LANGUAGES.join(' or ')}`);
    if (format === 'pdf' && typeof values.out !== 'string') throw new UsageError('a PDF receipt needs --out FILE.pdf');
    return withDatabase(async (db, config) => {
      const data = await receiptData(db, id);
      const printedAt = bureauMinute(new Date());
      if (format === 'pdf') {
        writeFileSync(values.out!, await receiptPdf(data, lang, printedAt, new PdfFonts(config.pdfFonts)));
        io.out(`receipt ${data.receipt_no} of payment #${id} written to ${values.out} (PDF, ${lang})`);
        return EXIT_OK;
      }
      const html = receiptHtml(data, printedAt);
      if (typeof values.out === 'string') {
        writeFileSync(values.out, html);
        io.out(`receipt of payment #${id} written to ${values.out} (open it in a browser to print)`);
      } else io.out(html);
      return EXIT_OK;
    });
  }
  if (sub === 'tax-import') {
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError(`give one tax collection file (usage: ${USAGE})`);
    const content = readInputFile(file);
    const progress = progressBar();
    return withDatabase(async (db) => {
      const r = await importTaxCollections(db, {
        fileName: basename(file), format: formatOfFile(file), content, skipBadRows: values['skip-bad-rows'] === true, dryRun: values['dry-run'] === true, actor: 'cli',
        onProgress: (stage, done, total) => progress.update(stage, done, total),
      }).then(
        (result) => (progress.finish(), result),
        (error: unknown) => {
          // A refused file is bad input: its one line on stderr is the error, not a progress line before it.
          progress.abandon();
          throw error;
        },
      );
      io.out(`${r.dryRun ? 'dry run, nothing written: ' : r.importId ? `tax import #${r.importId}: ` : 'nothing new: '}${r.rowsTotal} rows, ${r.imported} vouchers new ` +
        `(${formatYuan(r.amount)} yuan), ${r.alreadyImported} imported before; years ${r.years.join(', ') || '—'}`);
      for (const p of r.skipped) io.out(`  skipped row ${p.row}: ${p.reason}`);
      return EXIT_OK;
    });
  }
  if (sub === 'reconcile') {
    const year = yearOf(values.year, USAGE);
    return withDatabase(async (db) => {
      const division = await defaultDivision(db, divisionOf(values.division));
      const r = await reconcile(db, { year, division, unmask: false });
      if (values.json) {
        io.out(JSON.stringify(r));
        return EXIT_OK;
      }
      io.out(`reconciliation ${year}, ${division}: ${r.counts.matched} matched, ${r.counts.only_in_tax} only in the tax file, ` +
        `${r.counts.only_in_sanbao} only in Sanbao, ${r.counts.amount_differs} amount differs; tax ${formatYuan(r.totals.tax)} yuan, Sanbao ${formatYuan(r.totals.sanbao)} yuan`);
      for (const l of r.lines) {
        io.out(`  ${l.status.padEnd(14)} ${l.idNumber}  ${l.divisionCode ?? 'not in the register'}  tax ${l.tax === null ? '—' : formatYuan(l.tax)}  ` +
          `Sanbao ${l.sanbao === null ? '—' : formatYuan(l.sanbao)}`);
      }
      return EXIT_OK;
    });
  }
  throw new UsageError(`usage: ${USAGE}`);
}
