/**
 * The defect of issue 9: `sanbao facility add`, run while the service runs on the
 * same data directory, printed a key and exit 0 — and the facility was gone after
 * a restart (two writers on one directory). Now the command goes through the
 * service's own PostgreSQL server, so what it writes is there after a restart;
 * and a facility it disables is refused by the running service at once.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from './support/interleave.ts';
import { runCli, startService } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-beside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const authorized = (url: string, key: string) =>
  fetch(`${url}/api/v1/settlements/none-such`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

describe('a CLI command beside the running service', () => {
  it('writes through the same server: the facility is there after a restart, and its key works at once', async () => {
    const first = await startService(dir);
    const added = runCli(dir, ['facility', 'add', '--code', 'H51333000088', '--name', '德格县藏医院', '--level', '2', '--division', '513330']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const key = /API key \(shown once[^:]*\): (\S+)/.exec(added.stdout)?.[1];
    expect(key).toMatch(/^sb_h51333000088_/);
    expect(await authorized(first.url, key!)).toBe(404); // known key, unknown settlement — not 401
    expect(await first.stop()).toBe(0);

    const second = await startService(dir);
    expect(await authorized(second.url, key!)).toBe(404);
    expect(runCli(dir, ['facility', 'list']).stdout).toContain('H51333000088');
    // Disabled from the CLI while the service remembers the key (for 30 s): refused within moments, the database telling the service.
    expect(runCli(dir, ['facility', 'disable', 'H51333000088']).status).toBe(0);
    await until('the service to refuse the disabled facility', async () => (await authorized(second.url, key!)) === 403);
    expect(await second.stop()).toBe(0);
    expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false); // SIGTERM stopped PostgreSQL too
  }, 240_000);
});
