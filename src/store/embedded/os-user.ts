/**
 * PostgreSQL refuses to run as root. Run as root (a container, a county office's
 * single machine), the embedded server runs as the OS user `postgres`, made when
 * missing; otherwise as the user running Sanbao.
 */
import { spawnSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { EmbeddedDatabaseError } from './binaries.ts';

export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const NAME = 'postgres';

function lookup(name: string): ServerUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The user to run the server as: undefined for "this process's own user". */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookup(NAME);
  if (existing) return existing;
  spawnSync('groupadd', ['--system', NAME], { stdio: 'ignore' });
  spawnSync('useradd', ['--system', '--gid', NAME, '--no-create-home', '--shell', '/usr/sbin/nologin', NAME], { stdio: 'ignore' });
  const made = lookup(NAME);
  if (!made) throw new EmbeddedDatabaseError(`running as root, the embedded PostgreSQL needs an OS user "${NAME}" and could not create one; create it, or run as another user`);
  return made;
}

/** Gives a file or folder to the server's user (nothing to do when it is this process's own). */
export function giveTo(user: ServerUser | undefined, path: string): void {
  if (user) chownSync(path, user.uid, user.gid);
}

/** Fails with one line when the server's user cannot reach a path (a data folder under /root, say). */
export function checkReachable(user: ServerUser | undefined, path: string, what: string): void {
  if (!user) return;
  const r = spawnSync('test', ['-w', path], { uid: user.uid, gid: user.gid });
  if (r.status !== 0) {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL runs as the OS user "${user.name}", who cannot reach ${what} ${path}: put SANBAO_DATA_DIR (and Sanbao) where that user can reach, run as another user, or set DATABASE_URL`,
    );
  }
}
