/** The job table of scheduled monitoring work, claimed with FOR UPDATE SKIP LOCKED so two servers never run one job twice. */
import type { Queryable } from '../db.ts';

export interface JobRow {
  id: number;
  kind: 'monthly_run';
  month: string;
  run_at: Date;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  lease_until: Date | null;
  last_error: string | null;
  finished_at: Date | null;
}

const COLUMNS = 'id, kind, month, run_at, status, attempts, lease_until, last_error, finished_at';

/** Schedules the month's run unless it is already scheduled (or done). */
export async function scheduleJob(q: Queryable, month: string, runAt: Date): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO monitoring_jobs (kind, month, run_at) VALUES ('monthly_run', $1, $2) ON CONFLICT (kind, month) DO NOTHING RETURNING id`,
    [month, runAt],
  );
  return rows.length > 0;
}

/** Claims one due job (pending, or running with an expired lease: its server died). */
export async function claimDueJob(q: Queryable, now: Date, leaseSeconds: number): Promise<JobRow | undefined> {
  const rows = await q.query<JobRow & Record<string, unknown>>(
    `WITH due AS (
       SELECT id FROM monitoring_jobs
       WHERE run_at <= $1 AND (status = 'pending' OR (status = 'running' AND lease_until <= $1))
       ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
     )
     UPDATE monitoring_jobs j SET status = 'running', attempts = j.attempts + 1, lease_until = $1::timestamptz + make_interval(secs => $2)
     FROM due WHERE j.id = due.id RETURNING ${COLUMNS.split(', ').map((c) => `j.${c}`).join(', ')}`,
    [now, leaseSeconds],
  );
  return rows[0];
}

export async function finishJob(q: Queryable, id: number, now: Date): Promise<void> {
  await q.query(`UPDATE monitoring_jobs SET status = 'done', finished_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1`, [id, now]);
}

/** A failed attempt: retried at `retryAt`, or given up after `maxAttempts` (status failed, visible in the status). */
export async function failJob(q: Queryable, job: JobRow, error: string, retryAt: Date, maxAttempts: number): Promise<void> {
  await q.query(
    `UPDATE monitoring_jobs SET status = $2, run_at = $3, last_error = $4, lease_until = NULL WHERE id = $1`,
    [job.id, job.attempts >= maxAttempts ? 'failed' : 'pending', retryAt, error.slice(0, 500)],
  );
}

export async function listJobs(q: Queryable, limit = 24): Promise<JobRow[]> {
  return q.query<JobRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM monitoring_jobs ORDER BY month DESC, id DESC LIMIT $1`, [limit]);
}
