/**
 * A new county's first mistake is often DATABASE_URL itself: a wrong port, password
 * or database name. The CLI and the service said "unexpected error: connect
 * ECONNREFUSED 127.0.0.1:1"; they now name the database (password masked), the
 * reason, and the setting to check, on one line.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open.ts';
import { DatabaseConnectionError } from '../src/store/connection-error.ts';
import { spawnCli } from './support/service-process.ts';

const URL = 'postgres://sanbao:s3cret-pw@127.0.0.1:1/county';

describe('a DATABASE_URL that cannot be reached', () => {
  it('is refused with the masked address, the reason and the setting to check', async () => {
    const error = await openDatabase({ databaseUrl: URL }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConnectionError);
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot open the database postgres:\/\/sanbao:\*\*\*@127\.0\.0\.1:1\/county: .*ECONNREFUSED.* — check DATABASE_URL/);
    expect(message).not.toContain('s3cret');
  });

  it('the CLI says so on one line, exit 1, for a command and for serve', async () => {
    for (const args of [['staff', 'list'], ['serve']]) {
      const r = await spawnCli(args, { env: { DATABASE_URL: URL, PORT: '0' } });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^sanbao: cannot open the database postgres:\/\/sanbao:\*\*\*@127\.0\.0\.1:1\/county: .* — check DATABASE_URL/)]);
    }
  }, 60_000);
});
