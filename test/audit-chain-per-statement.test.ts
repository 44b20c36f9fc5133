/**
 * The audit chain's tip moves once per statement (migration 202611290100): a
 * statement writing many audit rows (a batch of settlements) updates its chain's
 * tip once, and the chain stays whole across several INSERTs in one statement,
 * savepoints rolled back, failed statements and later transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const bulk = (n: number, actor: string) =>
  `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
   SELECT '${actor}', 'test.bulk', 'thing', g::text, jsonb_build_object('g', g) FROM generate_series(1, ${n}) g`;

/** Each chain's rows numbered 1, 2, 3… and its tip on its last row. */
async function chainsWhole(): Promise<void> {
  expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  const chains = await t.db.query<{ stream: number; seqs: string[] }>(
    'SELECT chain_stream AS stream, array_agg(chain_seq::text ORDER BY chain_seq) AS seqs FROM audit_log GROUP BY chain_stream',
  );
  for (const c of chains) expect(c.seqs.map(Number)).toEqual(Array.from({ length: c.seqs.length }, (_, i) => i + 1));
}

describe('the audit chain, its tip moved once per statement', () => {
  it('updates the tip once for a statement of many rows, and chains every row', async () => {
    const updates = await t.db.transaction(async (tx) => {
      await tx.query(bulk(16, 'batch'));
      const [row] = await tx.query<{ n: number }>(
        `SELECT n_tup_upd::int AS n FROM pg_stat_xact_user_tables WHERE relid = 'audit_chain_tip'::regclass`,
      );
      return row?.n;
    });
    // Row by row it was 16 updates of the tip (16 row versions and WAL records).
    expect(updates).toBe(1);
    const [tip] = await t.db.query<{ seq: string; hash: string }>(
      `SELECT t.seq::text AS seq, t.hash FROM audit_chain_tip t JOIN audit_log a ON a.chain_stream = t.stream AND a.actor = 'batch' GROUP BY t.stream, t.seq, t.hash`,
    );
    const [last] = await t.db.query<{ seq: string; row_hash: string }>(`SELECT chain_seq::text AS seq, row_hash FROM audit_log WHERE actor = 'batch' ORDER BY chain_seq DESC LIMIT 1`);
    expect(tip).toEqual({ seq: last!.seq, hash: last!.row_hash });
    await chainsWhole();
  });

  it('chains rows of two INSERTs in one statement, and statements after it in the same transaction', async () => {
    await t.db.transaction(async (tx) => {
      await tx.query(
        `WITH a AS (INSERT INTO audit_log (actor, action, entity, entity_id) SELECT 'two', 'test.a', 'thing', g::text FROM generate_series(1, 3) g),
              b AS (INSERT INTO audit_log (actor, action, entity, entity_id) SELECT 'two', 'test.b', 'thing', g::text FROM generate_series(1, 4) g)
         SELECT 1`,
      );
      await tx.query(bulk(2, 'two'));
    });
    const streams = await t.db.query(`SELECT DISTINCT chain_stream FROM audit_log WHERE actor = 'two'`);
    expect(streams).toHaveLength(1);
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE actor = 'two'`)).toHaveLength(9);
    await chainsWhole();
  });

  it('keeps the chain whole when a savepoint or a failed statement takes rows back', async () => {
    await t.db.transaction(async (tx) => {
      await tx.query(bulk(3, 'sp'));
      await tx.query('SAVEPOINT s1');
      await tx.query(bulk(2, 'gone'));
      await tx.query('ROLLBACK TO SAVEPOINT s1');
      await tx.query('SAVEPOINT s2');
      // Audit rows written, then the statement fails: none of them stays, nor does the tip they carried.
      await expect(tx.query(`WITH a AS (${bulk(4, 'gone')} RETURNING id) SELECT 1 / (count(*)::int - 4) FROM a`)).rejects.toThrow();
      await tx.query('ROLLBACK TO SAVEPOINT s2');
      await tx.query(bulk(2, 'sp'));
    });
    await t.db.query(bulk(1, 'after'));
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE actor = 'gone'`)).toHaveLength(0);
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE actor = 'sp'`)).toHaveLength(5);
    await chainsWhole();
  });

  it('keeps the chain whole when a transaction fails after its audit rows', async () => {
    await expect(t.db.transaction(async (tx) => {
      await tx.query(bulk(3, 'failed'));
      await tx.query('SELECT 1 / 0');
    })).rejects.toThrow();
    await t.db.query(bulk(2, 'next'));
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE actor = 'failed'`)).toHaveLength(0);
    await chainsWhole();
  });
});
