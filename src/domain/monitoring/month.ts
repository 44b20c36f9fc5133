/** Months of the monitoring calendar ("2025-06"), and when the monthly run is due. */
import { invalid } from '../errors.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthSpan {
  readonly month: string;
  readonly year: number;
  /** First instant of the month and of the next, ISO dates (UTC+8 is applied by the caller's SQL, see cutoff). */
  readonly start: string;
  readonly end: string;
}

/** Parses "2025-06"; the span runs from 2025-06-01 to 2025-07-01 (exclusive). */
export function parseMonth(month: string): MonthSpan {
  const m = MONTH.exec(month);
  if (!m) throw invalid('INVALID_MONTH', `"${month}" is not a month such as 2025-06`, 'month');
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  return { month, year, start: `${month}-01`, end: `${next}-01` };
}

/** The month before ("2025-01" → "2024-12"). */
export function previousMonth(month: string): string {
  const { year } = parseMonth(month);
  const mon = Number(month.slice(5));
  return mon === 1 ? `${year - 1}-12` : `${year}-${String(mon - 1).padStart(2, '0')}`;
}

/** The month of an instant in China Standard Time (UTC+8), where the bureaus work. */
export function monthOf(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return local.toISOString().slice(0, 7);
}

/**
 * Haixi runs its statistics in the middle of each month: the run of the 15th
 * (02:00 Beijing time) covers the last complete month, so every settlement of
 * that month is in. Returns the month covered and when its run is due.
 */
export function scheduledRun(now: Date): { month: string; runAt: Date } {
  const current = monthOf(now);
  const runAt = new Date(`${current}-15T02:00:00+08:00`);
  return { month: previousMonth(current), runAt };
}
