/**
 * The catalogue of outpatient chronic and special diseases (门诊慢特病) and of
 * rare diseases, as data per region with validity dates: each disease with its
 * ICD-10 codes, its class (which sets the policy's ratio and class limit), the
 * schemes it is open to, and its own yearly fund limit.
 */
import { checkRows } from '../table-rows.ts';
import { MoneyError, parseYuan, type Fen } from '../money.ts';
import { CHRONIC_CLASSES, SCHEMES, type ChronicClass, type Scheme } from '../vocabulary.ts';
import { icdMatchesAny, isIcdPattern, splitPatterns } from './icd10.ts';
import { validOn } from './items.ts';
import { cell, columnsOf, overlaps, validityOf, type RowProblem } from './table.ts';

export interface ChronicDisease {
  readonly region: string;
  readonly code: string;
  readonly name: string;
  readonly class: ChronicClass;
  readonly schemes: readonly Scheme[];
  /** ICD-10 codes, prefixes or ranges of the disease. */
  readonly icd10: readonly string[];
  /** The most the funds pay for this disease in a calendar year, fen. */
  readonly yearlyLimit: Fen;
  /** On the national rare-disease list (罕见病目录). */
  readonly rare: boolean;
  readonly validFrom: string;
  readonly validTo: string | null;
}

const HEADERS = {
  code: ['code', '病种编码', '编码'],
  name: ['name', '病种名称', '名称'],
  class: ['class', '类别', '病种类别'],
  schemes: ['schemes', '险种', '适用险种'],
  icd10: ['icd10', 'icd-10', 'icd_10', '疾病诊断编码', '诊断编码'],
  yearlyLimit: ['yearly_limit', '年度限额', '年度支付限额'],
  rare: ['rare', '罕见病'],
  validFrom: ['valid_from', '生效日期', '开始日期'],
  validTo: ['valid_to', '失效日期', '终止日期'],
} as const;

export const CHRONIC_COLUMNS = Object.values(HEADERS).map((names) => names[0]);

const SCHEME_ALIASES: Readonly<Record<string, readonly Scheme[]>> = {
  both: SCHEMES,
  all: SCHEMES,
  resident: ['resident'],
  employee: ['employee'],
  居民: ['resident'],
  职工: ['employee'],
  '居民;职工': SCHEMES,
  '职工;居民': SCHEMES,
  'resident;employee': SCHEMES,
  'employee;resident': SCHEMES,
  全部: SCHEMES,
};

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export interface ChronicTableCheck {
  readonly entries: (ChronicDisease & { readonly row: number })[];
  readonly problems: RowProblem[];
  readonly rowsTotal: number;
}

export function checkChronicTable(table: readonly (readonly string[])[], region: string): ChronicTableCheck {
  const [header, ...rows] = table;
  if (!header) return { entries: [], problems: [], rowsTotal: 0 };
  const c = columnsOf(header, HEADERS, ['code', 'name', 'class', 'icd10', 'yearlyLimit', 'validFrom']);
  const { entries, problems, rowsTotal } = checkRows(rows, (raw, { row, bad }): ChronicDisease & { row: number } => {
    const code = cell(raw, c.code);
    if (!CODE.test(code)) bad(`code "${code}" is not a disease code (letters, digits, . _ -, at most 32)`);
    const name = cell(raw, c.name);
    if (name === '' || name.length > 200) bad('name is missing or longer than 200 characters');
    const cls = cell(raw, c.class).toUpperCase().replace(/^甲$/, 'A').replace(/^乙$/, 'B');
    if (!(CHRONIC_CLASSES as readonly string[]).includes(cls)) bad(`class "${cell(raw, c.class)}" is not A or B`);
    const schemeText = cell(raw, c.schemes).toLowerCase() || 'both';
    const schemes = SCHEME_ALIASES[schemeText.replace(/\s+/g, '')];
    if (!schemes) bad(`schemes "${schemeText}" is not both, resident or employee`);
    const icd10 = splitPatterns(cell(raw, c.icd10));
    if (icd10.length === 0) bad('icd10 lists no diagnosis code');
    for (const p of icd10) if (!isIcdPattern(p)) bad(`icd10 "${p}" is not an ICD-10 code, prefix or range such as E11, M12.1, I20-I25`);
    let yearlyLimit = 0;
    try {
      yearlyLimit = parseYuan(cell(raw, c.yearlyLimit));
    } catch (error) {
      bad(`yearly_limit: ${(error as MoneyError).message}`);
    }
    const rareText = cell(raw, c.rare).toLowerCase();
    if (!['', 'yes', 'no', 'true', 'false', '是', '否', '1', '0'].includes(rareText)) bad(`rare "${rareText}" is not yes or no`);
    const { validFrom, validTo } = validityOf(cell(raw, c.validFrom), cell(raw, c.validTo), bad);
    return {
      row, region, code, name, class: cls as ChronicClass, schemes: schemes!, icd10, yearlyLimit,
      rare: ['yes', 'true', '是', '1'].includes(rareText), validFrom: validFrom!, validTo,
    };
  });
  const clashes = overlaps(entries.map((e) => ({ row: e.row, key: e.code, validFrom: e.validFrom, validTo: e.validTo })));
  const clashing = new Set(clashes.map((p) => p.row));
  problems.push(...clashes);
  problems.sort((a, b) => a.row - b.row);
  return { entries: entries.filter((e) => !clashing.has(e.row)), problems, rowsTotal };
}

/** The diseases open to a scheme on a date. */
export function diseasesOn(all: readonly ChronicDisease[], date: string, scheme: Scheme): ChronicDisease[] {
  return all.filter((d) => validOn(d, date) && d.schemes.includes(scheme));
}

/** Whether a bill's diagnosis belongs to the disease. */
export function diagnosisFits(disease: Pick<ChronicDisease, 'icd10'>, diagnosis: string | null | undefined): boolean {
  return icdMatchesAny(disease.icd10, diagnosis);
}
