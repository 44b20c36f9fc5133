/**
 * The one loop every file reader (catalogues, chronic diseases, rosters,
 * divisions, the household register, the tax bureau's file) runs over its
 * data rows: skip blank rows, number each row as the file does (the header is
 * row 1), let the row's check name every reason it is bad, and keep a row's
 * entry only when it has none. Refusing the file whole, or skipping the bad
 * rows, is the caller's choice. Pure: no I/O.
 */

/** A bad row: its number in the file (the header is row 1) and every reason, joined by "; ". */
export interface RowProblem {
  readonly row: number;
  readonly reason: string;
}

/** What a row's check is given beside its cells. */
export interface RowCheck {
  /** The row's number in the file. */
  readonly row: number;
  /** Names one reason the row is bad (a row may have several). */
  bad(reason: string): void;
  /** Whether a reason has been named so far (a check stops building its entry then). */
  readonly failed: boolean;
}

export interface RowsChecked<T> {
  readonly entries: T[];
  readonly problems: RowProblem[];
  /** Non-blank data rows. */
  readonly rowsTotal: number;
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * Checks every non-blank data row (`data` is the table without its header):
 * `check` names the row's reasons through `bad` and returns its entry
 * (undefined to keep none); a row with a reason gives a problem instead.
 */
export function checkRows<T>(data: readonly (readonly string[])[], check: (cells: readonly string[], row: RowCheck) => T | undefined): RowsChecked<T> {
  const entries: T[] = [];
  const problems: RowProblem[] = [];
  let rowsTotal = 0;
  data.forEach((cells, i) => {
    if (isBlankRow(cells)) return;
    rowsTotal += 1;
    const reasons: string[] = [];
    const entry = check(cells, { row: i + 2, bad: (reason) => void reasons.push(reason), get failed() { return reasons.length > 0; } });
    if (reasons.length > 0) problems.push({ row: i + 2, reason: reasons.join('; ') });
    else if (entry !== undefined) entries.push(entry);
  });
  return { entries, problems, rowsTotal };
}
