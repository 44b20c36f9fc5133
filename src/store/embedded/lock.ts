/**
 * Coordination between Sanbao processes sharing one data directory: a lock file
 * held while the server is started or stopped, and one file per process using
 * the server, so the last one out stops it. The PostgreSQL lock file
 * (postmaster.pid) remains the final guard: one postmaster per directory.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedDatabaseError } from './binaries.ts';

/** True when a process with this id exists (possibly another user's). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs fn holding the lock file; a lock left by a process that died is taken over. */
export async function withLock<T>(file: string, fn: () => Promise<T>, waitMs = 120_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readSafely(file));
    if (holder && !processAlive(holder)) {
      removeSafely(file); // its holder died while starting or stopping the server
      continue;
    }
    if (Date.now() > deadline) {
      throw new EmbeddedDatabaseError(`another Sanbao process (pid ${holder || '?'}) is starting or stopping the embedded database; try again`);
    }
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    removeSafely(file);
  }
}

/** Records this process as a user of the server. */
export function registerUser(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, String(process.pid)), `${new Date().toISOString()}\n`);
}

export function unregisterUser(dir: string): void {
  removeSafely(join(dir, String(process.pid)));
}

/** The processes still using the server; files of processes that died are removed. */
export function liveUsers(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (processAlive(pid)) live.push(pid);
    else removeSafely(join(dir, name));
  }
  return live;
}

function readSafely(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function removeSafely(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
