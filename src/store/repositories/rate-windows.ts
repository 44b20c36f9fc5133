/** Fixed-window request counters shared by every instance (see the rate_windows migration). */
import type { Queryable } from '../db.ts';

/** Counts one hit in the bucket's current window; returns the hits so far in it, this one included. */
export async function countHit(q: Queryable, bucket: string, windowStart: Date): Promise<number> {
  const rows = await q.query<{ hits: number }>(
    `INSERT INTO rate_windows (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits`,
    [bucket, windowStart],
  );
  return rows[0]!.hits;
}

/** Forgets windows that ended before a moment. */
export async function forgetWindowsBefore(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM rate_windows WHERE window_start < $1', [before]);
}
