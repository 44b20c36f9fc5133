/**
 * Transactions on PostgreSQL send BEGIN with their first statement and may send
 * COMMIT with their last (src/store/pg-transaction.ts). What must hold, on
 * PostgreSQL and on PGlite alike (where lastStatement is an ordinary statement):
 * the first statement runs inside the transaction; a failure anywhere writes
 * nothing and leaves no transaction open on the pooled connection; a COMMIT that
 * fails (a deferred check) is reported; nothing runs after the committing statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastStatement, type Db } from '../src/store/db.ts';
import { rolledBack } from '../src/store/dry-run.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;
/** One connection only (PostgreSQL): whatever a transaction leaves on it, the next user meets. */
let one: Db;
const pg = Boolean(process.env.SANBAO_TEST_DATABASE_URL);

beforeAll(async () => {
  t = await createTestDb();
  await t.db.exec(`CREATE TABLE rt_parent (id int PRIMARY KEY);
    CREATE TABLE rt_child (id int PRIMARY KEY, parent int REFERENCES rt_parent DEFERRABLE INITIALLY DEFERRED)`);
  one = pg ? await openPostgres(t.url!, 1) : t.db;
});
afterAll(async () => {
  if (pg) await one?.close();
  await t?.drop();
});

const count = async (table: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe('a transaction whose BEGIN goes with its first statement', () => {
  it('runs its first statement inside the transaction', async () => {
    const [a, b] = await one.transaction(async (tx) => {
      const [first] = await tx.query<{ at: string; xact: string }>('SELECT now()::text AS at, transaction_timestamp()::text AS xact');
      await new Promise((r) => setTimeout(r, 30));
      const [second] = await tx.query<{ at: string }>('SELECT now()::text AS at');
      return [first!.at, second!.at];
    });
    // now() is the transaction's start: the same in both statements only when the first ran after BEGIN.
    expect(b).toBe(a);
  });

  it('writes nothing when the function throws after its first statement, and the connection is clean after', async () => {
    await expect(one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [1]);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await count('rt_parent')).toBe(0);
    // A statement outside any transaction on the same connection is committed at once (no transaction left open).
    await one.query('INSERT INTO rt_parent (id) VALUES ($1)', [2]);
    expect(await count('rt_parent')).toBe(1);
    await t.db.query('DELETE FROM rt_parent');
  });

  it('keeps statements sent at once in order, inside the transaction', async () => {
    const [a, b, c] = await one.transaction((tx) => Promise.all([
      tx.query<{ at: string }>('SELECT now()::text AS at'),
      tx.query<{ at: string }>(`SELECT now()::text AS at, pg_sleep(0.02)::text AS slept`),
      tx.query<{ at: string; n: number }>('SELECT now()::text AS at, count(*)::int AS n FROM rt_parent'),
    ]));
    expect([b![0]!.at, c![0]!.at]).toEqual([a![0]!.at, a![0]!.at]);
  });

  it('sends nothing for a transaction without statements', async () => {
    expect(await one.transaction(async () => 7)).toBe(7);
  });
});

describe('the last statement carrying the COMMIT (lastStatement)', () => {
  it('commits the transaction with it', async () => {
    const rows = await one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [10]);
      return lastStatement(tx).query<{ id: number }>('INSERT INTO rt_child (id, parent) VALUES ($1, $2) RETURNING id', [10, 10]);
    });
    expect(rows).toEqual([{ id: 10 }]);
    expect([await count('rt_parent'), await count('rt_child')]).toEqual([1, 1]);
  });

  it('sends BEGIN, the statement and COMMIT together when it is the only statement', async () => {
    const rows = await one.transaction((tx) => lastStatement(tx).query<{ id: number }>('INSERT INTO rt_parent (id) VALUES ($1) RETURNING id', [11]));
    expect(rows).toEqual([{ id: 11 }]);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 11')).toEqual([{ id: 11 }]);
    await t.db.query('DELETE FROM rt_parent WHERE id = 11');
  });

  it('writes nothing of the transaction when the statement fails, and leaves no transaction open', async () => {
    const failed = one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [20]);
      // A duplicate key: the statement fails, so the COMMIT behind it finds a failed transaction.
      return lastStatement(tx).query('INSERT INTO rt_parent (id) VALUES ($1)', [10]);
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(await t.db.query('SELECT id FROM rt_parent ORDER BY id')).toEqual([{ id: 10 }]);
    await one.query('INSERT INTO rt_parent (id) VALUES ($1)', [21]);
    expect(await count('rt_parent')).toBe(2);
  });

  it('reports a COMMIT that fails (a deferred check) and writes nothing', async () => {
    const failed = one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [30]);
      // Its parent does not exist: checked at COMMIT only.
      return lastStatement(tx).query('INSERT INTO rt_child (id, parent) VALUES ($1, $2)', [30, 999]);
    });
    await expect(failed).rejects.toMatchObject({ code: '23503' });
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 30')).toEqual([]);
    await one.query('INSERT INTO rt_parent (id) VALUES ($1)', [31]);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 31')).toEqual([{ id: 31 }]);
  });

  it('commits nothing in a dry run (rolledBack): there it is an ordinary statement', async () => {
    const rows = await rolledBack(one, (tx) => lastStatement(tx).query<{ id: number }>('INSERT INTO rt_parent (id) VALUES ($1) RETURNING id', [12]));
    expect(rows).toEqual([{ id: 12 }]);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 12')).toEqual([]);
  });

  it.skipIf(!pg)('refuses a statement after it, and what it committed stays', async () => {
    const after = one.transaction(async (tx) => {
      await lastStatement(tx).query('INSERT INTO rt_parent (id) VALUES ($1)', [40]);
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [41]);
    });
    await expect(after).rejects.toThrow(/committed with its last statement/);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id IN (40, 41) ORDER BY id')).toEqual([{ id: 40 }]);
    await one.query('INSERT INTO rt_parent (id) VALUES ($1)', [42]);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 42')).toEqual([{ id: 42 }]);
  });

  it.skipIf(!pg)('reports a transaction that had failed before it (its error swallowed) as not committed', async () => {
    const swallowed = one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [50]);
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [50]).catch(() => undefined);
      return lastStatement(tx).query('SELECT 1 AS one');
    });
    await expect(swallowed).rejects.toMatchObject({ code: '25P02' });
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 50')).toEqual([]);
  });

  it('fails a transaction whose function swallowed a failed statement and returned, rather than report it committed', async () => {
    const swallowed = one.transaction(async (tx) => {
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [60]);
      await tx.query('INSERT INTO rt_parent (id) VALUES ($1)', [60]).catch(() => undefined);
      return 'done';
    });
    await expect(swallowed).rejects.toThrow(/not committed|rolled back/);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 60')).toEqual([]);
    await one.query('INSERT INTO rt_parent (id) VALUES ($1)', [61]);
    expect(await t.db.query('SELECT id FROM rt_parent WHERE id = 61')).toEqual([{ id: 61 }]);
  });
});
