/**
 * A household register (户籍名册) as a county sends it: one row per person
 * with the household number, relation to the head, ID number, names in
 * Chinese and Tibetan, phone and village. Every row is checked before anything
 * is written — ID check digit, a known village inside the importer's division,
 * one village per household, exactly one head, no one registered twice or
 * already registered elsewhere or under another name (unless the register is
 * being corrected, which is audited).
 */
import { idNumberFacts, idNumberProblem } from '../id-number.ts';
import { parseRelation, phoneProblem, type Relation } from './relations.ts';
import { findColumns, hasControlCharacter, hasTibetan, TableFormatError, type RowProblem } from './table-columns.ts';
import { checkRows } from '../table-rows.ts';

const HEADERS = {
  householdCode: ['household_code', 'household', '户号', '户编号', '户编码'],
  idNumber: ['id_number', 'idnumber', '身份证号', '身份证号码', '公民身份号码', '证件号码'],
  name: ['name', '姓名', '中文姓名', '汉文姓名'],
  nameBo: ['name_bo', 'tibetan_name', '藏文姓名', '藏文名'],
  relation: ['relation', '与户主关系', '关系'],
  phone: ['phone', '电话', '联系电话', '手机号', '手机号码'],
  village: ['village', 'division_code', '村', '村代码', '行政区划', '行政区划代码'],
} as const;

export interface RegisterRow {
  readonly row: number;
  readonly householdCode: string;
  readonly idNumber: string;
  readonly name: string;
  readonly nameBo: string | null;
  readonly relationText: string;
  readonly phone: string | null;
  readonly village: string;
}

export interface RegisterEntry extends Omit<RegisterRow, 'relationText'> {
  readonly relation: Relation;
  readonly sex: 'M' | 'F';
  readonly birthDate: string;
}

/** What the registry already holds about the file's people, households and villages. */
export interface RegisterFacts {
  /** Village codes (level 3) known in the registry. */
  readonly villages: ReadonlySet<string>;
  readonly persons: ReadonlyMap<string, { readonly name: string; readonly householdCode: string | null }>;
  readonly households: ReadonlyMap<string, { readonly village: string; readonly heads: readonly string[] }>;
}

export interface RegisterOptions {
  /** The importer's division: villages outside it are bad rows. */
  readonly scope: string | null;
  /** Move people registered in another household and rename those registered under another name (audited). */
  readonly correctRegister: boolean;
}

/** The data rows of a register file, with the text of each column (blank rows left out). */
export function readRegisterTable(table: readonly (readonly string[])[]): { rows: RegisterRow[]; rowsTotal: number } {
  const [header, ...data] = table;
  if (!header) throw new TableFormatError('the file is empty (a header row is needed)');
  const col = findColumns(header, HEADERS, ['householdCode', 'idNumber', 'name', 'relation', 'village']);
  // Reading only: the checks need the whole file (households, heads), so checkRegisterRows names the bad rows.
  const { entries: rows } = checkRows(data, (cells, { row }): RegisterRow => {
    const cell = (c: number) => (c >= 0 ? (cells[c] ?? '').trim() : '');
    return {
      row, householdCode: cell(col.householdCode), idNumber: cell(col.idNumber).toUpperCase(), name: cell(col.name),
      nameBo: cell(col.nameBo) || null, relationText: cell(col.relation), phone: cell(col.phone).replace(/\s+/g, '') || null, village: cell(col.village),
    };
  });
  return { rows, rowsTotal: rows.length };
}

export function checkRegisterRows(rows: readonly RegisterRow[], facts: RegisterFacts, options: RegisterOptions): { entries: RegisterEntry[]; problems: RowProblem[] } {
  const reasons = new Map<number, string[]>();
  const complain = (row: number, reason: string) => reasons.set(row, [...(reasons.get(row) ?? []), reason]);
  const firstRow = new Map<string, number>();
  const households = new Map<string, RegisterRow[]>();
  for (const r of rows) {
    if (r.householdCode === '') complain(r.row, 'household number is missing');
    else if (!/^[\w-]{1,40}$/.test(r.householdCode)) complain(r.row, 'household number may hold only letters, digits, - and _ (at most 40)');
    else households.set(r.householdCode, [...(households.get(r.householdCode) ?? []), r]);
    const idProblem = r.idNumber === '' ? 'is missing' : idNumberProblem(r.idNumber);
    if (idProblem) complain(r.row, `ID number ${idProblem}`);
    else {
      const earlier = firstRow.get(r.idNumber);
      if (earlier !== undefined) complain(r.row, `the same ID number as row ${earlier}`);
      else firstRow.set(r.idNumber, r.row);
      const known = facts.persons.get(r.idNumber);
      if (known && !options.correctRegister) {
        if (known.householdCode !== null && known.householdCode !== r.householdCode) {
          complain(r.row, `this person is already registered in household ${known.householdCode} (use --correct-register to move them)`);
        }
        if (r.name !== '' && known.name !== r.name) complain(r.row, 'this person is already registered under another name (use --correct-register to rename them)');
      }
    }
    if (r.name === '') complain(r.row, 'name is missing');
    else if (hasControlCharacter(r.name) || r.name.length > 60) complain(r.row, 'name has a control character or is longer than 60 characters');
    if (r.nameBo !== null && (!hasTibetan(r.nameBo) || hasControlCharacter(r.nameBo) || r.nameBo.length > 120)) complain(r.row, 'Tibetan name is not Tibetan script');
    if (r.relationText === '') complain(r.row, 'relation to the head is missing');
    else if (!parseRelation(r.relationText)) complain(r.row, `relation "${r.relationText.slice(0, 20)}" is not one of 户主, 配偶, 子女, 父母, 孙子女, 祖父母, 兄弟姐妹, 儿媳/女婿, 其他`);
    const phone = r.phone === null ? null : phoneProblem(r.phone);
    if (phone) complain(r.row, phone);
    if (r.village === '') complain(r.row, 'village is missing');
    else if (!/^\d{12}$/.test(r.village)) complain(r.row, `village "${r.village.slice(0, 20)}" is not a 12-digit village code`);
    else if (!facts.villages.has(r.village)) complain(r.row, `village ${r.village} is not a known village`);
    else if (options.scope && !r.village.startsWith(options.scope)) complain(r.row, `village ${r.village} is outside your division ${options.scope}`);
  }
  for (const [code, members] of households) {
    const village = members[0]!.village;
    for (const m of members.slice(1)) if (m.village !== village) complain(m.row, `household ${code} is in village ${village} on row ${members[0]!.row}`);
    const registered = facts.households.get(code);
    if (registered && registered.village !== village && !options.correctRegister) {
      for (const m of members) complain(m.row, `household ${code} is registered in village ${registered.village}`);
    }
    const inFile = new Set(members.map((m) => m.idNumber));
    const heads = members.filter((m) => parseRelation(m.relationText) === 'head');
    const headsElsewhere = (registered?.heads ?? []).filter((id) => !inFile.has(id));
    if (heads.length + headsElsewhere.length === 0) for (const m of members) complain(m.row, `household ${code} has no head (户主)`);
    else if (heads.length + headsElsewhere.length > 1) {
      for (const h of heads) complain(h.row, `household ${code} has two heads${headsElsewhere.length > 0 ? ' (one is already registered)' : ` (rows ${heads.map((x) => x.row).join(', ')})`}`);
    }
  }
  const entries: RegisterEntry[] = [];
  const problems: RowProblem[] = [];
  for (const r of rows) {
    const why = reasons.get(r.row);
    if (why) problems.push({ row: r.row, reason: why.join('; ') });
    else {
      const facts_ = idNumberFacts(r.idNumber);
      const { relationText, ...rest } = r;
      entries.push({ ...rest, relation: parseRelation(relationText)!, sex: facts_.sex, birthDate: facts_.birthDate });
    }
  }
  return { entries, problems };
}

/** With --skip-bad-rows: a household with a bad row is left out whole, so no household is half imported (and none loses its head). */
export function wholeHouseholds(entries: readonly RegisterEntry[], problems: RowProblem[], rows: readonly RegisterRow[]): RegisterEntry[] {
  const badRows = new Set(problems.map((p) => p.row));
  const badHouseholds = new Set(rows.filter((r) => badRows.has(r.row)).map((r) => r.householdCode));
  const kept: RegisterEntry[] = [];
  for (const e of entries) {
    if (badHouseholds.has(e.householdCode)) problems.push({ row: e.row, reason: `household ${e.householdCode} has a bad row` });
    else kept.push(e);
  }
  problems.sort((a, b) => a.row - b.row);
  return kept;
}
