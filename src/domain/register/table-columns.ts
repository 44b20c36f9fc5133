/**
 * The header row of a table a bureau sends: each column found by any of the
 * names it goes by (Chinese or English, case and spaces ignored), so a file
 * exported from another system needs no editing.
 */
import type { RowProblem } from '../table-rows.ts';
export class TableFormatError extends Error {
  override readonly name = 'TableFormatError';
}

export type HeaderNames<C extends string> = Record<C, readonly string[]>;

const normalise = (h: string) => h.trim().toLowerCase().replace(/\s+/g, '_');

/** The index of each column (-1 when absent); a missing required column is a TableFormatError naming what is accepted. */
export function findColumns<C extends string>(header: readonly string[], names: HeaderNames<C>, required: readonly NoInfer<C>[]): Record<C, number> {
  const cells = header.map(normalise);
  const out = {} as Record<C, number>;
  for (const column of Object.keys(names) as C[]) out[column] = cells.findIndex((h) => names[column].map(normalise).includes(h));
  for (const column of required) {
    if (out[column] < 0) throw new TableFormatError(`the header row has no ${names[column][0]} column (accepted: ${names[column].join(', ')})`);
  }
  return out;
}

/** A control character in a text cell (PostgreSQL cannot even store a NUL). */
export const hasControlCharacter = (text: string): boolean => /[\u0000-\u001f\u007f]/.test(text);

/** Tibetan script (U+0F00–U+0FFF). */
export const hasTibetan = (text: string): boolean => /[\u0F00-\u0FFF]/.test(text);

export type { RowProblem };

/** One line naming every bad row: "row 4: …; row 9: …". */
export function describeRowProblems(problems: readonly RowProblem[]): string {
  return problems.map((p) => `row ${p.row}: ${p.reason}`).join('; ');
}
