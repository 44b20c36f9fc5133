/**
 * Code lists (目录): one entry per code, with its names, the dates it is valid
 * and flags. Shared by every kind of list (diagnoses and procedures here; drugs
 * and services later), so each kind only adds its code shape and its flags.
 * Pure: rows of text in, entries and the problems of each row out.
 */
export interface CatalogueEntry {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string | null;
  /** ISO date; null: valid since ever. */
  readonly validFrom: string | null;
  /** ISO date, inclusive; null: still valid. */
  readonly validTo: string | null;
  readonly flags: readonly string[];
}

/** What one kind of list checks: the shape of its codes and the flags it knows. */
export interface CatalogueKind {
  readonly kind: string;
  /** Human description of the code shape, for messages. */
  readonly shape: string;
  isCode(code: string): boolean;
  readonly flags: Readonly<Record<string, string>>;
}

export interface RowProblem {
  /** 1-based line number of the file (the header is line 1). */
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export const CATALOGUE_COLUMNS = ['code', 'name_zh', 'name_en', 'valid_from', 'valid_to', 'flags'] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD, or null for an empty cell; undefined when it is not a date. */
export function catalogueDate(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  const m = ISO_DATE.exec(t);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === t ? t : undefined;
}

/** Reads a list's table: header `code,name_zh,name_en,valid_from,valid_to,flags` (flags separated by `|`). */
export function readCatalogueRows(kind: CatalogueKind, table: readonly (readonly string[])[]): { entries: CatalogueEntry[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const entries: CatalogueEntry[] = [];
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(CATALOGUE_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CATALOGUE_COLUMNS)[number], number>;
  for (const column of ['code', 'name_zh'] as const) {
    if (at[column] < 0) return { entries, problems: [{ row: 1, field: column, message: `the header has no column "${column}" (expected ${CATALOGUE_COLUMNS.join(',')})` }] };
  }
  const seen = new Map<string, number>();
  for (let i = 1; i < table.length; i++) {
    const row = table[i]!;
    const line = i + 1;
    if (row.every((cell) => cell.trim() === '')) continue;
    const cell = (c: (typeof CATALOGUE_COLUMNS)[number]) => (at[c] >= 0 ? (row[at[c]] ?? '').trim() : '');
    const before = problems.length;
    const code = cell('code');
    const nameZh = cell('name_zh');
    if (!kind.isCode(code)) problems.push({ row: line, field: 'code', message: `"${code}" is not a ${kind.kind} code (${kind.shape})` });
    if (nameZh === '') problems.push({ row: line, field: 'name_zh', message: 'the Chinese name is missing' });
    const validFrom = catalogueDate(cell('valid_from'));
    const validTo = catalogueDate(cell('valid_to'));
    if (validFrom === undefined) problems.push({ row: line, field: 'valid_from', message: `"${cell('valid_from')}" is not a date (YYYY-MM-DD)` });
    if (validTo === undefined) problems.push({ row: line, field: 'valid_to', message: `"${cell('valid_to')}" is not a date (YYYY-MM-DD)` });
    if (validFrom && validTo && validTo < validFrom) problems.push({ row: line, field: 'valid_to', message: `valid_to ${validTo} is before valid_from ${validFrom}` });
    const flags = cell('flags') === '' ? [] : cell('flags').split('|').map((f) => f.trim());
    for (const flag of flags) {
      if (!(flag in kind.flags)) problems.push({ row: line, field: 'flags', message: `unknown flag "${flag}" (known: ${Object.keys(kind.flags).join(', ') || 'none'})` });
    }
    const first = seen.get(code);
    if (first !== undefined) problems.push({ row: line, field: 'code', message: `${code} is listed twice (first on row ${first})` });
    else seen.set(code, line);
    if (problems.length > before) continue;
    entries.push({ code, nameZh, nameEn: cell('name_en') || null, validFrom: validFrom ?? null, validTo: validTo ?? null, flags });
  }
  return { entries, problems };
}

export function describeRowProblems(problems: readonly RowProblem[], limit = 20): string {
  const shown = problems.slice(0, limit).map((p) => `row ${p.row} ${p.field}: ${p.message}`);
  if (problems.length > limit) shown.push(`… and ${problems.length - limit} more`);
  return shown.join('; ');
}

/** A loaded list: look-up by code, valid on a day. */
export class Catalogue {
  private readonly byCode = new Map<string, CatalogueEntry>();

  constructor(
    readonly kind: CatalogueKind,
    entries: Iterable<CatalogueEntry>,
  ) {
    for (const e of entries) this.byCode.set(e.code, e);
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): CatalogueEntry | undefined {
    return this.byCode.get(code);
  }

  /** The entry valid on the day (ISO date), or why there is none. */
  lookup(code: string, day: string): { entry: CatalogueEntry } | { problem: 'unknown' | 'not_yet_valid' | 'expired'; entry?: CatalogueEntry } {
    const entry = this.byCode.get(code);
    if (!entry) return { problem: 'unknown' };
    if (entry.validFrom !== null && day < entry.validFrom) return { problem: 'not_yet_valid', entry };
    if (entry.validTo !== null && day > entry.validTo) return { problem: 'expired', entry };
    return { entry };
  }

  entries(): CatalogueEntry[] {
    return [...this.byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  }
}
