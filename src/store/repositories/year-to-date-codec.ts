/**
 * A bill's change to the person's year-to-date (settlements.ytd_delta) as
 * stored: the accumulators it moved, and no others (most bills move three or
 * four of the eleven; a missing one is 0). Rows written before kept all eleven.
 */
import { EMPTY_YEAR_TO_DATE, YEAR_TO_DATE_FIELDS, type YearToDate } from '../../domain/engine/types.ts';

/** The stored JSON text: only the accumulators that moved. */
export function storedYearToDate(delta: YearToDate): string {
  const moved: Partial<YearToDate> = {};
  for (const f of YEAR_TO_DATE_FIELDS) if (delta[f] !== 0) moved[f] = delta[f];
  return JSON.stringify(moved);
}

/** Every accumulator from its stored form (missing: 0). */
export function yearToDateOf(raw: unknown): YearToDate {
  const r = (raw ?? {}) as Record<string, unknown>;
  const out = { ...EMPTY_YEAR_TO_DATE };
  for (const f of YEAR_TO_DATE_FIELDS) out[f] = Number(r[f] ?? 0);
  return out;
}
