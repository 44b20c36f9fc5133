/**
 * The payment receipt as a PDF (缴费凭证 / དངུལ་སྤྲོད་ལག་ཁྱེར།), in Chinese or in
 * Tibetan: the title in both, the lines in the reader's language, the fonts
 * embedded (pdf-fonts.ts finds them: a full system font, else the npm ones),
 * so it prints the same anywhere. A4, one page.
 */
import { renderPdf } from './pdf-document.ts';
import { PdfFonts, writeText } from './pdf-fonts.ts';
import { RECEIPT_WORDS, receiptLines, type ReceiptLanguage, type ReceiptRow } from './payment-receipt-words.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 56 } as const;

/** The receipt as PDF bytes. `printedAt` is shown as given (Beijing time, minutes). */
export function receiptPdf(r: ReceiptRow, lang: ReceiptLanguage, printedAt: string, fonts: PdfFonts): Promise<Buffer> {
  const w = RECEIPT_WORDS[lang];
  const other = RECEIPT_WORDS[lang === 'bo' ? 'zh-CN' : 'bo'];
  const options = {
    size: [PAGE.width, PAGE.height], margin: PAGE.margin,
    info: { Title: `${RECEIPT_WORDS['zh-CN'].title} ${r.receipt_no}`, Author: 'Sanbao', Subject: r.receipt_no },
    lang: lang === 'bo' ? 'bo' : 'zh-CN',
  };
  return renderPdf(options, (doc) => {

    const left = PAGE.margin;
    const inner = PAGE.width - 2 * PAGE.margin;
    doc.fontSize(lang === 'bo' ? 15 : 18);
    writeText(doc, fonts, w.title, { x: left, y: PAGE.margin }, { width: inner, align: 'center' });
    doc.fontSize(10).moveDown(0.2);
    writeText(doc, fonts, other.title, { x: left, y: doc.y }, { width: inner, align: 'center' });
    doc.fontSize(10).moveDown(0.6);
    writeText(doc, fonts, `No. ${r.receipt_no}`, { x: left, y: doc.y }, { width: inner, align: 'right' });
    doc.moveDown(0.4);

    // The table: label and value side by side, each row as tall as its taller cell.
    const labelWidth = Math.round(inner * 0.4);
    const pad = 5;
    let y = doc.y;
    doc.lineWidth(0.6).moveTo(left, y).lineTo(left + inner, y).stroke();
    for (const line of receiptLines(r, lang)) {
      doc.fontSize(11);
      writeText(doc, fonts, w[line.key], { x: left + pad, y: y + pad }, { width: labelWidth - 2 * pad });
      const labelBottom = doc.y;
      doc.fontSize(line.key === 'amount' ? 14 : 11);
      writeText(doc, fonts, line.value, { x: left + labelWidth + pad, y: y + pad }, { width: inner - labelWidth - 2 * pad });
      const bottom = Math.max(labelBottom, doc.y) + pad;
      doc.rect(left, y, inner, bottom - y).stroke();
      doc.moveTo(left + labelWidth, y).lineTo(left + labelWidth, bottom).stroke();
      y = bottom;
    }

    if (r.reversed_at) {
      y += 12;
      doc.save().strokeColor('#b00000').fillColor('#b00000').lineWidth(1.5);
      doc.fontSize(13);
      writeText(doc, fonts, `${w.reversed} · ${other.reversed} · REVERSED`, { x: left, y: y + 6 }, { width: inner, align: 'center' });
      doc.rect(left, y, inner, doc.y - y + 4).stroke().restore();
      y = doc.y + 4;
    }
    doc.fillColor('#333333').fontSize(8.5);
    writeText(doc, fonts, `${w.clerk}: ${r.recorded_by} · ${w.printed} ${printedAt} · ${w.platform}`, { x: left, y: y + 16 }, { width: inner });
  });
}
