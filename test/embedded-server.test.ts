/**
 * The embedded PostgreSQL a county office can trust: durable settings, the data
 * surviving a crash of the server, one postmaster per directory however many
 * processes start at once, and the server stopped when the last one leaves.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive } from '../src/store/embedded/lock.ts';
import { embeddedLayout } from '../src/store/embedded/server.ts';
import { openDatabase } from '../src/store/open.ts';

const dirs: string[] = [];
function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-emb-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const postmasterPid = (dir: string) => Number(readFileSync(join(embeddedLayout(dir).pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
const running = (dir: string) => existsSync(join(embeddedLayout(dir).pgdata, 'postmaster.pid'));

describe('the embedded PostgreSQL', () => {
  it('runs with fsync, synchronous commit and full-page writes on, on the port it recorded', async () => {
    const dir = newDir();
    const db = await openDatabase({ dataDir: dir });
    expect(db.kind).toBe('embedded');
    expect(db.created).toBe(true);
    const [s] = await db.query<{ fsync: string; sync: string; fpw: string; port: string; version: string }>(
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync,
              current_setting('full_page_writes') AS fpw, current_setting('port') AS port, current_setting('server_version_num') AS version`,
    );
    expect(s).toMatchObject({ fsync: 'on', sync: 'on', fpw: 'on' });
    expect(Number(s!.version)).toBeGreaterThanOrEqual(170000);
    const recorded = JSON.parse(readFileSync(embeddedLayout(dir).settings, 'utf8')) as { port: number; password: string };
    expect(Number(s!.port)).toBe(recorded.port);
    expect(recorded.password.length).toBeGreaterThanOrEqual(20);
    await db.close();
    expect(running(dir)).toBe(false); // the last one out stopped it
  });

  it('keeps committed rows when the server is killed, and starts again over the postmaster.pid it left', async () => {
    const dir = newDir();
    const db = await openDatabase({ dataDir: dir });
    await db.query(`INSERT INTO divisions (code, name, level) VALUES ('513330', '德格县', 1)`);
    const pid = postmasterPid(dir);
    process.kill(pid, 'SIGKILL'); // a power cut, as far as the cluster can tell
    await new Promise((r) => setTimeout(r, 300));
    await db.close().catch(() => undefined);
    expect(running(dir)).toBe(true); // the lock file stays behind

    // A pid that is alive but no postgres (reused after a reboot) is stale too.
    const pidFile = join(embeddedLayout(dir).pgdata, 'postmaster.pid');
    writeFileSync(pidFile, readFileSync(pidFile, 'utf8').replace(/^\d+/, String(process.pid)));
    const again = await openDatabase({ dataDir: dir });
    expect(again.created).toBe(false);
    expect(await again.query(`SELECT name FROM divisions WHERE code = '513330'`)).toEqual([{ name: '德格县' }]);
    await again.close();
  });

  it('starts one postmaster however many processes open a new directory at once; the last one out stops it', async () => {
    const dir = newDir();
    const run = () =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/sanbao.mjs', 'facility', 'list'], {
          env: { ...process.env, SANBAO_DATA_DIR: dir, DATABASE_URL: '' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.once('exit', (code) => resolve({ code, err }));
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results).toEqual([
      { code: 0, err: '' },
      { code: 0, err: '' },
      { code: 0, err: '' },
    ]);
    expect(running(dir)).toBe(false);
    const log = readFileSync(join(embeddedLayout(dir).pgdata, 'startup.log'), 'utf8');
    expect(log).not.toMatch(/lock file .* already exists/);
  });

  it('a process that died while using the server does not keep it running for ever', async () => {
    const dir = newDir();
    const db = await openDatabase({ dataDir: dir });
    writeFileSync(join(embeddedLayout(dir).users, '999999999'), 'a process that is gone\n');
    expect(processAlive(999_999_999)).toBe(false);
    await db.close();
    expect(running(dir)).toBe(false);
  });
});
