/**
 * Reading catalogue files (CSV or XLSX as tables of text): the header row maps
 * to columns by English or Chinese names, and every row is checked before
 * anything is written, so a file is loaded whole or refused with its rows named.
 */
import type { RowProblem } from '../table-rows.ts';
import { parseRosterDate } from '../enrollment/roster-rows.ts';

export type { RowProblem };

export class CatalogueFormatError extends Error {
  override readonly name = 'CatalogueFormatError';
}

export type HeaderNames<C extends string> = Readonly<Record<C, readonly string[]>>;

/** Column index of each known column (-1 when absent); a missing required column is a format error. */
export function columnsOf<C extends string>(header: readonly string[], names: HeaderNames<C>, required: readonly NoInfer<C>[]): Record<C, number> {
  const normalised = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const out = {} as Record<C, number>;
  for (const column of Object.keys(names) as C[]) {
    out[column] = normalised.findIndex((h) => names[column].includes(h));
  }
  for (const column of required) {
    if (out[column] < 0) {
      throw new CatalogueFormatError(`the header row has no ${names[column][0]} column (accepted: ${names[column].join(', ')})`);
    }
  }
  return out;
}

/** The trimmed text of a column in a row ('' when the column is absent). */
export function cell(row: readonly string[], index: number): string {
  return index < 0 ? '' : (row[index] ?? '').trim();
}

/** An ISO date from the usual spellings; null when not a real date. */
export const parseDate = parseRosterDate;

/**
 * A row's period of validity from its valid_from and valid_to cells: the
 * first a date, the second empty (no end) or a date not before it; each
 * reason it is bad named through `bad` (a catalogue row's check).
 */
export function validityOf(fromText: string, toText: string, bad: (reason: string) => void): { validFrom: string | null; validTo: string | null } {
  const validFrom = parseDate(fromText);
  if (!validFrom) bad(`valid_from "${fromText}" is not a date (YYYY-MM-DD)`);
  const validTo = toText === '' ? null : parseDate(toText);
  if (toText !== '' && !validTo) bad(`valid_to "${toText}" is not a date (YYYY-MM-DD)`);
  if (validFrom && validTo && validTo < validFrom) bad(`valid_to ${validTo} is before valid_from ${validFrom}`);
  return { validFrom, validTo };
}

/** A whole number in [min, max] written as digits; null otherwise. */
export function parseCount(text: string, min: number, max: number): number | null {
  if (!/^\d{1,9}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export interface Dated {
  readonly row: number;
  readonly key: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

/**
 * Rows with the same key whose validity periods overlap (both ends inclusive,
 * an open end runs forever): each such pair names both rows.
 */
export function overlaps(entries: readonly Dated[]): RowProblem[] {
  const byKey = new Map<string, Dated[]>();
  for (const e of entries) {
    const list = byKey.get(e.key) ?? [];
    list.push(e);
    byKey.set(e.key, list);
  }
  const problems: RowProblem[] = [];
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.row - b.row));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (prev.validTo === null || prev.validTo >= cur.validFrom) {
        const same = prev.validFrom === cur.validFrom && prev.validTo === cur.validTo;
        problems.push({
          row: cur.row,
          reason: same
            ? `duplicate code ${key} (also row ${prev.row})`
            : `code ${key} valid ${cur.validFrom}–${cur.validTo ?? '…'} overlaps row ${prev.row} (${prev.validFrom}–${prev.validTo ?? '…'})`,
        });
      }
    }
  }
  return problems.sort((a, b) => a.row - b.row);
}

/** Every problem on one line, as a refused file reports them. */
export function describeProblems(problems: readonly RowProblem[], max = 20): string {
  const shown = problems.slice(0, max).map((p) => `row ${p.row}: ${p.reason}`).join('; ');
  return problems.length > max ? `${shown}; … and ${problems.length - max} more` : shown;
}

/** A region of a catalogue: the national list, or a province/prefecture/county code (GB/T 2260, 6 digits). */
export function isRegion(region: string): boolean {
  return region === 'national' || /^\d{6}$/.test(region);
}

/** How specific a region is for a division: -1 when it does not cover it, 0 national, then 2/4/6 digits. */
export function regionReach(region: string, divisionCode: string): number {
  if (region === 'national') return 0;
  const prefix = region.endsWith('0000') ? region.slice(0, 2) : region.endsWith('00') ? region.slice(0, 4) : region;
  return divisionCode.startsWith(prefix) ? prefix.length : -1;
}
