/**
 * The clearing statement (清算单) a hospital downloads: every part of the
 * clearing, fund by fund, as CSV (amounts in fen and in yuan) or PDF. The PDF
 * prints Chinese with the fonts pdf-fonts.ts finds (a configured or system
 * font, else the npm Noto Sans SC); without any, the English labels alone.
 */
import { renderPdf } from './pdf-document.ts';
import { writeText, type PdfFonts } from './pdf-fonts.ts';
import { formatYuan } from '../domain/money.ts';
import type { ClearingRow } from '../store/repositories/clearings.ts';
import { toCsv } from './tabular.ts';

interface StatementLine {
  readonly zh: string;
  readonly en: string;
  readonly fund: string;
  readonly amount: number;
}

/** The statement's lines, in the order the clearing computes them. */
export function statementLines(c: ClearingRow): StatementLine[] {
  const lines: StatementLine[] = [];
  const part = (zh: string, en: string, amounts: unknown) => {
    for (const [fund, amount] of Object.entries((amounts ?? {}) as Record<string, number>).sort()) if (amount !== 0) lines.push({ zh, en, fund, amount });
  };
  const detail = c.detail as Record<string, unknown>;
  if (c.kind === 'monthly') {
    part('本月结算基金支付', 'fund payments of the month’s settlements', detail.settlements);
    part('冲正', 'reversals', detail.reversals);
    part('重新结算调整', 're-adjudication adjustments', detail.adjustments);
    if (c.review_deductions) lines.push({ zh: '审核扣款', en: 'review deductions', fund: 'basic', amount: -c.review_deductions });
    if (c.drg_difference) lines.push({ zh: 'DRG付费差额', en: 'DRG payment difference', fund: 'basic', amount: c.drg_difference });
    if (c.deposit_withheld) lines.push({ zh: `预留质量保证金 (${c.deposit_rate_bp / 100}%)`, en: `quality deposit withheld (${c.deposit_rate_bp / 100}%)`, fund: 'basic', amount: -c.deposit_withheld });
  } else {
    lines.push({ zh: '返还质量保证金', en: 'quality deposit released', fund: 'basic', amount: c.deposit_released });
    if (c.deposit_forfeited) lines.push({ zh: '考核扣减保证金', en: 'deposit kept after the assessment', fund: 'basic', amount: 0 });
    if (c.over_budget) lines.push({ zh: '超总额预算扣减', en: 'above the budget', fund: 'basic', amount: -c.over_budget });
  }
  return lines;
}

const yuan = (fen: number) => formatYuan(fen).replaceAll(',', '');

export function statementCsv(c: ClearingRow): Buffer {
  const rows: (string | number)[][] = statementLines(c).map((l) => [l.zh, l.en, l.fund, l.amount, yuan(l.amount)]);
  for (const [fund, amount] of Object.entries(c.payments).sort()) rows.push(['本次拨付', 'paid', fund, amount, yuan(amount)]);
  rows.push(['合计拨付', 'net payment', '', c.net_fen, yuan(c.net_fen)]);
  return toCsv({ name: `clearing-${c.id}`, columns: ['项目', 'item', 'fund', 'amount_fen', 'amount_yuan'], rows });
}

export function statementPdf(c: ClearingRow, fonts: PdfFonts): Promise<Buffer> {
  return renderPdf({ size: 'A4', margin: 50, info: { Title: `Clearing ${c.facility_code} ${c.period}`, Author: 'Sanbao' } }, (doc) => {
    const font = fonts.any;
    const label = (zh: string, en: string) => (font ? `${zh}  ${en}` : en);
    const text = (t: string, at: { x?: number; y?: number } = {}, options: PDFKit.Mixins.TextOptions = {}) => writeText(doc, fonts, t, at, options);
    doc.fontSize(16);
    text(label(c.kind === 'monthly' ? '医疗保障基金月度清算单' : '医疗保障基金年终清算单', c.kind === 'monthly' ? 'Monthly clearing statement' : 'Year-end clearing statement'));
    doc.moveDown(0.5).fontSize(10);
    text(`${label('定点医药机构', 'Facility')}: ${c.facility_code}${font ? ` ${c.facility_name}` : ''}`);
    text(`${label('清算期', 'Period')}: ${c.period}    ${label('清算单号', 'Statement')}: CLR-${c.id}    ${label('清算时间', 'Cleared')}: ${new Date(c.cleared_at).toISOString().slice(0, 10)}`);
    doc.moveDown();
    const row = (a: string, fund: string, amount: number | null) => {
      const y = doc.y;
      text(a, { x: 50, y }, { width: 300 });
      const after = doc.y;
      text(fund, { x: 360, y }, { width: 90 });
      text(amount === null ? label('金额(元)', 'Yuan') : yuan(amount), { x: 450, y }, { width: 95, align: 'right' });
      doc.y = Math.max(after, doc.y);
      doc.moveDown(0.3);
    };
    row(label('项目', 'Item'), label('基金', 'Fund'), null);
    for (const l of statementLines(c)) row(label(l.zh, l.en), l.fund, l.amount);
    for (const [fund, amount] of Object.entries(c.payments).sort()) row(label('本次拨付', 'Paid'), fund, amount);
    doc.moveDown(0.5).fontSize(12);
    row(label('合计拨付(元)', 'Net payment (yuan)'), '', c.net_fen);
  });
}
