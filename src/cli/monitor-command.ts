/**
 * `sanbao monitor …`: the monthly run, its schedule and status, the push
 * delivery and the departments' lists — the same services the API and the
 * scheduler call, on the configured database (DATABASE_URL or the embedded one).
 */
import { parseMonth, scheduledRun } from '../domain/monitoring/month.ts';
import { loadPolicies, type PolicyRegistry } from '../domain/policy/registry.ts';
import { checkDepartment, deliverDue, downloadList, markListDelivered } from '../service/monitoring-outbox.ts';
import { runMonthly, runWindow } from '../service/monitoring-run.ts';
import type { Db } from '../store/db.ts';
import { listJobs, scheduleJob } from '../store/repositories/jobs.ts';
import { audit } from '../store/repositories/audit.ts';
import { listRuns } from '../store/repositories/monitoring-runs.ts';
import { outboxSummary } from '../store/repositories/outbox.ts';
import { markYearUntrusted } from '../store/repositories/realtime-thresholds.ts';
import { takeFlag, takeOption } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

export interface MonitorDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

function requireMonth(value: string | undefined): string {
  if (!value) throw new UsageError('--month is required (e.g. --month 2025-06)');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new UsageError(`--month "${value}" is not a month such as 2025-06`);
  return value;
}

/** Parses first (bad input never opens the database), then runs with the given or the configured database. */
export async function monitorCommand(io: Io, argv: string[], policyDir?: string, deps?: MonitorDeps): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  const month = takeOption(args, '--month');
  const at = takeOption(args, '--at');
  const department = takeOption(args, '--department');
  const division = takeOption(args, '--division') ?? '';
  const all = takeFlag(args, '--all');
  const upTo = takeOption(args, '--up-to');
  const json = takeFlag(args, '--json');
  const full = takeFlag(args, '--full');
  const year = takeOption(args, '--year');
  const reason = takeOption(args, '--reason');
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  let work: (d: MonitorDeps) => Promise<number>;
  switch (sub) {
    case 'run': {
      const m = requireMonth(month);
      runWindow(m);
      work = async (d) => {
        const outcome = await runMonthly(d, m, 'cli', { full });
        io.out(JSON.stringify({ ...outcome.statistics, mode: outcome.mode, path: outcome.path, casesOpened: outcome.casesOpened, millis: Math.round(outcome.millis.total) }, null, 2));
        if (outcome.statistics.persons === 0 && (await settledAfter(d.db, m))) {
          io.err(`note: settlements of ${m.slice(0, 4)} exist, but all were settled after ${m}; a run counts what was settled by the month's end (Beijing time)`);
        }
        return EXIT_OK;
      };
      break;
    }
    case 'schedule': {
      const next = scheduledRun(new Date());
      const m = month ? requireMonth(month) : next.month;
      const runAt = at ? new Date(at) : month ? new Date(`${nextMonthOf(m)}-15T02:00:00+08:00`) : next.runAt;
      if (Number.isNaN(runAt.getTime())) throw new UsageError(`--at "${at}" is not a date-time such as 2025-07-15T02:00:00+08:00`);
      work = async (d) => {
        const created = await scheduleJob(d.db, m, runAt);
        io.out(created ? `scheduled the monthly run of ${m} for ${runAt.toISOString()}` : `the monthly run of ${m} is already scheduled`);
        return EXIT_OK;
      };
      break;
    }
    case 'status':
      work = async (d) => {
        const status = { jobs: await listJobs(d.db), runs: await listRuns(d.db), outbox: await outboxSummary(d.db) };
        if (json) io.out(JSON.stringify(status, null, 2));
        else {
          io.out('jobs:');
          for (const j of status.jobs) io.out(`  ${j.month}  ${j.status.padEnd(8)} due ${new Date(j.run_at).toISOString()}  attempts ${j.attempts}${j.last_error ? `  last error: ${j.last_error}` : ''}`);
          io.out('runs:');
          for (const r of status.runs) io.out(`  ${r.month}  persons ${r.persons}  new alerts ${r.new_alerts}  ${r.mode}  by ${r.actor}`);
          io.out('pushes:');
          for (const o of status.outbox) io.out(`  ${o.department.padEnd(22)} pending ${o.pending}  delivered ${o.delivered}  failing ${o.failing}  ${o.endpoint ?? '(no endpoint: download the list)'}`);
        }
        return EXIT_OK;
      };
      break;
    case 'deliver':
      work = async (d) => {
        io.out(JSON.stringify(await deliverDue(d.db)));
        return EXIT_OK;
      };
      break;
    case 'list': {
      if (!department) throw new UsageError('--department is required (e.g. --department civil_affairs)');
      if (division && !/^\d{6}(\d{3}(\d{3})?)?$/.test(division)) throw new UsageError(`--division "${division}" is not a division code`);
      work = async (d) => {
        // The operator acts for the department; reading changes nothing (audited as unmasking).
        const access = { department: checkDepartment(department), actor: 'cli', divisionPrefix: division, actingFor: checkDepartment(department) };
        const { csv, upTo } = await downloadList(d.db, access, all);
        io.out(csv);
        io.err(`to mark these delivered: sanbao monitor mark-delivered --department ${department}${division ? ` --division ${division}` : ''} --up-to ${upTo}`);
        return EXIT_OK;
      };
      break;
    }
    case 'mark-delivered': {
      if (!department) throw new UsageError('--department is required (e.g. --department civil_affairs)');
      if (!upTo || !/^\d{1,15}$/.test(upTo)) throw new UsageError('--up-to is required: the id `monitor list` reported');
      work = async (d) => {
        const access = { department: checkDepartment(department), actor: 'cli', divisionPrefix: division, actingFor: checkDepartment(department) };
        io.out(JSON.stringify(await markListDelivered(d.db, access, Number(upTo))));
        return EXIT_OK;
      };
      break;
    }
    case 'distrust': {
      if (!year || !/^\d{4}$/.test(year)) throw new UsageError('--year is required: the year whose alerts were imported or deleted outside real time (e.g. --year 2025)');
      const why = (reason ?? '').trim();
      if (!why) throw new UsageError('--reason is required: why real time\'s alerts of the year cannot be trusted');
      work = async (d) => {
        const marked = await d.db.transaction(async (tx) => {
          const newly = await markYearUntrusted(tx, Number(year), why);
          if (newly) await audit(tx, { actor: 'cli', action: 'monitoring.distrust', entity: 'monitoring_year', entityId: year, detail: { reason: why } });
          return newly;
        });
        io.out(marked
          ? `${year}: the monthly runs no longer trust real time's alerts; each reads every person changed since the run before`
          : `${year} was already marked: the monthly runs do not trust real time's alerts`);
        return EXIT_OK;
      };
      break;
    }
    default:
      throw new UsageError(`usage: sanbao monitor run|schedule|status|deliver|list|mark-delivered|distrust (see sanbao help)`);
  }
  if (deps) return work(deps);
  return withDatabase((db, config) => work({ db, policies: loadPolicies(policyDir ?? config.policyDir) }));
}

async function settledAfter(db: Db, month: string): Promise<boolean> {
  const w = runWindow(month);
  const rows = await db.query('SELECT 1 FROM settlements WHERE year = $1 AND settled_at >= $2 LIMIT 1', [w.year, w.cutoff]);
  return rows.length > 0;
}

/** "2025-06" → "2025-07": a month's run is due on the 15th of the month after it. */
function nextMonthOf(month: string): string {
  return parseMonth(month).end.slice(0, 7);
}
