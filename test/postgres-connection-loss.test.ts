/**
 * A connection PostgreSQL ends while a transaction holds it (the server killed,
 * a failover, an administrator's pg_terminate_backend) fails that transaction
 * only: the process lives on, and the pool's next query gets a new connection.
 * Found by `npm run failover`, where the service died with the primary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/store/postgres-db.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

describe.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('a connection lost in a transaction', () => {
  it('fails the transaction, not the process; the next query works', async () => {
    const admin = await openPostgres(t.url!, 1);
    try {
      const failed = t.db.transaction(async (tx) => {
        const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Between two statements (Node at work, no query on the wire) the server ends the connection.
        await admin.query('SELECT pg_terminate_backend($1)', [me!.pid]);
        await new Promise((r) => setTimeout(r, 300));
        await tx.query('SELECT 1');
      });
      await expect(failed).rejects.toThrow();
      // An uncaught 'error' event would have ended the test process here.
      expect(await t.db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    } finally {
      await admin.close();
    }
  });
});
