/**
 * An item catalogue file (CSV/XLSX) checked row by row: codes, names, kinds,
 * classes, ratios, price ceilings, restrictions and validity dates. Duplicate
 * codes and overlapping validity are named by row, like any other bad row.
 */
import { MoneyError, parsePercent, parseYuan } from '../money.ts';
import { checkRows } from '../table-rows.ts';
import type { HospitalLevel } from '../vocabulary.ts';
import { isIcdPattern, splitPatterns } from './icd10.ts';
import { CLASS_ALIASES, ITEM_CLASSES, ITEM_KINDS, KIND_ALIASES, type CatalogueItem, type ItemClass, type ItemKind } from './items.ts';
import { cell, columnsOf, overlaps, parseCount, validityOf, type RowProblem } from './table.ts';

const HEADERS = {
  code: ['code', '医保编码', '国家医保编码', '医保代码', '编码'],
  name: ['name', '名称', '药品名称', '项目名称', '耗材名称', '通用名'],
  kind: ['kind', '类型', '目录类型'],
  class: ['class', '甲乙类', '医保类别', '支付类别'],
  selfPayFirst: ['self_pay_first', '先行自付比例'],
  selfPayFirstResident: ['self_pay_first_resident', '居民先行自付比例'],
  selfPayFirstEmployee: ['self_pay_first_employee', '职工先行自付比例'],
  priceCap: ['price_cap', '限价', '最高限价', '支付标准'],
  unit: ['unit', '单位', '计价单位'],
  minLevel: ['min_level', '限医院等级'],
  minAge: ['min_age', '最小年龄'],
  maxAge: ['max_age', '最大年龄'],
  sex: ['sex', '限性别'],
  diagnoses: ['diagnoses', '限定诊断'],
  maxPerDay: ['max_per_day', '日最大量'],
  maxPerStay: ['max_per_stay', '住院最大量'],
  validFrom: ['valid_from', '生效日期', '开始日期'],
  validTo: ['valid_to', '失效日期', '终止日期'],
} as const;

/** The columns of an item catalogue file, in the order the README documents them. */
export const ITEM_COLUMNS = Object.values(HEADERS).map((names) => names[0]);

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

export interface ItemTableCheck {
  readonly entries: (CatalogueItem & { readonly row: number })[];
  readonly problems: RowProblem[];
  readonly rowsTotal: number;
}

function kindOf(text: string): ItemKind | null {
  if ((ITEM_KINDS as readonly string[]).includes(text)) return text as ItemKind;
  return KIND_ALIASES[text] ?? null;
}

function classOf(text: string): ItemClass | null {
  const upper = text.toUpperCase();
  if ((ITEM_CLASSES as readonly string[]).includes(upper)) return upper as ItemClass;
  return CLASS_ALIASES[text] ?? null;
}

function sexOf(text: string): 'M' | 'F' | undefined | null {
  if (text === '') return undefined;
  if (text === 'M' || text === '男') return 'M';
  if (text === 'F' || text === '女') return 'F';
  return null;
}

/** Checks every row of a table whose first row is the header; nothing is thrown for a bad row, it is listed. */
export function checkItemTable(table: readonly (readonly string[])[], region: string): ItemTableCheck {
  const [header, ...rows] = table;
  if (!header) return { entries: [], problems: [], rowsTotal: 0 };
  const c = columnsOf(header, HEADERS, ['code', 'name', 'kind', 'class', 'validFrom']);
  const { entries, problems, rowsTotal } = checkRows(rows, (raw, { row, bad }): CatalogueItem & { row: number } => {
    const code = cell(raw, c.code);
    if (!CODE.test(code)) bad(`code "${code}" is not a catalogue code (letters, digits, . _ -, at most 50)`);
    const name = cell(raw, c.name);
    if (name === '' || name.length > 200) bad('name is missing or longer than 200 characters');
    const kind = kindOf(cell(raw, c.kind));
    if (!kind) bad(`kind "${cell(raw, c.kind)}" is not one of ${ITEM_KINDS.join(', ')} (or 西药, 中成药, 中药饮片, 医疗服务项目, 医用耗材)`);
    const cls = classOf(cell(raw, c.class));
    if (!cls) bad(`class "${cell(raw, c.class)}" is not A, B, C (甲, 乙, 丙)`);
    const percent = (text: string, what: string): number => {
      if (text === '') return 0;
      try {
        return parsePercent(text);
      } catch (error) {
        bad(`${what}: ${(error as MoneyError).message}`);
        return 0;
      }
    };
    const both = percent(cell(raw, c.selfPayFirst), 'self_pay_first');
    const resident = cell(raw, c.selfPayFirstResident) === '' ? both : percent(cell(raw, c.selfPayFirstResident), 'self_pay_first_resident');
    const employee = cell(raw, c.selfPayFirstEmployee) === '' ? both : percent(cell(raw, c.selfPayFirstEmployee), 'self_pay_first_employee');
    if (cls && cls !== 'B' && (resident > 0 || employee > 0)) bad(`a self-pay-first ratio belongs to class B only, not ${cls}`);
    let priceCap: number | null = null;
    const capText = cell(raw, c.priceCap);
    if (capText !== '') {
      try {
        priceCap = parseYuan(capText);
        if (priceCap === 0) bad('price_cap must be above 0 yuan (leave it empty for no ceiling)');
      } catch (error) {
        bad(`price_cap: ${(error as MoneyError).message}`);
      }
    }
    const count = (index: number, what: string, min: number, max: number): number | undefined => {
      const text = cell(raw, index);
      if (text === '') return undefined;
      const n = parseCount(text, min, max);
      if (n === null) bad(`${what} "${text}" is not a whole number from ${min} to ${max}`);
      return n ?? undefined;
    };
    const minLevel = count(c.minLevel, 'min_level', 0, 3) as HospitalLevel | undefined;
    const minAge = count(c.minAge, 'min_age', 0, 150);
    const maxAge = count(c.maxAge, 'max_age', 0, 150);
    if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) bad(`min_age ${minAge} is above max_age ${maxAge}`);
    const sex = sexOf(cell(raw, c.sex));
    if (sex === null) bad(`sex "${cell(raw, c.sex)}" is not M or F (男, 女)`);
    const diagnoses = splitPatterns(cell(raw, c.diagnoses));
    for (const d of diagnoses) if (!isIcdPattern(d)) bad(`diagnosis "${d}" is not an ICD-10 code, prefix or range such as E11, M12.1, I20-I25`);
    const maxPerDay = count(c.maxPerDay, 'max_per_day', 1, 1_000_000);
    const maxPerStay = count(c.maxPerStay, 'max_per_stay', 1, 1_000_000);
    const { validFrom, validTo } = validityOf(cell(raw, c.validFrom), cell(raw, c.validTo), bad);
    return {
      row,
      region,
      code,
      name,
      kind: kind!,
      class: cls!,
      selfPayFirst: { resident, employee },
      priceCap,
      unit: cell(raw, c.unit),
      restrictions: { minLevel, minAge, maxAge, sex: sex ?? undefined, diagnoses, maxPerDay, maxPerStay },
      validFrom: validFrom!,
      validTo,
    };
  });
  const clashes = overlaps(entries.map((e) => ({ row: e.row, key: e.code, validFrom: e.validFrom, validTo: e.validTo })));
  const clashing = new Set(clashes.map((p) => p.row));
  problems.push(...clashes);
  problems.sort((a, b) => a.row - b.row);
  return { entries: entries.filter((e) => !clashing.has(e.row)), problems, rowsTotal };
}
