/**
 * Identity rosters (身份名单) as partner departments send them: a table with a
 * header row. Every row is checked (ID check digit, known division, dates)
 * before anything is written, so a file is imported whole, or without the
 * rows named here on an explicit request — never half by accident.
 */
import { idNumberFacts, idNumberProblem } from '../id-number.ts';
import { checkRows, type RowProblem } from '../table-rows.ts';

export interface RosterEntry {
  /** The row number as the sender sees it in the file (the header is row 1). */
  readonly row: number;
  readonly idNumber: string;
  readonly name: string;
  readonly divisionCode: string;
  readonly sex: 'M' | 'F';
  readonly birthDate: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

/** What a roster does: replace the whole list of its department and identity for a division, add people only, or end the listed people's status only. */
export const ROSTER_MODES = ['replace', 'add', 'end'] as const;
export type RosterMode = (typeof ROSTER_MODES)[number];

/** What the register holds for a known ID number, to check a roster's row against. */
export interface RegisteredPerson {
  readonly name: string;
  readonly divisionCode: string;
}

export type { RowProblem };

export interface RosterCheck {
  readonly entries: RosterEntry[];
  readonly problems: RowProblem[];
  /** Data rows in the file (blank rows not counted). */
  readonly rowsTotal: number;
}

export interface RosterDates {
  readonly validFrom: string;
  readonly validTo: string | null;
  /** The division the roster covers; a row outside it is a bad row. null: any. */
  readonly scope?: string | null;
}

/** Header names accepted for each column, in English and Chinese. */
const HEADERS = {
  idNumber: ['id_number', 'idnumber', 'id', '身份证号', '身份证号码', '公民身份号码', '证件号码'],
  name: ['name', '姓名'],
  divisionCode: ['division_code', 'division', '行政区划', '行政区划代码', '区划代码'],
  validFrom: ['valid_from', 'from', '起始日期', '开始日期', '认定日期'],
  validTo: ['valid_to', 'to', '终止日期', '结束日期'],
} as const;
type Column = keyof typeof HEADERS;

export class RosterFormatError extends Error {
  override readonly name = 'RosterFormatError';
}

function columnsOf(header: readonly string[]): Record<Column, number> {
  const normalised = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const index = (column: Column): number => normalised.findIndex((h) => (HEADERS[column] as readonly string[]).includes(h));
  const out = { idNumber: index('idNumber'), name: index('name'), divisionCode: index('divisionCode'), validFrom: index('validFrom'), validTo: index('validTo') };
  for (const required of ['idNumber', 'name', 'divisionCode'] as const) {
    if (out[required] < 0) {
      throw new RosterFormatError(`the header row has no ${HEADERS[required][0]} column (accepted: ${HEADERS[required].join(', ')})`);
    }
  }
  return out;
}

const DATE_FORMS = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/];

/** An ISO date from 2025-01-01, 2025/1/1, 20250101 or 2025.1.1; null when not a real date. */
export function parseRosterDate(raw: string): string | null {
  const text = raw.trim();
  for (const form of DATE_FORMS) {
    const m = form.exec(text);
    if (!m) continue;
    const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    const date = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
  }
  return null;
}

/**
 * Checks every data row of a roster table. `knownDivisions` holds the codes of
 * the divisions in the registry; dates default to the roster's own.
 */
export function checkRosterTable(table: readonly (readonly string[])[], knownDivisions: ReadonlySet<string>, dates: RosterDates): RosterCheck {
  const [header, ...rows] = table;
  if (!header) throw new RosterFormatError('the file is empty (a header row is needed)');
  const col = columnsOf(header);
  const firstRow = new Map<string, number>();
  const { entries, problems, rowsTotal } = checkRows(rows, (cells, check): RosterEntry | undefined => {
    const { row, bad } = check;
    const cell = (c: number) => (c >= 0 ? (cells[c] ?? '').trim() : '');
    const idNumber = cell(col.idNumber).toUpperCase();
    const idProblem = idNumber === '' ? 'ID number is missing' : idNumberProblem(idNumber);
    if (idProblem) bad(`ID number ${idProblem === 'ID number is missing' ? 'is missing' : idProblem}`);
    const name = cell(col.name);
    if (name === '') bad('name is missing');
    // A control character in a name is a bad row (PostgreSQL cannot even store a NUL).
    else if (/[\u0000-\u001f\u007f]/.test(name)) bad('name contains a control character');
    const divisionCode = cell(col.divisionCode);
    if (divisionCode === '') bad('division code is missing');
    else if (!knownDivisions.has(divisionCode)) bad(`division ${divisionCode} is not a known division`);
    else if (dates.scope && !divisionCode.startsWith(dates.scope)) bad(`division ${divisionCode} is outside the roster's division ${dates.scope}`);
    const fromText = cell(col.validFrom);
    const toText = cell(col.validTo);
    const validFrom = fromText === '' ? dates.validFrom : parseRosterDate(fromText);
    const validTo = toText === '' ? dates.validTo : parseRosterDate(toText);
    if (validFrom === null) bad(`valid-from date "${fromText}" is not a date (YYYY-MM-DD)`);
    if (validTo === null && toText !== '') bad(`valid-to date "${toText}" is not a date (YYYY-MM-DD)`);
    if (validFrom && validTo && validTo < validFrom) bad(`valid-to ${validTo} is before valid-from ${validFrom}`);
    if (!idProblem) {
      const earlier = firstRow.get(idNumber);
      if (earlier !== undefined) bad(`the same ID number as row ${earlier}`);
      else firstRow.set(idNumber, row);
    }
    if (check.failed) return undefined;
    const facts = idNumberFacts(idNumber);
    return { row, idNumber, name, divisionCode, sex: facts.sex, birthDate: facts.birthDate, validFrom: validFrom!, validTo };
  });
  return { entries, problems, rowsTotal };
}

/**
 * The division a roster covers when the sender did not say: the county (6-digit
 * code) all its rows share, or null when they span several.
 */
export function commonCounty(entries: readonly RosterEntry[]): string | null {
  const counties = new Set(entries.map((e) => e.divisionCode.slice(0, 6)));
  return counties.size === 1 ? [...counties][0]! : null;
}

/** One line naming every bad row: "row 4: ID number check digit …; row 9: …". */
export function describeProblems(problems: readonly RowProblem[]): string {
  return problems.map((p) => `row ${p.row}: ${p.reason}`).join('; ');
}

/**
 * Rows that disagree with the register: a known ID number under another name,
 * or in a division that does not hold the person's village. Unless the roster
 * is marked to correct the register, each is a bad row; the messages name no
 * person (they reach logs and screens), only what disagrees.
 */
export function registerConflicts(entries: readonly RosterEntry[], known: ReadonlyMap<string, RegisteredPerson>): RowProblem[] {
  const problems: RowProblem[] = [];
  for (const e of entries) {
    const person = known.get(e.idNumber);
    if (!person) continue;
    const reasons: string[] = [];
    if (person.name !== e.name) reasons.push('the name differs from the one registered for this ID number');
    if (!person.divisionCode.startsWith(e.divisionCode)) reasons.push(`division ${e.divisionCode} disagrees with the register (${person.divisionCode})`);
    if (reasons.length > 0) problems.push({ row: e.row, reason: `${reasons.join('; ')} (mark the roster to correct the register)` });
  }
  return problems;
}
