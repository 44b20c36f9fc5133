/**
 * The embedded PostgreSQL: a real PostgreSQL server in SANBAO_DATA_DIR that
 * Sanbao initialises, starts and stops itself — fsync and synchronous commit on,
 * listening on a free loopback port and a Unix socket in the data directory.
 *
 * Every Sanbao process on the directory (the service, a CLI command beside it)
 * goes through the one server: the first starts it, the others connect to it
 * (its port and socket are read from PostgreSQL's own postmaster.pid), and the
 * last one out stops it. A postmaster.pid left by a crash is cleared.
 *
 *   data/postgres/        the cluster (PGDATA)
 *   data/postgres.json    port, user, password (mode 0600)
 *   data/postgres-run/    the Unix socket
 *   data/postgres-users/  one file per Sanbao process using the server
 *   data/postgres.lock    held while the server starts or stops
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, statSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { EmbeddedDatabaseError, postgresBinaries, type PostgresBinaries } from './binaries.ts';
import { liveUsers, processAlive, registerUser, unregisterUser, withLock } from './lock.ts';
import { checkReachable, giveTo, serverUser, type ServerUser } from './os-user.ts';
import { freePort } from '../free-port.ts';

export interface EmbeddedConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface EmbeddedServer {
  readonly connection: EmbeddedConnection;
  /** True when this call made the cluster (a new database). */
  readonly created: boolean;
  /** Stops using the server; the last process out stops it. */
  release(): Promise<void>;
}

interface Settings {
  port: number;
  user: string;
  password: string;
  database: string;
  createdAt: string;
}

interface Layout {
  readonly pgdata: string;
  readonly run: string;
  readonly users: string;
  readonly settings: string;
  readonly lock: string;
}

const MAJOR = '17';

export function embeddedLayout(dataDir: string): Layout {
  return {
    pgdata: join(dataDir, 'postgres'),
    run: join(dataDir, 'postgres-run'),
    users: join(dataDir, 'postgres-users'),
    settings: join(dataDir, 'postgres.json'),
    lock: join(dataDir, 'postgres.lock'),
  };
}

/** Starts the server in dataDir, or joins the one already running there. */
export async function acquireEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  const layout = embeddedLayout(dataDir);
  return withLock(layout.lock, async () => {
    const bins = await postgresBinaries();
    const user = serverUser();
    let created = false;
    let settings = readSettings(layout.settings);
    if (!existsSync(join(layout.pgdata, 'PG_VERSION')) || !settings) {
      if (existsSync(join(layout.pgdata, 'PG_VERSION'))) {
        throw new EmbeddedDatabaseError(`${layout.pgdata} holds a PostgreSQL cluster but ${layout.settings} is missing: restore that file, or move the folder away`);
      }
      settings = initialise(bins, user, layout);
      created = true;
    }
    const version = readFileSync(join(layout.pgdata, 'PG_VERSION'), 'utf8').trim();
    if (version !== MAJOR) throw new EmbeddedDatabaseError(`${layout.pgdata} was made by PostgreSQL ${version}, the embedded server is ${MAJOR}: back it up with that version first`);
    let running = runningServer(layout.pgdata);
    if (!running) {
      await start(bins, user, layout, settings);
      running = runningServer(layout.pgdata);
      if (!running) throw new EmbeddedDatabaseError(`the embedded PostgreSQL did not start: see ${join(layout.pgdata, 'startup.log')}`);
      await ensureDatabase(connectionOf(running, settings), settings.database);
    }
    registerUser(layout.users);
    return {
      connection: { ...connectionOf(running, settings), database: settings.database },
      created,
      release: () =>
        withLock(layout.lock, async () => {
          unregisterUser(layout.users);
          if (liveUsers(layout.users).length === 0 && runningServer(layout.pgdata)) stop(bins, user, layout);
        }),
    };
  });
}

function readSettings(file: string): Settings | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Settings;
}

function writeSettings(file: string, settings: Settings): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function run(user: ServerUser | undefined, binary: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(binary, args, {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    timeout: 120_000,
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? 'no output';
}

/** initdb: a new cluster owned by the server's user, password authentication only. */
function initialise(bins: PostgresBinaries, user: ServerUser | undefined, layout: Layout): Settings {
  rmSync(layout.pgdata, { recursive: true, force: true }); // what an interrupted initdb left
  // The server's user must pass through the data folder (mkdtemp makes it 0700): the
  // traverse bit only, the files inside keep their own modes.
  if (user) chmodSync(dirname(layout.pgdata), statSync(dirname(layout.pgdata)).mode | 0o011);
  for (const dir of [layout.pgdata, layout.run]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    giveTo(user, dir);
  }
  checkReachable(user, layout.pgdata, 'the data folder');
  const version = run(user, bins.postgres, ['--version']);
  if (!version.ok) {
    const who = user ? ` as the OS user "${user.name}" (can it reach ${bins.postgres}?)` : '';
    throw new EmbeddedDatabaseError(`the embedded PostgreSQL cannot run here${who}: ${lastLine(version.output)}`);
  }
  const settings: Settings = { port: 0, user: 'sanbao', password: randomBytes(18).toString('base64url'), database: 'sanbao', createdAt: new Date().toISOString() };
  const pwfile = join(layout.run, 'initdb-password');
  writeFileSync(pwfile, `${settings.password}\n`, { mode: 0o600 });
  giveTo(user, pwfile);
  try {
    const r = run(user, bins.initdb, [
      '-D', layout.pgdata, '-U', settings.user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale',
    ]);
    if (!r.ok) throw new EmbeddedDatabaseError(`initdb failed: ${lastLine(r.output)}`);
  } finally {
    unlinkSync(pwfile);
  }
  writeSettings(layout.settings, settings);
  return settings;
}

interface Running {
  readonly pid: number;
  readonly port: number;
  readonly socketDir: string;
}

/** The server running on pgdata, from its postmaster.pid; undefined when none runs. */
function runningServer(pgdata: string): Running | undefined {
  const file = join(pgdata, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!isPostmaster(pid)) return undefined;
  return { pid, port: Number(lines[3]), socketDir: lines[4]?.trim() ?? '' };
}

/** Alive, and (where /proc tells) a postgres process — a reused pid is not. */
function isPostmaster(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc: trust the pid
  }
}

function connectionOf(running: Running, settings: Settings): EmbeddedConnection {
  return { host: running.socketDir || '127.0.0.1', port: running.port, user: settings.user, password: settings.password, database: 'postgres' };
}

function portFree(port: number): Promise<boolean> {
  if (!port) return Promise.resolve(false);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The server's settings, on its command line so they are the code's: durability
 * on (fsync, synchronous commit, full-page writes), loopback and socket only,
 * a week of logs in PGDATA/log.
 */
function serverOptions(port: number, socketDir: string): string {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'on',
    synchronous_commit: 'on',
    full_page_writes: 'on',
    logging_collector: 'on',
    log_filename: 'postgresql-%a.log',
    log_truncate_on_rotation: 'on',
    log_rotation_age: '1d',
    log_rotation_size: '0',
  };
  return Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${quote(v)}`)
    .join(' ');
}

async function start(bins: PostgresBinaries, user: ServerUser | undefined, layout: Layout, settings: Settings): Promise<void> {
  // A postmaster.pid whose process is gone (power cut, kill -9) or is another program now.
  if (existsSync(join(layout.pgdata, 'postmaster.pid'))) rmSync(join(layout.pgdata, 'postmaster.pid'));
  mkdirSync(layout.run, { recursive: true, mode: 0o700 });
  giveTo(user, layout.run);
  for (let attempt = 0; ; attempt++) {
    const port = (await portFree(settings.port)) ? settings.port : await freePort();
    if (port !== settings.port) writeSettings(layout.settings, { ...settings, port });
    settings.port = port;
    // A Unix socket path is limited to about 100 bytes; past that, loopback TCP only.
    const socketDir = join(layout.run, `.s.PGSQL.${port}`).length < 100 && process.platform !== 'win32' ? layout.run : '';
    const r = run(user, bins.pgCtl, ['start', '-D', layout.pgdata, '-w', '-t', '60', '-s', '-l', join(layout.pgdata, 'startup.log'), '-o', serverOptions(port, socketDir)]);
    if (r.ok) return;
    if (attempt >= 2) throw new EmbeddedDatabaseError(`the embedded PostgreSQL did not start (${lastLine(r.output)}); see ${join(layout.pgdata, 'startup.log')}`);
    settings.port = 0; // the port was taken between the check and the start: another one
  }
}

function stop(bins: PostgresBinaries, user: ServerUser | undefined, layout: Layout): void {
  const r = run(user, bins.pgCtl, ['stop', '-D', layout.pgdata, '-m', 'fast', '-w', '-t', '120', '-s']);
  if (!r.ok && runningServer(layout.pgdata)) throw new EmbeddedDatabaseError(`the embedded PostgreSQL did not stop: ${lastLine(r.output)}`);
}

/** The application database, made on the first start. */
async function ensureDatabase(connection: EmbeddedConnection, name: string): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const rows = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
