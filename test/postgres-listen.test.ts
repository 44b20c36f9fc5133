/**
 * Db.listen on PostgreSQL (what tells a running service that a facility
 * changed): notifications sent at commit arrive on the listener's own
 * connection; when that connection is lost (a server restart, a terminated
 * backend) it is made again and the listener told it may have missed some
 * (null); once stopped, nothing more arrives. PGlite listens in-process only.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './support/db.ts';
import { until } from './support/interleave.ts';

const onPostgres = process.env.SANBAO_TEST_DATABASE_URL !== undefined;
let t: TestDb;
beforeAll(async () => {
  if (onPostgres) t = await createTestDb();
});
afterAll(() => t?.drop());

describe.skipIf(!onPostgres)('listening for notifications on PostgreSQL', () => {
  it('hears each commit, listens again after its connection is lost (saying so), and stops when told', async () => {
    const channel = `sanbao_test_${randomBytes(4).toString('hex')}`;
    const heard: (string | null)[] = [];
    const stop = await t.db.listen!(channel, (payload) => heard.push(payload));
    const notify = (payload: string) => t.db.query('SELECT pg_notify($1, $2)', [channel, payload]);

    await notify('one');
    await until('the first notification', async () => heard.includes('one'));
    // Rolled back: never sent.
    await t.db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', [channel, 'rolled back']);
      throw new Error('undo');
    }).catch(() => undefined);

    const [ended] = await t.db.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE query = $1`,
      [`LISTEN "${channel}"`],
    );
    expect(ended!.n).toBe('1');
    await until('the listener to say it listens again', async () => heard.includes(null));
    await notify('two');
    await until('a notification after the connection was made again', async () => heard.includes('two'));

    await stop();
    await notify('three');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual(['one', null, 'two']);
  }, 30_000);
});
