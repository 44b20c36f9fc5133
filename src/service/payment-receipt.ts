/**
 * The printable receipt of a payment (缴费凭证 / དངུལ་སྤྲོད་ལག་ཁྱེར།) in Chinese and
 * Tibetan, as a print-styled HTML page. A PDF was the aim, but pdfkit needs a
 * CJK font file and none comes with the installed packages (only the Tibetan
 * webfont does): the browser prints this page to paper or PDF with the
 * system's Chinese font and the shipped Noto Serif Tibetan, embedded here so
 * the page stands alone. The ID number is masked; amounts are yuan, from fen.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { notFound } from '../domain/errors.ts';
import { formatYuan } from '../domain/money.ts';
import { maskIdNumber } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';

interface ReceiptRow {
  id: number;
  receipt_no: string;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount_fen: number;
  method: string;
  reference: string | null;
  paid_on: string;
  recorded_by: string;
  reversed_at: Date | null;
  person_id: number;
  id_number: string;
  name: string;
  name_bo: string | null;
  division_code: string;
  division_name: string | null;
  individual_fen: number;
  paid_fen: number;
  status: string;
  cover_from: string | null;
  cover_decision: { reason: string; waitingMonths: number } | null;
}

export async function receiptData(q: Queryable, paymentId: number): Promise<ReceiptRow> {
  const [row] = await q.query<ReceiptRow & Record<string, unknown>>(
    `SELECT pay.id, pay.receipt_no, pay.year, pay.kind, pay.department, pay.amount_fen, pay.method, pay.reference, pay.paid_on::text AS paid_on,
       pay.recorded_by, pay.reversed_at, p.id AS person_id, p.id_number, p.name, p.name_bo, p.division_code, d.name AS division_name,
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

const METHOD: Record<string, [string, string]> = {
  cash: ['现金', 'དངུལ་དངོས།'], bank: ['银行', 'དངུལ་ཁང་།'], mobile: ['移动支付', 'ཁ་པར་བརྒྱུད་སྤྲོད།'], transfer: ['转账', 'བརྒྱུད་སྤྲོད།'],
};

/** The hash a Content-Security-Policy names to let the receipt's own stylesheet (and nothing else inline) apply. */
export function styleHashOf(html: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
}

/** The receipt page: each label in Chinese with its Tibetan beneath. */
export function receiptHtml(r: ReceiptRow, printedAt: string): string {
  const font = tibetanFontUrl();
  const line = (zh: string, bo: string, value: string) =>
    `<tr><th><span class="zh">${zh}</span><span class="bo">${bo}</span></th><td>${value}</td></tr>`;
  const cover = r.cover_from
    ? `${escape(r.cover_from)}${r.cover_decision?.reason === 'waiting_period' ? `（等待期 ${r.cover_decision.waitingMonths} 个月 / སྒུག་དུས་ཟླ་བ་ ${r.cover_decision.waitingMonths}）` : ''}`
    : '—';
  const [methodZh, methodBo] = METHOD[r.method] ?? [r.method, r.method];
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
th { width: 38%; font-weight: normal; background: #f3f3f3; } th .bo { display: block; font-size: .85em; color: #333; }
.amount { font-size: 1.3em; font-weight: bold; }
.reversed { color: #b00; font-weight: bold; text-align: center; border: 2px solid #b00; padding: .3em; margin-top: 1em; }
footer { margin-top: 1.5em; font-size: .85em; color: #333; }
@media print { body { margin: 0; } .receipt { border-width: 1px; } button { display: none; } th { background: none; } }
</style></head>
<body><div class="receipt">
<h1>城乡居民基本医疗保险缴费凭证<span class="bo">གྲོང་གསེབ་སྡོད་དམངས་གཞི་རྩའི་འཕྲོད་བསྟེན་ཉེན་འགོག་གི་དངུལ་སྤྲོད་ལག་ཁྱེར།</span></h1>
<div class="no">No. ${escape(r.receipt_no)}</div>
<table>
${line('缴费人', 'དངུལ་སྤྲོད་མཁན།', `${escape(r.name)}${r.name_bo ? ` <span lang="bo">${escape(r.name_bo)}</span>` : ''}`)}
${line('身份证号', 'ཐོབ་ཐང་ལག་ཁྱེར་ཨང་།', escape(maskIdNumber(r.id_number)))}
${line('行政区划', 'སྐྱེ་ཁུལ།', `${escape(r.division_name ?? '')} ${escape(r.division_code)}`)}
${line('缴费年度', 'དངུལ་སྤྲོད་ལོ།', String(r.year))}
${line('本次缴费', 'ཐེངས་འདིའི་དངུལ་སྤྲོད།', `<span class="amount">¥ ${formatYuan(r.amount_fen)} 元</span>`)}
${line('个人应缴 / 已缴', 'རང་གིས་སྤྲོད་དགོས། / སྤྲད་ཟིན།', `${formatYuan(r.individual_fen)} 元 / ${formatYuan(r.paid_fen)} 元`)}
${line('缴费方式', 'སྤྲོད་སྟངས།', `${methodZh} <span lang="bo">${methodBo}</span>${r.kind === 'on_behalf' ? ` · 代缴 ${escape(r.department ?? '')}` : ''}`)}
${line('缴费日期', 'སྤྲོད་ཚེས།', escape(r.paid_on))}
${line('待遇享受起始日', 'ཕན་ཐོབ་འགོ་འཛུགས་ཚེས།', cover)}
${r.reference ? line('票据号', 'ཨང་རྟགས།', escape(r.reference)) : ''}
</table>
${r.reversed_at ? '<div class="reversed">已冲正 · ཕྱིར་བཅོས་ཟིན། · REVERSED</div>' : ''}
<footer>经办：${escape(r.recorded_by)} · 打印时间 ${escape(printedAt)} · 三保医疗保障信息平台</footer>
</div></body></html>`;
}
