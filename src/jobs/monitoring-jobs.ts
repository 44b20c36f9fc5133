/**
 * Background work the service starts and stops: the monthly monitoring run,
 * due on the 15th (claimed from the job table with SKIP LOCKED, so several
 * servers can run this loop), and delivery of the push outbox.
 */
import { DomainError } from '../domain/errors.ts';
import { scheduledRun } from '../domain/monitoring/month.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { claimDueJob, failJob, finishJob, scheduleJob, type JobRow } from '../store/repositories/jobs.ts';
import { deliverDue, type DeliveryReport } from '../service/monitoring-outbox.ts';
import { runMonthly } from '../service/monitoring-run.ts';

export interface JobsDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void; error(o: object, msg: string): void };
}

const LEASE_SECONDS = 3_600;
const MAX_ATTEMPTS = 5;

/** One pass of the scheduler: make sure this month's run is scheduled, then run a due one if any. */
export async function runDueJobs(deps: JobsDeps, now: Date = new Date()): Promise<JobRow | undefined> {
  const next = scheduledRun(now);
  await scheduleJob(deps.db, next.month, next.runAt);
  const job = await claimDueJob(deps.db, now, LEASE_SECONDS);
  if (!job) return undefined;
  try {
    const outcome = await runMonthly(deps, job.month, 'system:scheduler');
    await finishJob(deps.db, job.id, new Date());
    deps.log?.info({ job: job.id, month: job.month, raised: outcome.statistics.raisedByRun, ms: Math.round(outcome.millis.total) }, 'monthly monitoring run done');
  } catch (error) {
    // No policy for the year is a setting to fix, not a glitch to retry: failed at once, visible in the status.
    const final = error instanceof DomainError && error.code === 'NO_POLICY';
    const retryAt = new Date(now.getTime() + 10 * 60_000 * 2 ** (job.attempts - 1));
    await failJob(deps.db, job, (error as Error).message, retryAt, final ? job.attempts : MAX_ATTEMPTS);
    // The service warned once, at start or when the year turned (src/service/policy-year-watch.ts): told here, not warned again.
    if (final) deps.log?.info({ job: job.id, month: job.month, err: (error as Error).message }, 'monthly monitoring run not run: no policy for its year');
    else deps.log?.error({ job: job.id, month: job.month, err: (error as Error).message }, 'monthly monitoring run failed');
  }
  return job;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/**
 * Ticks every `intervalMs` (default a minute); a tick never overlaps the
 * previous one, and stop() cancels pushes in flight and waits for the tick,
 * so the database is closed only after the work it started has committed or
 * rolled back (a monthly run in flight finishes).
 */
export function startMonitoringJobs(deps: JobsDeps, intervalMs = 60_000): RunningJobs {
  let inFlight: Promise<void> | null = null;
  let stopped = false;
  const shutdown = new AbortController();
  const tick = () => {
    if (inFlight || stopped) return;
    inFlight = (async () => {
      try {
        await runDueJobs(deps);
        const report: DeliveryReport = await deliverDue(deps.db, { signal: shutdown.signal });
        if (report.attempted > 0) deps.log?.info({ ...report }, 'monitoring pushes');
      } catch (error) {
        deps.log?.error({ err: (error as Error).message }, 'monitoring jobs tick failed');
      } finally {
        inFlight = null;
      }
    })();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      shutdown.abort(); // a push in flight is cancelled, not awaited for its full timeout
      await inFlight;
    },
  };
}
