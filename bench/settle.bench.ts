/**
 * `npm run bench:settle`: drives the HTTP settle endpoint with concurrent
 * clients against a real PostgreSQL on this machine, then runs pgbench (TPC-B,
 * same client count) on the same server, and prints settlements/s, p50/p99
 * latency and the ratio to pgbench's tps. Then the same load on PGlite.
 *
 * Settings (environment): BENCH_CLIENTS (16), BENCH_SECONDS (15), BENCH_PERSONS (20000), BENCH_POOL (8: the
 * service's connections to PostgreSQL; fewer than clients measured faster here than one per client).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCounty, SMALL_DEMO } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Db } from '../src/store/db.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 20_000);
/** Connections from the service to PostgreSQL; fewer than clients, as a real deployment would run. */
const POOL = Number(process.env.BENCH_POOL ?? 8);
const KEY = 'sb_demo_dege_county_hospital';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

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
  const child = spawn(process.execPath, ['bin/sanbao.mjs', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), SANBAO_DEMO: 'none', SANBAO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
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

interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** CLIENTS loops, each settling one bill after another for a random enrolled person, for `seconds`. */
async function drive(url: string, people: string[], seconds: number, label: string): Promise<LoadResult> {
  // node:http with keep-alive: a light client, so the load generator takes as little of the 2 cores as pgbench's does.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const target = new URL(`${url}/api/v1/settlements`);
  const latencies: number[] = [];
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const n = sequence++;
      const idNumber = people[(n * 7919 + w) % people.length]!;
      const total = 50_000 + ((n * 104_729) % 5_000_000);
      const body = JSON.stringify({
        transactionId: `${label}-${w}-${n}`,
        patient: { idNumber },
        visit: { kind: 'inpatient', date: '2025-07-01' },
        amounts: { total, compliant: Math.floor((total * 4) / 5) },
      });
      const t0 = performance.now();
      const status = await post(agent, target, body);
      if (status === 201) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, w) => worker(w)));
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { count: latencies.length, errors, seconds: elapsed, p50: at(0.5), p99: at(0.99) };
}

function post(agent: Agent, target: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${KEY}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function pgbench(): number {
  const env = { ...process.env, PGPASSWORD: 'postgres' };
  const common = ['-h', '127.0.0.1', '-U', 'postgres'];
  log('pgbench: initializing (scale 10)…');
  execFileSync('pgbench', [...common, '-i', '-q', '-s', '10', 'sanbao_bench'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
  log(`pgbench: TPC-B, ${CLIENTS} clients, ${SECONDS} s…`);
  const out = execFileSync('pgbench', [...common, '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-M', 'prepared', '-n', 'sanbao_bench'], {
    env,
    encoding: 'utf8',
  });
  const match = /tps = ([\d.]+)/.exec(out);
  if (!match) throw new Error(`could not read pgbench's tps from:\n${out}`);
  return Number(match[1]);
}

function report(label: string, r: LoadResult): number {
  const rate = r.count / r.seconds;
  console.log(`${label}: ${rate.toFixed(0)} settlements/s (${r.count} in ${r.seconds.toFixed(1)} s, ${CLIENTS} clients), p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`);
  return rate;
}

async function main(): Promise<void> {
  const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  const admin = await openPostgres(base, 1);
  await admin.query('DROP SCHEMA IF EXISTS bench_settle CASCADE');
  await admin.query('CREATE SCHEMA bench_settle');
  await admin.close();
  const url = `${base}?options=${encodeURIComponent('-c search_path=bench_settle')}`;

  log(`seeding ${PERSONS} people on PostgreSQL…`);
  const db = await openDatabase({ databaseUrl: url });
  const people = await seed(db);
  await db.close();

  const pgServer = await startServer({ DATABASE_URL: url, SANBAO_DB_POOL_SIZE: String(POOL) });
  log('warming up…');
  await drive(pgServer.url, people, 2, 'warm');
  log(`settling over HTTP for ${SECONDS} s…`);
  const pgResult = await drive(pgServer.url, people, SECONDS, 'pg');
  await stopServer(pgServer.child);

  const tps = pgbench();

  log('seeding PGlite…');
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-bench-'));
  const lite = await openDatabase({ dataDir: dir });
  const litePeople = await seed(lite);
  await lite.close();
  const liteServer = await startServer({ DATABASE_URL: '', SANBAO_DATA_DIR: dir });
  await drive(liteServer.url, litePeople, 2, 'warm');
  const liteResult = await drive(liteServer.url, litePeople, Math.min(SECONDS, 10), 'lite');
  await stopServer(liteServer.child);
  rmSync(dir, { recursive: true, force: true });

  console.log('');
  const rate = report('PostgreSQL, HTTP settle', pgResult);
  console.log(`pgbench TPC-B (same server, ${CLIENTS} clients): ${tps.toFixed(0)} tps`);
  console.log(`ratio settlements/s ÷ pgbench tps: ${(rate / tps).toFixed(2)} (aim: 0.5 or better)`);
  report('PGlite (embedded), HTTP settle', liteResult);
}

await main();
