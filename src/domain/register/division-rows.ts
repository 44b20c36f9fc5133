/**
 * A county's divisions as a bureau sends them (行政区划: county, townships,
 * villages; GB/T 2260 codes of 6, 9 or 12 digits), checked row by row before
 * anything is written: code shape, a parent known in the file or the
 * registry, no code twice, a Chinese name, a Tibetan name in Tibetan script.
 */
import { findColumns, TableFormatError, hasControlCharacter, hasTibetan, type RowProblem } from './table-columns.ts';
import { checkRows } from '../table-rows.ts';

export interface DivisionEntry {
  readonly row: number;
  readonly code: string;
  readonly name: string;
  readonly nameBo: string | null;
  readonly nameEn: string | null;
  readonly level: 1 | 2 | 3;
  readonly parentCode: string | null;
}

export interface DivisionCheck {
  readonly entries: DivisionEntry[];
  readonly problems: RowProblem[];
  readonly rowsTotal: number;
}

const HEADERS = {
  code: ['code', 'division_code', '代码', '区划代码', '行政区划代码', '行政区划'],
  name: ['name', 'name_zh', '名称', '中文名称', '区划名称', '汉文名称'],
  nameBo: ['name_bo', 'tibetan_name', '藏文名称', '藏文名', 'མིང་།'],
  nameEn: ['name_en', 'english_name', '英文名称'],
} as const;

/** The level a code's length gives, and the parent its prefix names. */
export function divisionShape(code: string): { level: 1 | 2 | 3; parentCode: string | null } | null {
  if (/^\d{6}$/.test(code)) return { level: 1, parentCode: null };
  if (/^\d{9}$/.test(code)) return { level: 2, parentCode: code.slice(0, 6) };
  if (/^\d{12}$/.test(code)) return { level: 3, parentCode: code.slice(0, 9) };
  return null;
}

/**
 * Checks every data row. `known` holds the codes already in the registry;
 * `scope` (a staff member's division) bounds what the file may hold.
 */
export function checkDivisionTable(table: readonly (readonly string[])[], known: ReadonlySet<string>, scope: string | null = null): DivisionCheck {
  const [header, ...rows] = table;
  if (!header) throw new TableFormatError('the file is empty (a header row is needed)');
  const col = findColumns(header, HEADERS, ['code', 'name']);
  const inFile = new Map<string, number>();
  rows.forEach((cells, i) => {
    const code = (cells[col.code] ?? '').trim();
    if (code !== '' && !inFile.has(code)) inFile.set(code, i + 2);
  });
  const { entries, problems, rowsTotal } = checkRows(rows, (cells, check): DivisionEntry | undefined => {
    const { row } = check;
    const reason = check.bad;
    const cell = (c: number) => (c >= 0 ? (cells[c] ?? '').trim() : '');
    const code = cell(col.code);
    const shape = divisionShape(code);
    if (code === '') reason('code is missing');
    else if (!shape) reason(`code "${code}" is not a 6, 9 or 12-digit division code (GB/T 2260)`);
    else {
      if (inFile.get(code) !== row) reason(`the same code as row ${inFile.get(code)}`);
      if (shape.parentCode && !known.has(shape.parentCode) && !inFile.has(shape.parentCode)) {
        reason(`its parent ${shape.parentCode} is neither in the file nor a known division`);
      }
      if (scope && !code.startsWith(scope)) reason(`code ${code} is outside your division ${scope}`);
    }
    const name = cell(col.name);
    if (name === '') reason('Chinese name is missing');
    else if (hasControlCharacter(name) || name.length > 100) reason('Chinese name has a control character or is longer than 100 characters');
    const nameBo = cell(col.nameBo);
    if (nameBo !== '' && (!hasTibetan(nameBo) || hasControlCharacter(nameBo) || nameBo.length > 200)) reason(`Tibetan name "${nameBo}" is not Tibetan script`);
    const nameEn = cell(col.nameEn);
    if (hasControlCharacter(nameEn) || nameEn.length > 100) reason('English name has a control character or is longer than 100 characters');
    if (check.failed) return undefined;
    return { row, code, name, nameBo: nameBo || null, nameEn: nameEn || null, level: shape!.level, parentCode: shape!.parentCode };
  });
  // A row whose parent is itself a bad row cannot be imported either.
  const bad = new Set(problems.map((p) => (rows[p.row - 2]?.[col.code] ?? '').trim()));
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.parentCode && bad.has(e.parentCode) && !known.has(e.parentCode)) {
        problems.push({ row: e.row, reason: `its parent ${e.parentCode} is a bad row` });
        bad.add(e.code);
        entries.splice(i, 1);
        changed = true;
      }
    }
  }
  problems.sort((a, b) => a.row - b.row);
  // Parents before children, so each insert finds its parent.
  entries.sort((a, b) => a.level - b.level || a.code.localeCompare(b.code));
  return { entries, problems, rowsTotal };
}
