/**
 * `npm start` stopped the way a supervisor or an operator stops it: SIGTERM or
 * SIGINT sent to the npm process itself (not to the whole process group), a
 * Ctrl-C that reaches the service twice, and an npm that dies. Each time the
 * service and the embedded PostgreSQL it started must be gone, the data
 * directory's locks released, and the next start must work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bureauYear } from '../src/domain/bureau-time.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { startService } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-signals-'));
const fresh = mkdtempSync(join(tmpdir(), 'sanbao-signals-first-')); // a first start, with the demo to load
const started = new Set<number>(); // every service and postmaster a start made, stopped after the test if still alive

afterAll(async () => {
  for (const pid of started) {
    if (!alive(pid)) continue;
    process.kill(pid, readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' ? 'SIGINT' : 'SIGTERM');
    await gone(pid);
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(fresh, { recursive: true, force: true });
}, 120_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  readonly launcher: ChildProcess;
  /** The Sanbao process (it registers itself in postgres-users) and the postmaster. */
  readonly service: number;
  readonly postmaster: number;
  readonly output: () => string;
}

/** `npm start` (or the node command itself) on the test's data directory, until the service prints its URL. */
async function start(how: 'npm' | 'node'): Promise<Started> {
  const { child: launcher, output } = await startService(dir, { SANBAO_DEMO: 'none' }, how);
  started.add(launcher.pid!);
  const users = readdirSync(join(dir, 'postgres-users')).map(Number);
  for (const pid of users) started.add(pid);
  expect(users).toHaveLength(1);
  const service = users[0]!;
  const postmaster = Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  started.add(postmaster);
  expect(alive(postmaster)).toBe(true);
  return { launcher, service, postmaster, output };
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function gone(pid: number, withinMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Nothing of the service is left: no process, no postmaster.pid, no user file, no lock. */
async function expectStopped(s: Started): Promise<void> {
  expect(await gone(s.service), 'the Sanbao process is still running').toBe(true);
  expect(await gone(s.postmaster), 'the embedded PostgreSQL is still running').toBe(true);
  expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
  expect(readdirSync(join(dir, 'postgres-users'))).toEqual([]);
  expect(existsSync(join(dir, 'postgres.lock'))).toBe(false);
}

describe('stopping `npm start`', () => {
  it('SIGTERM to the npm process stops the service and its PostgreSQL; SIGINT too; the next start works', async () => {
    const first = await start('npm');
    // A current year no policy covers is said once, among the start-up lines (the monitoring job no longer repeats it).
    const year = bureauYear(new Date());
    const covered = loadFixturePolicies().list().some((p) => p.year === year);
    expect(first.output().split(`no policy covers ${year}`).length - 1).toBe(covered ? 0 : 1);
    first.launcher.kill('SIGTERM');
    await exited(first.launcher);
    await expectStopped(first);
    expect(first.output()).toContain('SIGTERM: finishing in-flight requests');

    const second = await start('npm'); // the same data directory: nothing left in the way
    expect((await fetch(/running at (http:\/\/[\d.:]+)/.exec(second.output())![1] + '/healthz')).status).toBe(200);
    second.launcher.kill('SIGINT');
    await exited(second.launcher);
    await expectStopped(second);
  }, 240_000);

  it('a second signal while the service is closing (Ctrl-C reaching it from the terminal and from npm) does not cut it short', async () => {
    const s = await start('node');
    process.kill(s.service, 'SIGINT');
    process.kill(s.service, 'SIGINT');
    process.kill(s.service, 'SIGTERM');
    await exited(s.launcher);
    expect(s.launcher.exitCode, `${s.launcher.signalCode} ${s.output()}`).toBe(0);
    await expectStopped(s);
  }, 120_000);

  it('SIGHUP (the terminal closed, an SSH session dropped) stops it cleanly too', async () => {
    const s = await start('node');
    process.kill(s.service, 'SIGHUP');
    await exited(s.launcher);
    expect(s.launcher.exitCode, s.output()).toBe(0);
    await expectStopped(s);
  }, 120_000);

  it('when npm itself is killed outright, the service notices and stops with its PostgreSQL', async () => {
    const s = await start('npm');
    s.launcher.kill('SIGKILL');
    await expectStopped(s);
  }, 120_000);

  it('a signal during the first start (the demo county loading) lets the start finish, then stops everything', async () => {
    const launcher = spawn(process.execPath, ['bin/sanbao.mjs', 'serve'], {
      env: { ...process.env, PORT: '0', SANBAO_DATA_DIR: fresh, DATABASE_URL: '', SANBAO_LOG_LEVEL: 'warn', SANBAO_DEMO: 'small' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(launcher.pid!);
    let out = '';
    launcher.stdout.on('data', (d) => (out += d));
    const output = () => out;
    const users = join(fresh, 'postgres-users');
    const deadline = Date.now() + 90_000;
    while (!(existsSync(users) && readdirSync(users).length > 0)) {
      // the process registers as the server's user once PostgreSQL runs, before the demo loads
      expect(Date.now() < deadline && launcher.exitCode === null, output()).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
    }
    const postmaster = Number(readFileSync(join(fresh, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    started.add(postmaster);
    launcher.kill('SIGTERM');
    await exited(launcher);
    expect(launcher.exitCode, `${launcher.signalCode} ${output()}`).toBe(0);
    expect(output()).toContain('SIGTERM: finishing in-flight requests');
    expect(await gone(postmaster)).toBe(true);
    expect(existsSync(join(fresh, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(readdirSync(users)).toEqual([]);
  }, 120_000);
});
