/** A PDF drawn on a new PDFKit document, collected as bytes: what the receipt and the clearing statement share. */
import PDFDocument from 'pdfkit';

/** Draws on a new document with `options`, ends it, and resolves with its bytes; an error while drawing or writing rejects. */
export function renderPdf(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc); // a throw here rejects: the Promise executor catches it
    doc.end();
  });
}
