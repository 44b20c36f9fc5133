/**
 * The printable receipt of a payment (缴费凭证 / དངུལ་སྤྲོད་ལག་ཁྱེར།) in Chinese and
 * Tibetan, as a print-styled HTML page (the PDF is payment-receipt-pdf.ts;
 * both say what payment-receipt-words.ts says). The page embeds the shipped
 * Noto Serif Tibetan so it stands alone. Name and ID number are masked;
 * amounts are yuan, from fen.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { notFound } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { RECEIPT_WORDS, receiptLines, type ReceiptRow } from './payment-receipt-words.ts';

export type { ReceiptRow } from './payment-receipt-words.ts';

export async function receiptData(q: Queryable, paymentId: number): Promise<ReceiptRow> {
  const [row] = await q.query<ReceiptRow & Record<string, unknown>>(
    `SELECT pay.id, pay.receipt_no, pay.year, pay.kind, pay.department, pay.amount_fen, pay.method, pay.reference, pay.paid_on::text AS paid_on,
       pay.recorded_by, pay.reversed_at, p.id AS person_id, p.id_number, p.name, p.name_bo, p.division_code, d.name AS division_name, d.name_bo AS division_name_bo,
       e.individual_fen, e.paid_fen, e.status, e.cover_from::text AS cover_from, e.cover_decision
     FROM payments pay JOIN persons p ON p.id = pay.person_id LEFT JOIN divisions d ON d.code = p.division_code
     JOIN enrollments e ON e.person_id = pay.person_id AND e.year = pay.year
     WHERE pay.id = $1`,
    [paymentId],
  );
  if (!row) throw notFound('UNKNOWN_PAYMENT', `no payment ${paymentId}`, 'paymentId');
  return { ...row, amount_fen: Number(row.amount_fen), individual_fen: Number(row.individual_fen), paid_fen: Number(row.paid_fen) };
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

let tibetanFont: string | null | undefined;
/** The Tibetan webfont the console ships, as a data URL (null when the package is missing: the page still prints). */
function tibetanFontUrl(): string | null {
  if (tibetanFont !== undefined) return tibetanFont;
  try {
    const path = createRequire(import.meta.url).resolve('@fontsource/noto-serif-tibetan/files/noto-serif-tibetan-tibetan-400-normal.woff2');
    tibetanFont = `data:font/woff2;base64,${readFileSync(path).toString('base64')}`;
  } catch {
    tibetanFont = null;
  }
  return tibetanFont;
}

/** The hash a Content-Security-Policy names to let the receipt's own stylesheet (and nothing else inline) apply. */
export function styleHashOf(html: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
}

/** The receipt page: each label in Chinese with its Tibetan beneath, each value in both where they differ. */
export function receiptHtml(r: ReceiptRow, printedAt: string): string {
  const font = tibetanFontUrl();
  const zh = receiptLines(r, 'zh-CN');
  const bo = receiptLines(r, 'bo');
  const rows = zh.map((line, i) => {
    const other = bo[i]!.value;
    const value = other === line.value ? escape(line.value) : `${escape(line.value)}<span class="bo" lang="bo">${escape(other)}</span>`;
    const shown = line.key === 'amount' ? `<span class="amount">${value}</span>` : value;
    return `<tr><th><span class="zh">${RECEIPT_WORDS['zh-CN'][line.key]}</span><span class="bo">${RECEIPT_WORDS.bo[line.key]}</span></th><td>${shown}</td></tr>`;
  });
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>缴费凭证 ${escape(r.receipt_no)}</title>
<style>
${font ? `@font-face { font-family: 'Noto Serif Tibetan'; src: url(${font}) format('woff2'); unicode-range: U+0F00-0FFF; }` : ''}
body { font-family: 'Noto Serif Tibetan', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif; margin: 2em; color: #000; }
.receipt { max-width: 42em; margin: auto; border: 2px solid #000; padding: 1.5em 2em; }
h1 { text-align: center; font-size: 1.5em; margin: 0 0 .2em; } h1 .bo { display: block; font-size: .8em; font-weight: normal; }
.no { text-align: right; font-family: monospace; font-size: 1.1em; }
table { width: 100%; border-collapse: collapse; margin-top: 1em; }
th, td { border: 1px solid #444; padding: .45em .6em; text-align: left; vertical-align: top; }
th { width: 38%; font-weight: normal; background: #f3f3f3; } th .bo, td .bo { display: block; font-size: .85em; color: #333; }
.amount { font-size: 1.3em; font-weight: bold; }
.reversed { color: #b00; font-weight: bold; text-align: center; border: 2px solid #b00; padding: .3em; margin-top: 1em; }
footer { margin-top: 1.5em; font-size: .85em; color: #333; }
@media print { body { margin: 0; } .receipt { border-width: 1px; } button { display: none; } th { background: none; } }
</style></head>
<body><div class="receipt">
<h1>${RECEIPT_WORDS['zh-CN'].title}<span class="bo">${RECEIPT_WORDS.bo.title}</span></h1>
<div class="no">No. ${escape(r.receipt_no)}</div>
<table>
${rows.join('\n')}
</table>
${r.reversed_at ? `<div class="reversed">${RECEIPT_WORDS['zh-CN'].reversed} · ${RECEIPT_WORDS.bo.reversed} · REVERSED</div>` : ''}
<footer>${RECEIPT_WORDS['zh-CN'].clerk}：${escape(r.recorded_by)} · ${RECEIPT_WORDS['zh-CN'].printed} ${escape(printedAt)} · ${RECEIPT_WORDS['zh-CN'].platform}</footer>
</div></body></html>`;
}
