/**
 * What real time judged a year's bills with (issue 18): each process that
 * settles records the thresholds it applies, once per year, one row per
 * distinct set; years whose alerts real time did not all raise are marked.
 * The monthly run's steady state trusts real time for a year only when every
 * set recorded is the run's own and the year is not marked
 * (docs/monitoring-run.md).
 */
import type { Queryable } from '../db.ts';

/** Records a set of thresholds applied to a year's bills (nothing when the same set is recorded already). */
export async function recordRealtimeThresholds(q: Queryable, year: number, hash: string, thresholdsJson: string): Promise<void> {
  await q.query('INSERT INTO realtime_thresholds (year, hash, thresholds) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING', [year, hash, thresholdsJson]);
}

/**
 * True when real time judged the year's bills with these thresholds: at least one set is recorded for the year, every
 * set recorded equals them, and the year is not marked untrusted.
 */
export async function realtimeTrusted(q: Queryable, year: number, thresholdsJson: string): Promise<boolean> {
  const [row] = await q.query<{ trusted: boolean | null }>(
    `SELECT count(*) > 0 AND bool_and(r.thresholds = $2::jsonb)
       AND NOT EXISTS (SELECT 1 FROM monitoring_untrusted_years u WHERE u.year = $1) AS trusted
     FROM realtime_thresholds r WHERE r.year = $1`,
    [year, thresholdsJson],
  );
  return row?.trusted === true;
}

/**
 * Marks a year whose alerts were imported or deleted outside real time: from now on its runs read every person changed
 * since the run before (never trusting real time for it again). True when the year was not marked before.
 */
export async function markYearUntrusted(q: Queryable, year: number, reason: string): Promise<boolean> {
  const rows = await q.query('INSERT INTO monitoring_untrusted_years (year, reason) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING RETURNING year', [year, reason]);
  return rows.length > 0;
}
