/**
 * Issue 10, finding 9: a 325 KB XLSX roster that unzipped to 62 MB stalled the
 * server for 10 s and grew it by 400 MB. Every tabular import reads files
 * through readTable, which caps the unpacked size (from the zip's central
 * directory, before inflating anything), the rows and the columns.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.ts';
import { DEFAULT_TABLE_LIMITS, readTable, toXlsx, type Sheet } from '../src/service/tabular.ts';
import { xmlElements } from '../src/service/xlsx-reader.ts';
import { workbookWithSheetData, xlsxBomb } from './support/zip-bomb.ts';

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('limits of the tabular reader', () => {
  it('refuses a 220 KB XLSX that unpacks to 62 MB from its central directory, before inflating it', async () => {
    const bomb = xlsxBomb(620_000);
    expect(bomb.length).toBeLessThan(400_000);
    const before = process.memoryUsage().rss;
    const error = await refusal(readTable(bomb, 'xlsx'));
    expect(error.kind).toBe('too_large');
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toMatch(/unpacks to 6\d\.\d MB.*limit is \d+ MB/);
    // Nothing was unpacked: the process did not grow by the 62 MB (nor ExcelJS's 400 MB).
    expect(process.memoryUsage().rss - before).toBeLessThan(40_000_000);
  });

  it('refuses a zip whose entry inflates beyond the size its directory declares, without inflating the rest', async () => {
    const liar = xlsxBomb(620_000, 2_000);
    const error = await refusal(readTable(liar, 'xlsx'));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('INVALID_XLSX');
    expect(error.message).toMatch(/xl\/worksheets\/sheet1\.xml.*more than the 2000 bytes it declares/);
  });

  it('refuses more rows than the limit, in XLSX and in CSV, naming the limit', async () => {
    const limits = { ...DEFAULT_TABLE_LIMITS, maxRows: 100 };
    const xlsx = await refusal(readTable(xlsxBomb(101), 'xlsx', limits));
    expect([xlsx.kind, xlsx.code]).toEqual(['too_large', 'TOO_MANY_ROWS']);
    expect(xlsx.message).toMatch(/more than 100 rows/);
    expect(await readTable(xlsxBomb(100), 'xlsx', limits)).toHaveLength(101);
    const csv = Buffer.from(['id_number,name,division_code', ...Array.from({ length: 101 }, () => '513330199001011234,X,513330001001')].join('\n'));
    const csvError = await refusal(readTable(csv, 'csv', limits));
    expect([csvError.kind, csvError.code]).toEqual(['too_large', 'TOO_MANY_ROWS']);
    expect(await readTable(csv.subarray(0, csv.lastIndexOf('\n')), 'csv', limits)).toHaveLength(101);
  });

  it('refuses a CSV larger than the limit, and a row number far beyond it in an XLSX', async () => {
    const limits = { ...DEFAULT_TABLE_LIMITS, maxBytes: 1_000 };
    const csv = await refusal(readTable(Buffer.alloc(1_001, 'a'), 'csv', limits));
    expect([csv.kind, csv.code]).toEqual(['too_large', 'FILE_TOO_LARGE']);
    const far = workbookWithSheetData(Buffer.from('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="900000"><c r="A900000" t="inlineStr"><is><t>b</t></is></c></row>'));
    expect((await refusal(readTable(far, 'xlsx'))).code).toBe('TOO_MANY_ROWS');
    const wide = workbookWithSheetData(Buffer.from('<row r="1"><c r="XFD1" t="inlineStr"><is><t>a</t></is></c></row>'));
    expect((await refusal(readTable(wide, 'xlsx'))).code).toBe('TOO_MANY_COLUMNS');
  });

  it('refuses what is not a zip, or not a workbook, as invalid', async () => {
    expect((await refusal(readTable(Buffer.from('PK not really'), 'xlsx'))).code).toBe('INVALID_XLSX');
    expect((await refusal(readTable(Buffer.from('hello'), 'xlsx'))).code).toBe('INVALID_XLSX');
  });
});

describe('elements from text arriving in chunks', () => {
  it('yields every element whole wherever the chunks split it', async () => {
    const element = fc.oneof(
      fc.constant('<row r="1"/>'),
      fc.string({ maxLength: 30 }).map((t) => `<row r="2" spans="1:3"><c t="inlineStr"><is><t>${t.replace(/[<&]/g, '')}</t></is></c></row>`),
      fc.constant('<x:row><x:c><x:v>1</x:v></x:c></x:row>'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(element, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), async (elements, cuts) => {
        const text = `<sheetData><rowBreaks/>${elements.join('<!-- between -->')}</sheetData>`;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length));
        async function* feed() {
          for (const c of chunks) yield c;
        }
        const out: string[] = [];
        for await (const e of xmlElements(feed(), 'row')) out.push(e);
        expect(out).toEqual(elements);
      }),
      { numRuns: 200 },
    );
  });
});

describe('CSV encodings', () => {
  it('reads UTF-8 with or without BOM, and GB 18030 as Excel on Chinese Windows saves CSV', async () => {
    const expected = [['code', 'name'], ['513330', '德格县']];
    expect(await readTable(Buffer.from('code,name\n513330,德格县'), 'csv')).toEqual(expected);
    expect(await readTable(Buffer.from('\ufeffcode,name\r\n513330,德格县\r\n'), 'csv')).toEqual(expected);
    const gbk = Buffer.concat([Buffer.from('code,name\r\n513330,'), Buffer.from([0xb5, 0xc2, 0xb8, 0xf1, 0xcf, 0xd8])]);
    expect(await readTable(gbk, 'csv')).toEqual(expected);
  });
});

describe('the XLSX reader reads what ExcelJS reads', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('次仁多吉', 'བཀྲ་ཤིས་', '<&>"\'', 'a\r\nb', ' lead', '=1+1', '513330199001011234'),
  );
  const cell = fc.oneof(
    text,
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.boolean(),
    fc.date({ min: new Date('1950-01-01'), max: new Date('2080-12-31'), noInvalidDate: true }),
    fc.constant(null),
  );

  async function excelJsRows(content: Buffer): Promise<string[][]> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = Array.from((row.values as ExcelJS.CellValue[]).slice(1), (v) => {
        if (v === null || v === undefined) return '';
        if (v instanceof Date) return v.toISOString().slice(0, 10);
        if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
        return String(v);
      });
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    return rows.map((r) => { const out = [...r]; while (out.length > 0 && out[out.length - 1] === '') out.pop(); return out; });
  }

  it('on random workbooks (text, numbers, booleans, dates, empty cells, several sheets)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 6 }), { minLength: 1, maxLength: 12 }), async (rows) => {
        const workbook = await toXlsx([
          { name: 'first', columns: ['a', 'b', 'c'], rows: rows as unknown as Sheet['rows'] }, // ExcelJS writes booleans and dates too
          { name: 'second', columns: ['x'], rows: [['not read']] },
        ]);
        const ours = (await readTable(workbook, 'xlsx')).map((r) => { const out = [...r]; while (out.length > 0 && out[out.length - 1] === '') out.pop(); return out; });
        expect(ours).toEqual(await excelJsRows(workbook));
      }),
      { numRuns: 40 },
    );
  });

  it('on rich text and a date typed into a cell formatted as a date', async () => {
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('s');
    ws.addRow(['id_number', 'name', 'from']);
    ws.getCell('A2').value = { richText: [{ text: '5133301990' }, { font: { bold: true }, text: '01011234' }] };
    ws.getCell('B2').value = 'བཀྲ་ཤིས་';
    ws.getCell('C2').value = new Date(Date.UTC(2025, 0, 31));
    ws.getCell('C2').numFmt = 'yyyy/mm/dd';
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await readTable(content, 'xlsx')).toEqual([['id_number', 'name', 'from'], ['513330199001011234', 'བཀྲ་ཤིས་', '2025-01-31']]);
  });
});
