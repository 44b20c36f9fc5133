/** Closed years: once a year is closed, its bills change only through an explicit year-end correction. */
import type { Queryable } from '../db.ts';

export interface ClosedYearRow {
  year: number;
  closed_by: string;
  closed_at: Date;
  note: string | null;
}

export async function isYearClosed(q: Queryable, year: number): Promise<boolean> {
  const rows = await q.query<{ year: number }>('SELECT year FROM closed_years WHERE year = $1', [year]);
  return rows.length > 0;
}

/** Closes the year; false when it was already closed (closing is idempotent). */
export async function closeYear(q: Queryable, c: { year: number; closedBy: string; note?: string | null }): Promise<boolean> {
  const rows = await q.query<{ year: number }>(
    'INSERT INTO closed_years (year, closed_by, note) VALUES ($1, $2, $3) ON CONFLICT (year) DO NOTHING RETURNING year',
    [c.year, c.closedBy, c.note ?? null],
  );
  return rows.length > 0;
}

export async function listClosedYears(q: Queryable): Promise<ClosedYearRow[]> {
  return q.query<ClosedYearRow & Record<string, unknown>>('SELECT year, closed_by, closed_at, note FROM closed_years ORDER BY year');
}
