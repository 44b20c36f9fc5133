/**
 * Tables in and out of files: CSV (RFC 4180, UTF-8 with or without BOM) and
 * XLSX (the first worksheet on reading). Cells are read as text; dates typed
 * into Excel come back as ISO dates.
 */
import ExcelJS from 'exceljs';
import { invalid } from '../domain/errors.ts';

export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The format a file name says it has. */
export function formatOfFile(name: string): TableFormat {
  if (/\.xlsx$/i.test(name)) return 'xlsx';
  if (/\.(csv|txt)$/i.test(name)) return 'csv';
  throw invalid('UNKNOWN_FORMAT', `cannot tell the format of "${name}": use a .csv or .xlsx file`, 'file');
}

/** Parses CSV text: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
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
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw invalid('INVALID_CSV', 'the CSV file ends inside a quoted field', 'file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
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

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

/** The first worksheet as rows of text. */
export async function parseXlsx(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    throw invalid('INVALID_XLSX', `not a readable XLSX file (${(error as Error).message})`, 'file');
  }
  const ws = workbook.worksheets[0];
  if (!ws) throw invalid('INVALID_XLSX', 'the workbook has no worksheet', 'file');
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, number) => {
    const values = row.values as ExcelJS.CellValue[];
    rows[number - 1] = values.slice(1).map(cellText);
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}

export async function readTable(content: Buffer, format: TableFormat): Promise<string[][]> {
  return format === 'xlsx' ? parseXlsx(content) : parseCsv(content.toString('utf8'));
}
