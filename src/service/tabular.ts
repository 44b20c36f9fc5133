/**
 * Tables in and out of files: CSV (RFC 4180, UTF-8 with or without BOM) and
 * XLSX (the first worksheet on reading). Cells are read as text; dates typed
 * into Excel come back as ISO dates. Every import from outside (rosters,
 * divisions, household registers) reads through readTable, which caps the
 * size a file unpacks to (from the zip's directory, before inflating), its
 * rows and its columns (issue 10, finding 9).
 */
import ExcelJS from 'exceljs';
import { invalid, tooLarge } from '../domain/errors.ts';
import { readXlsx } from './xlsx-reader.ts';

export interface TableLimits {
  /** The most a file may unpack to (XLSX: all its parts; CSV: the file). */
  readonly maxBytes: number;
  /** Data rows below the header. */
  readonly maxRows: number;
  readonly maxColumns: number;
}

/** 48 MB holds about 180,000 roster rows as XLSX (100,000 unpack to 26 MB). */
export const DEFAULT_TABLE_LIMITS: TableLimits = { maxBytes: 48_000_000, maxRows: 200_000, maxColumns: 100 };

export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The format a file name says it has. */
export function formatOfFile(name: string): TableFormat {
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  if (/\.(csv|txt)$/i.test(name)) return 'csv';
  throw invalid('UNKNOWN_FORMAT', `cannot tell the format of "${name}": use a .csv or .xlsx file`, 'file');
}

const tooManyRows = (limits: TableLimits) => tooLarge('TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows; split it into smaller files`, 'file');

/** Parses CSV text: quoted fields may hold commas, quotes ("") and line breaks. Stops at the first row past the limits. */
export function parseCsv(text: string, limits: TableLimits = DEFAULT_TABLE_LIMITS): string[][] {
  const rows: string[][] = [];
  const pushRow = (r: string[]) => {
    if (rows.length > limits.maxRows) throw tooManyRows(limits);
    if (r.length > limits.maxColumns) throw tooLarge('TOO_MANY_COLUMNS', `row ${rows.length + 1} has more than ${limits.maxColumns} columns`, 'file');
    rows.push(r);
  };
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      pushRow(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw invalid('INVALID_CSV', 'the CSV file ends inside a quoted field', 'file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    pushRow(row);
  }
  return rows;
}

/** A cell for CSV: quoted when needed; a leading =,+,-,@ is neutralised so spreadsheets never run it as a formula. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface Sheet {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

/** CSV with a BOM, so Excel opens Chinese text as UTF-8. */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [sheet.columns, ...sheet.rows].map((r) => r.map(csvCell).join(','));
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sanbao';
  for (const s of sheets) {
    const ws = workbook.addWorksheet(s.name.slice(0, 31));
    ws.addRow([...s.columns]).font = { bold: true };
    for (const r of s.rows) ws.addRow([...r]);
    ws.columns.forEach((c, i) => {
      c.width = Math.min(40, Math.max(10, (s.columns[i]?.length ?? 8) + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The first worksheet as rows of text, within the limits. */
export async function parseXlsx(content: Buffer, limits: TableLimits = DEFAULT_TABLE_LIMITS): Promise<string[][]> {
  return await readXlsx(content, limits);
}

/** A table from a file, refused (413 FILE_TOO_LARGE, TOO_MANY_ROWS, TOO_MANY_COLUMNS) past the limits before it is unpacked whole. */
export async function readTable(content: Buffer, format: TableFormat, limits: TableLimits = DEFAULT_TABLE_LIMITS): Promise<string[][]> {
  if (format === 'xlsx') return parseXlsx(content, limits);
  if (content.length > limits.maxBytes) {
    throw tooLarge('FILE_TOO_LARGE', `the file is ${(content.length / 1_000_000).toFixed(1)} MB; the limit is ${Math.floor(limits.maxBytes / 1_000_000)} MB (split it)`, 'file');
  }
  return parseCsv(decodeCsv(content), limits);
}

/**
 * CSV text: UTF-8 (with or without BOM), or — when the bytes are not UTF-8 —
 * GB 18030, which Excel on Chinese Windows writes when a sheet is saved as CSV.
 */
export function decodeCsv(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('gb18030').decode(content);
  }
}
