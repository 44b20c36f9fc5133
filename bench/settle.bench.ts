/**
 * `npm run bench:settle`: HTTP settle against a real server, beside pgbench
 * (TPC-B, the same client count, the same server, the same run), for the
 * machine's PostgreSQL (Debian's, 127.0.0.1:5432, a database sanbao_bench_settle made anew) and for
 * the embedded default (a new data directory). For 1, 8 and 32 clients it prints
 * settlements/s, p50/p99, pgbench's tps, the ratio, and settlements per CPU-second
 * of the server side (the service process plus the PostgreSQL processes serving
 * it, read from /proc before and after) with the service's share of that CPU.
 *
 * Settings (environment): BENCH_CLIENTS (1,8,32), BENCH_SECONDS (10), BENCH_PERSONS (20000),
 * BENCH_POOL (8: the service's connections), BENCH_TARGETS (postgres,embedded),
 * BENCH_DATABASE (sanbao_bench_settle: the database made anew, another name when two runs share the server),
 * BENCH_PG_URL (another PostgreSQL than Debian's on this machine, e.g. one started with
 * pg_stat_statements to profile the settle path; a URL of an existing database there).
 * pgbench is the PATH's, else Debian's /usr/lib/postgresql/N/bin/pgbench; without one the
 * ratio is n/a (said so on a line of its own).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../src/store/free-port.ts';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateCounty, SMALL_DEMO } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Db } from '../src/store/db.ts';
import { acquireEmbeddedServer, embeddedLayout } from '../src/store/embedded/server.ts';
import { migrate } from '../src/store/migrate.ts';
import { dbStats, type DbStats } from '../src/store/repositories/db-stats.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { drive, type LoadResult } from './support/http-load.ts';
import { clusterMeter, postmasterPid, processSeconds } from './support/proc-cpu.ts';

const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 20_000);
const POOL = Number(process.env.BENCH_POOL ?? 8);
const TARGETS = (process.env.BENCH_TARGETS ?? 'postgres,embedded').split(',');
/** The database bench:settle makes for itself on the machine's PostgreSQL (and the embedded server). */
const DATABASE = process.env.BENCH_DATABASE ?? 'sanbao_bench_settle';
/** pgbench from the PATH, else Debian's (any version works against any server); undefined when there is none. */
const PGBENCH = findPgbench();

function findPgbench(): string | undefined {
  try {
    return execFileSync('bash', ['-c', 'command -v pgbench || ls -d /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function seed(db: Db): Promise<string[]> {
  const options = { ...SMALL_DEMO, persons: PERSONS, townships: 8, villagesPerTownship: 5 };
  await loadCounty(db, loadPolicies(), generateCounty(options), { year: options.year });
  const rows = await db.query<{ id_number: string }>(
    `SELECT p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled'`,
  );
  return rows.map((r) => r.id_number);
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []), 'bin/sanbao.mjs', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), SANBAO_DEMO: 'none', SANBAO_LOG_LEVEL: 'warn', SANBAO_DB_POOL_SIZE: String(POOL) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the service did not start');
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Where pgbench connects, and which processes are the server's. */
interface Target {
  readonly label: string;
  /** A prefix for transaction ids. */
  readonly slug: string;
  readonly pgbenchArgs: string[];
  readonly password: string;
  readonly pgdata: string;
  /** The database the service uses (its backends count towards the service's CPU). */
  readonly database: string;
  /** The database pgbench's tables are in. */
  readonly pgbenchDatabase: string;
}

/** pgbench's tps with this many clients on the target's server; NaN without a pgbench. */
function pgbench(target: Target, clients: number): number {
  if (!PGBENCH) return Number.NaN;
  const env = { ...process.env, PGPASSWORD: target.password };
  const out = execFileSync(
    PGBENCH,
    [...target.pgbenchArgs, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS), '-M', 'prepared', '-n', target.pgbenchDatabase],
    { env, encoding: 'utf8' },
  );
  const match = /tps = ([\d.]+)/.exec(out);
  if (!match) throw new Error(`could not read pgbench's tps from:\n${out}`);
  return Number(match[1]);
}

interface Row {
  clients: number;
  result: LoadResult;
  tps: number;
  serviceCpu: number;
  serverCpu: number;
}

/** Seeds, then for each client count: HTTP settle with CPU accounting, then pgbench on the same server. */
async function measure(target: Target, db: Db, env: Record<string, string>): Promise<Row[]> {
  log(`${target.label}: seeding ${PERSONS} people…`);
  const people = await seed(db);
  if (PGBENCH) {
    log(`${target.label}: pgbench -i (scale 10)…`);
    execFileSync(PGBENCH, [...target.pgbenchArgs, '-i', '-q', '-s', '10', target.pgbenchDatabase], { env: { ...process.env, PGPASSWORD: target.password }, stdio: 'ignore' });
  }
  const service = await startServer(env);
  const rows: Row[] = [];
  try {
    await drive(service.url, people, 2, 8, `${target.slug}-warm`);
    for (const clients of CLIENTS) {
      log(`${target.label}: ${clients} clients, ${SECONDS} s of HTTP settle, then pgbench…`);
      const postmaster = postmasterPid(target.pgdata);
      const s0 = processSeconds(service.child.pid!);
      const cluster = clusterMeter(postmaster, target.database);
      const result = await drive(service.url, people, SECONDS, clients, `${target.slug}-${clients}`);
      const serviceCpu = processSeconds(service.child.pid!) - s0;
      const serverCpu = serviceCpu + cluster.stop();
      rows.push({ clients, result, tps: pgbench(target, clients), serviceCpu, serverCpu });
    }
  } finally {
    await stopServer(service.child);
  }
  bytes = await dbStats(db);
  return rows;
}

/** What the database held per settlement after the last run (as `sanbao db stats` prints it). */
let bytes: DbStats | undefined;

function print(label: string, rows: Row[]): void {
  console.log(`\n${label}`);
  console.log('clients  settle/s    p50 ms   p99 ms  errors  pgbench tps  ratio  settle per CPU-s  service share of CPU');
  for (const r of rows) {
    const rate = r.result.count / r.result.seconds;
    const perCpu = r.serverCpu > 0 ? (r.result.count / r.serverCpu).toFixed(0) : 'n/a';
    const share = r.serverCpu > 0 ? `${((100 * r.serviceCpu) / r.serverCpu).toFixed(0)} %` : 'n/a';
    console.log(
      `${String(r.clients).padStart(7)}  ${rate.toFixed(0).padStart(8)}  ${r.result.p50.toFixed(1).padStart(8)} ${r.result.p99.toFixed(1).padStart(8)}  ${String(r.result.errors).padStart(6)}  ${(PGBENCH ? r.tps.toFixed(0) : 'n/a').padStart(11)}  ${(PGBENCH ? (rate / r.tps).toFixed(2) : 'n/a').padStart(5)}  ${perCpu.padStart(16)}  ${share.padStart(20)}`,
    );
  }
  if (bytes) console.log(`bytes per settlement (sanbao db stats): ${bytes.bytesPerSettlement ?? '–'} over ${bytes.settlements} settlements; steps ${bytes.stepsBytesPerSettlement ?? '–'} bytes`);
}

async function debianPostgres(): Promise<void> {
  const given = process.env.BENCH_PG_URL ?? execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  // A database of its own, made anew: the server's CPU is counted by database, and other work on the machine uses sanbao_bench.
  const admin = await openPostgres(given, 1);
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const [{ pgdata }] = (await admin.query<{ pgdata: string }>('SELECT current_setting($1) AS pgdata', ['data_directory'])) as [{ pgdata: string }];
  await admin.close();
  const at = new URL(given);
  at.pathname = `/${DATABASE}`;
  const url = at.toString();
  const db = await openPostgres(url);
  await migrate(db);
  const target: Target = {
    label: `PostgreSQL (${process.env.BENCH_PG_URL ? '' : 'Debian, '}${at.host})`,
    slug: 'pg',
    pgbenchArgs: ['-h', at.hostname, '-p', at.port || '5432', '-U', decodeURIComponent(at.username)],
    password: decodeURIComponent(at.password),
    pgdata,
    database: DATABASE,
    pgbenchDatabase: DATABASE,
  };
  try {
    print(target.label, await measure(target, db, { DATABASE_URL: url }));
  } finally {
    await db.close();
  }
}

async function embedded(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-bench-'));
  chmodSync(dir, 0o755);
  // This process holds the server while the service runs on it (as a CLI command would).
  const server = await acquireEmbeddedServer(dir);
  const c = server.connection;
  const admin = new pg.Client({ ...c, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const db = await openPostgres(c, 4, 'embedded');
  await migrate(db);
  const target: Target = {
    label: `embedded PostgreSQL (the default; ${c.host.startsWith('/') ? 'Unix socket' : 'loopback TCP'})`,
    slug: 'emb',
    pgbenchArgs: ['-h', c.host, '-p', String(c.port), '-U', c.user],
    password: c.password,
    pgdata: embeddedLayout(dir).pgdata,
    database: c.database,
    pgbenchDatabase: DATABASE,
  };
  try {
    print(target.label, await measure(target, db, { DATABASE_URL: '', SANBAO_DATA_DIR: dir }));
  } finally {
    await db.close();
    await server.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench:settle — HTTP settle beside pgbench TPC-B (scale 10, -M prepared), ${SECONDS} s each, service pool ${POOL}, ${PERSONS} people; aim: ratio 0.5 or better`);
// Other work on the machine slows both sides, the many-round-trip settle more than pgbench: say how busy it was.
if (!PGBENCH) console.log('pgbench not found (neither on the PATH nor /usr/lib/postgresql/*/bin): no floor, the ratio is n/a');
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
if (TARGETS.includes('postgres')) await debianPostgres();
if (TARGETS.includes('embedded')) await embedded();
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
