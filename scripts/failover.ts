/**
 * `npm run failover`: a hot standby by PostgreSQL's streaming replication, and
 * failover, exercised for real with Debian's PostgreSQL on loopback.
 *
 * Two clusters in a temporary folder: a primary, and a standby made by
 * pg_basebackup, streaming, with synchronous commit to it
 * (synchronous_standby_names). Sanbao runs on the primary with the small demo;
 * clients settle bills over HTTP; the primary is killed (SIGKILL) mid-stream;
 * the standby is promoted; every settlement Sanbao acknowledged (201) must be on
 * it. Then Sanbao starts again on the promoted standby and settles one more
 * bill. Exit 0 when nothing acknowledged was lost, 1 otherwise.
 *
 * Needs Debian's postgresql package (`bash scripts/pg-local.sh` installs it).
 * Run as root (the clusters run as the postgres user) or as a user that may run
 * initdb. Settings: FAILOVER_SECONDS (4: settling before the kill), FAILOVER_CLIENTS (4),
 * FAILOVER_SYNC (on; off: asynchronous replication, where the last commits may be lost).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../src/store/free-port.ts';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const SECONDS = Number(process.env.FAILOVER_SECONDS ?? 4);
const CLIENTS = Number(process.env.FAILOVER_CLIENTS ?? 4);
const SYNC = (process.env.FAILOVER_SYNC ?? 'on') !== 'off';
const KEY = 'sb_demo_dege_county_hospital';
const log = (line: string) => process.stdout.write(`${line}\n`);

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b)) : [];
  if (versions.length === 0) throw new Error('Debian PostgreSQL is not installed: run `bash scripts/pg-local.sh` first');
  return join(root, versions.at(-1)!, 'bin');
}

const BIN = binDir();
const asRoot = userInfo().uid === 0;
/** Runs a PostgreSQL program as the postgres user when we are root (PostgreSQL refuses root). */
function pgRun(program: string, args: string[]): string {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, program), ...args]] : [join(BIN, program), args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${seconds} s`);
}

async function startSanbao(databaseUrl: string, demo: 'small' | 'none'): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/sanbao.mjs', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SANBAO_DEMO: demo, PORT: String(port), SANBAO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Sanbao to answer', async () => (await fetch(`${url}/healthz`)).ok, 120);
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<number> {
  const base = mkdtempSync(join(tmpdir(), 'sanbao-failover-'));
  chmodSync(base, 0o777);
  if (asRoot) execFileSync('chown', ['postgres:postgres', base]);
  const primary = join(base, 'primary');
  const standby = join(base, 'standby');
  const [p1, p2] = [await freePort(), await freePort()];
  const processes: ChildProcess[] = [];
  try {
    log(`PostgreSQL ${BIN.split('/').at(-2)} in ${base}: primary on ${p1}, standby on ${p2}, ${SYNC ? 'synchronous' : 'asynchronous'} replication`);
    pgRun('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres', '--no-instructions']);
    appendFileSync(primary + '/postgresql.conf', [
      `port = ${p1}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${base}'`,
      'wal_level = replica', 'max_wal_senders = 4', 'fsync = on', 'synchronous_commit = on',
      SYNC ? `synchronous_standby_names = 'standby1'` : '', '',
    ].join('\n'));
    pgRun('pg_ctl', ['-D', primary, '-l', join(base, 'primary.log'), '-w', 'start']);
    pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', standby, '-X', 'stream', '-R']);
    // Promoted, the standby has no standby of its own: it must not wait for one on every commit.
    appendFileSync(standby + '/postgresql.auto.conf', `primary_conninfo = 'host=127.0.0.1 port=${p1} user=postgres application_name=standby1'\nsynchronous_standby_names = ''\n`);
    // The standby's own settings: its port; the primary's postgresql.conf came with the base backup.
    writeFileSync(standby + '/postgresql.conf', readFileSync(standby + '/postgresql.conf', 'utf8').replace(`port = ${p1}`, `port = ${p2}`));
    if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', standby]);
    pgRun('pg_ctl', ['-D', standby, '-l', join(base, 'standby.log'), '-w', 'start']);
    const admin = new pg.Client({ host: '127.0.0.1', port: p1, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE sanbao');
    await waitFor('the standby to stream', async () => {
      const r = await admin.query(`SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1' AND state = 'streaming'`);
      return r.rows.length === 1;
    });
    log(`standby streaming (${(await admin.query(`SELECT sync_state FROM pg_stat_replication`)).rows[0].sync_state})`);
    await admin.end();

    const primaryUrl = `postgres://postgres@127.0.0.1:${p1}/sanbao`;
    const sanbao = await startSanbao(primaryUrl, 'small');
    processes.push(sanbao.child);
    const reader = new pg.Client({ connectionString: primaryUrl });
    await reader.connect();
    const people = (await reader.query<{ id_number: string }>(
      `SELECT p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled' ORDER BY p.id LIMIT 2000`,
    )).rows.map((r) => r.id_number);
    await reader.end();
    log(`Sanbao on the primary with the demo county (${people.length} enrolled people); ${CLIENTS} clients settle for ${SECONDS} s, then the primary is killed`);

    const acknowledged: string[] = [];
    let failed = 0;
    let n = 0;
    let running = true;
    const client = async (c: number) => {
      while (running) {
        const id = `FO-${c}-${n++}`;
        try {
          const res = await fetch(`${sanbao.url}/api/v1/settlements`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ transactionId: id, patient: { idNumber: people[n % people.length] }, visit: { kind: 'outpatient', date: '2025-05-01' }, amounts: { total: 12_000, compliant: 10_000 } }),
            signal: AbortSignal.timeout(5_000),
          });
          if (res.status === 201) acknowledged.push(id);
          else failed++;
        } catch {
          failed++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const before = acknowledged.length;
    const pid = Number(readFileSync(join(primary, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    log(`killed the primary (SIGKILL to ${pid}) after ${before} acknowledged settlements`);
    await new Promise((r) => setTimeout(r, 1_000));
    running = false;
    await Promise.all(clients);
    await stop(sanbao.child);
    log(`acknowledged in all: ${acknowledged.length}; refused or unanswered after the kill: ${failed}`);

    pgRun('pg_ctl', ['-D', standby, '-w', 'promote']);
    const promotedUrl = `postgres://postgres@127.0.0.1:${p2}/sanbao`;
    const check = new pg.Client({ connectionString: promotedUrl });
    await check.connect();
    const present = (await check.query<{ n: string }>('SELECT count(*) AS n FROM settlements WHERE transaction_id = ANY($1)', [acknowledged])).rows[0]!.n;
    const lost = acknowledged.length - Number(present);
    log(`promoted the standby: ${present} of ${acknowledged.length} acknowledged settlements are there; lost: ${lost}`);
    const ledgerOk = (await check.query<{ ok: boolean }>(
      `SELECT coalesce(bool_and(a.basic = coalesce(s.basic, 0)), true) AS ok FROM accumulators a
         LEFT JOIN (SELECT x.person_id, x.year, sum(f.amount_fen) AS basic FROM settlements x JOIN settlement_funds f ON f.settlement_id = x.id
                     WHERE f.fund = 'basic' AND x.status = 'settled' GROUP BY 1, 2) s ON s.person_id = a.person_id AND s.year = a.year`,
    )).rows[0]?.ok;
    log(`the promoted standby's accumulators ${ledgerOk ? 'equal' : 'DO NOT equal'} the settlements they came from`);
    await check.end();

    const again = await startSanbao(promotedUrl, 'none');
    processes.push(again.child);
    const res = await fetch(`${again.url}/api/v1/settlements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ transactionId: 'FO-AFTER', patient: { idNumber: people[0] }, visit: { kind: 'outpatient', date: '2025-05-02' }, amounts: { total: 12_000, compliant: 10_000 } }),
    });
    log(`Sanbao on the promoted standby: a new settlement answers ${res.status}`);
    await stop(again.child);
    log(lost === 0 && res.status === 201 && ledgerOk !== false ? 'PASS: no acknowledged settlement was lost' : 'FAIL');
    return lost === 0 && res.status === 201 && ledgerOk !== false ? 0 : 1;
  } finally {
    for (const child of processes) await stop(child).catch(() => undefined);
    for (const dir of [standby, primary]) {
      try {
        pgRun('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
      } catch {
        // already stopped (the killed primary)
      }
    }
    if (!process.env.FAILOVER_KEEP) rmSync(base, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`failover: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
