/**
 * The first worksheet of an XLSX file as rows of text, read in one pass over
 * the few parts it needs (workbook, relationships, shared strings, styles, the
 * sheet). The shared strings and the sheet are inflated a chunk at a time and
 * parsed an element at a time, and reading stops as soon as a row or column
 * limit is passed — instead of building a whole workbook model (ExcelJS took
 * 400 MB for a 62 MB sheet).
 * Cells read as ExcelJS reads them: shared and inline strings, rich text
 * joined, numbers as JavaScript prints them, booleans "true"/"false", dates
 * (numbers in a date format) as ISO dates.
 */
import { invalid, tooLarge } from '../domain/errors.ts';
import { zipDirectory, zipEntryContent, zipEntryText, type ZipEntry } from './zip-entries.ts';

export interface XlsxLimits {
  readonly maxBytes: number;
  /** Data rows below the header. */
  readonly maxRows: number;
  readonly maxColumns: number;
}

const bad = (why: string) => invalid('INVALID_XLSX', `not a readable XLSX file: ${why}`, 'file');

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(raw: string): string {
  // XML end-of-line handling: a literal CR LF or CR is read as LF (an escaped &#13; stays).
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  const decoded = text.includes('&')
    ? text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
        if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
        if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
        return ENTITIES[e] ?? whole;
      })
    : text;
  // Excel escapes control characters as _xHHHH_.
  return decoded.includes('_x') ? decoded.replace(/_x([0-9A-F]{4})_/g, (_w, hex: string) => String.fromCharCode(parseInt(hex, 16))) : decoded;
}

function attribute(attributes: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:\\w+:)?${name}="([^"]*)"`).exec(attributes);
  return m ? decodeXml(m[1]!) : undefined;
}

/** The text of every <t> in a fragment, phonetic runs (<rPh>) left out. */
function textRuns(fragment: string): string {
  const visible = fragment.includes('rPh') ? fragment.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '') : fragment;
  let out = '';
  for (const m of visible.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += decodeXml(m[1]!);
  return out;
}

/**
 * The elements named `tag` (<tag …>…</tag> or <tag …/>) in text arriving in
 * chunks, each yielded whole as soon as it is complete; only the unfinished
 * rest is kept. Fit for elements that do not nest (row, si).
 */
export async function* xmlElements(chunks: AsyncIterable<string>, tag: string): AsyncGenerator<string> {
  const open = new RegExp(`<((?:\\w+:)?)${tag}(?=[\\s>/])`, 'g');
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    let consumed = 0;
    for (;;) {
      open.lastIndex = consumed;
      const m = open.exec(buffer);
      // No element starts here; keep a short tail in case an opening tag is split between chunks.
      if (!m) {
        consumed = Math.max(consumed, buffer.length - 64);
        break;
      }
      const gt = buffer.indexOf('>', m.index);
      if (gt < 0) {
        consumed = m.index;
        break;
      }
      if (buffer[gt - 1] === '/') {
        yield buffer.slice(m.index, gt + 1);
        consumed = gt + 1;
        continue;
      }
      const close = `</${m[1]}${tag}>`;
      const end = buffer.indexOf(close, gt);
      if (end < 0) {
        consumed = m.index;
        break;
      }
      yield buffer.slice(m.index, end + close.length);
      consumed = end + close.length;
    }
    buffer = buffer.slice(consumed);
  }
}

/** An element's opening-tag attributes and its content. */
function split(element: string): { attributes: string; body: string } {
  const gt = element.indexOf('>');
  const selfClosing = element[gt - 1] === '/';
  const nameEnd = element.search(/[\s>/]/);
  return {
    attributes: element.slice(nameEnd, selfClosing ? gt - 1 : gt),
    body: selfClosing ? '' : element.slice(gt + 1, element.lastIndexOf('</')),
  };
}

// Built-in number formats that show dates (ECMA-376 18.8.30, with the CJK ones).
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function isDateFormatCode(code: string): boolean {
  // As ExcelJS decides: date or time letters outside quoted text and [brackets].
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** For each cell style (the s attribute), whether it shows a date. */
function dateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\s([^>]*?)\/?>/g)) custom.set(Number(attribute(m[1]!, 'numFmtId')), attribute(m[1]!, 'formatCode') ?? '');
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  return [...cellXfs.matchAll(/<(?:\w+:)?xf\s([^>]*?)\/?>/g)].map((m) => {
    const id = Number(attribute(m[1]!, 'numFmtId') ?? 0);
    return DATE_FORMAT_IDS.has(id) || (custom.has(id) && isDateFormatCode(custom.get(id)!));
  });
}

/** An Excel serial day as an ISO date, as ExcelJS converts it. */
function serialDate(serial: number, date1904: boolean): string {
  const ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(serial) : date.toISOString().slice(0, 10);
}

/** A1 → 0; the column of a cell reference. */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

export async function readXlsx(zip: Buffer, limits: XlsxLimits): Promise<string[][]> {
  const entries = zipDirectory(zip, { maxBytes: limits.maxBytes, maxEntries: 10_000 });
  const part = (name: string): string | undefined => {
    const entry: ZipEntry | undefined = entries.get(name);
    return entry ? zipEntryContent(zip, entry).toString('utf8') : undefined;
  };
  const workbook = part('xl/workbook.xml');
  if (workbook === undefined) throw bad('no workbook inside (is it an .xlsx spreadsheet?)');
  const rels = new Map<string, { type: string; target: string }>();
  for (const m of (part('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<(?:\w+:)?Relationship\s([^>]*?)\/?>/g)) {
    rels.set(attribute(m[1]!, 'Id') ?? '', { type: attribute(m[1]!, 'Type') ?? '', target: resolveTarget(attribute(m[1]!, 'Target') ?? '') });
  }
  const firstSheet = /<(?:\w+:)?sheet\s([^>]*?)\/?>/.exec(workbook);
  if (!firstSheet) throw bad('the workbook has no worksheet');
  const sheetPath = rels.get(attribute(firstSheet[1]!, 'id') ?? '')?.target ?? 'xl/worksheets/sheet1.xml';
  const sheet = entries.get(sheetPath);
  if (sheet === undefined) throw bad(`the first worksheet (${sheetPath}) is missing`);
  const relOf = (type: string) => [...rels.values()].find((r) => r.type.endsWith(`/${type}`))?.target;
  const strings: string[] = [];
  const stringsEntry = entries.get(relOf('sharedStrings') ?? 'xl/sharedStrings.xml');
  if (stringsEntry) for await (const si of xmlElements(zipEntryText(zip, stringsEntry), 'si')) strings.push(textRuns(split(si).body));
  const dates = dateStyles(part(relOf('styles') ?? 'xl/styles.xml'));
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\sdate1904="(1|true)"/.test(workbook);

  const rows: string[][] = [];
  let next = 0;
  for await (const element of xmlElements(zipEntryText(zip, sheet), 'row')) {
    const row = split(element);
    const r = attribute(row.attributes, 'r');
    const index = r === undefined ? next : Number(r) - 1;
    if (!Number.isInteger(index) || index < 0) throw bad(`a row numbered "${r}"`);
    // The header is index 0: data rows run to maxRows.
    if (index > limits.maxRows) throw tooLarge('TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows; split it into smaller files`, 'file');
    next = index + 1;
    rows[index] = cellsOf(row.body, strings, dates, date1904, limits);
  }
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}

function cellsOf(body: string, strings: readonly string[], dates: readonly boolean[], date1904: boolean, limits: XlsxLimits): string[] {
  const cells: string[] = [];
  let column = 0;
  for (const c of body.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
    const attrs = c[1]!;
    const ref = attribute(attrs, 'r');
    column = ref === undefined ? column : columnOf(ref);
    if (column >= limits.maxColumns) throw tooLarge('TOO_MANY_COLUMNS', `a row has more than ${limits.maxColumns} columns`, 'file');
    const content = c[2] ?? '';
    const v = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(content)?.[1];
    const type = attribute(attrs, 't') ?? 'n';
    let text = '';
    if (type === 'inlineStr') text = textRuns(/<(?:\w+:)?is>([\s\S]*?)<\/(?:\w+:)?is>/.exec(content)?.[1] ?? '');
    else if (v === undefined || type === 'e') text = '';
    else if (type === 's') text = strings[Number(v)] ?? '';
    else if (type === 'str') text = decodeXml(v);
    else if (type === 'b') text = v.trim() === '1' ? 'true' : 'false';
    else if (type === 'd') text = decodeXml(v).slice(0, 10);
    else {
      const n = Number(v);
      text = Number.isNaN(n) ? decodeXml(v) : dates[Number(attribute(attrs, 's') ?? 0)] ? serialDate(n, date1904) : String(n);
    }
    while (cells.length < column) cells.push('');
    cells[column] = text;
    column += 1;
  }
  return cells;
}
