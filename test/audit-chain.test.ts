/** Finding 12 (issue 10): the audit log is hash-chained; an edited, removed or reordered row is found by `audit verify`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/store/repositories/audit.ts';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const write = (n: number, actor = 'test') =>
  audit(t.db, { actor, action: 'test.write', entity: 'thing', entityId: n, detail: { n, note: `第${n}条 "quoted" \\ back` } });

/** The n-th audit row by id. */
async function nth(db: TestDb['db'], n: number): Promise<{ id: number; stream: number; seq: number }> {
  const [row] = await db.query<{ id: string; stream: number; seq: string }>(
    'SELECT id::text AS id, chain_stream AS stream, chain_seq::text AS seq FROM audit_log ORDER BY audit_log.id OFFSET $1 LIMIT 1',
    [n - 1],
  );
  return { id: Number(row!.id), stream: row!.stream, seq: Number(row!.seq) };
}

/** The first row from id `from` on that is another chain's than `after`'s, or after it in its chain. */
async function laterInChain(after: { stream: number; seq: number }, from: number): Promise<{ id: number; stream: number; seq: number }> {
  const [row] = await t.db.query<{ id: string; stream: number; seq: string }>(
    `SELECT id::text AS id, chain_stream AS stream, chain_seq::text AS seq FROM audit_log
      WHERE id >= $1 AND (chain_stream <> $2 OR chain_seq > $3) ORDER BY id LIMIT 1`,
    [from, after.stream, after.seq],
  );
  return { id: Number(row!.id), stream: row!.stream, seq: Number(row!.seq) };
}

describe('the audit hash chain', () => {
  it('chains every row, also when many transactions write at once', async () => {
    await write(1);
    // Parallel writers, each in its own transaction with a second statement after the audit row.
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.db.transaction(async (tx) => {
          await audit(tx, { actor: `w${i}`, action: 'test.parallel', entity: 'thing', entityId: i });
          await tx.query('SELECT pg_sleep(0.01)');
          await audit(tx, { actor: `w${i}`, action: 'test.parallel2', entity: 'thing', entityId: i });
        }),
      ),
    );
    // A bulk insert of several rows in one statement is chained row by row.
    await t.db.query(`INSERT INTO audit_log (actor, action, entity, entity_id) SELECT 'bulk', 'test.bulk', 'thing', g::text FROM generate_series(1, 5) g`);
    const result = await verifyAuditChain(t.db);
    expect(result).toMatchObject({ ok: true, rows: 1 + 48 + 5 });
    // Each chain numbers its rows 1, 2, 3… without a gap, and a transaction's rows are in one chain.
    const chains = await t.db.query<{ stream: number; seqs: string[] }>(
      'SELECT chain_stream AS stream, array_agg(chain_seq::text ORDER BY chain_seq) AS seqs FROM audit_log GROUP BY chain_stream',
    );
    for (const c of chains) expect(c.seqs.map(Number)).toEqual(Array.from({ length: c.seqs.length }, (_, i) => i + 1));
    const split = await t.db.query(`SELECT actor FROM audit_log WHERE actor LIKE 'w%' GROUP BY actor HAVING count(DISTINCT chain_stream) > 1`);
    expect(split).toEqual([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    const first = await nth(t.db, 1);
    await expect(t.db.query(`UPDATE audit_log SET actor = 'someone else' WHERE id = $1`, [first.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [first.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('names the first edited row, even when the editor switched the guard off', async () => {
    await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      const seventh = await nth(t.db, 7);
      // The second edited row: from the twentieth on by id, and after the seventh in its chain when they share one. A chain is walked
      // by its sequence, which on PostgreSQL parallel transactions take in another order than their ids (an id is drawn before the
      // chain's lock is waited for): a row with a larger id may come first in the chain, and its break would be the one named.
      const twentieth = await laterInChain(seventh, (await nth(t.db, 20)).id);
      await t.db.query(`UPDATE audit_log SET detail = '{"n": 999}' WHERE id = $1`, [seventh.id]);
      await t.db.query(`UPDATE audit_log SET actor = 'tampered' WHERE id = $1`, [twentieth.id]);
      const result = await verifyAuditChain(t.db);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.brokenAt).toMatchObject({ id: seventh.id, stream: seventh.stream, chainSeq: seventh.seq });
        expect(result.brokenAt.reason).toMatch(/changed/);
        expect(result.rows).toBe(6);
      }
      // Recomputing the edited rows' own hashes does not help: the rows after them no longer follow.
      await t.db.query(
        `UPDATE audit_log SET row_hash = audit_row_hash(prev_hash, chain_seq, id, at, actor, action, entity, entity_id, detail) WHERE id IN ($1, $2)`,
        [seventh.id, twentieth.id],
      );
      const again = await verifyAuditChain(t.db);
      // The rows after the two edited ones no longer follow; the first of them by id is named. Parallel
      // transactions interleave their chains, so which one comes first depends on the run.
      // Each chain names its first break by sequence: on one chain shared by both, the row after the seventh.
      const followers = twentieth.stream === seventh.stream ? [seventh] : [seventh, twentieth];
      const next = await t.db.query<{ id: string; stream: number; seq: string }>(
        `SELECT a.id::text AS id, a.chain_stream AS stream, a.chain_seq::text AS seq FROM audit_log a
          WHERE (a.chain_stream, a.chain_seq) IN (($1::int, $2::bigint), ($3::int, $4::bigint)) ORDER BY a.id LIMIT 1`,
        [followers[0]!.stream, followers[0]!.seq + 1, followers.at(-1)!.stream, followers.at(-1)!.seq + 1],
      );
      // Both at their chain's end: a removed tail has no row, and such breaks come in chain order.
      const end = [...followers].sort((a, b) => a.stream - b.stream)[0]!;
      const expected = next[0] ? { stream: next[0].stream, chainSeq: Number(next[0].seq) } : { stream: end.stream, chainSeq: end.seq + 1 };
      expect(again.ok === false && again.brokenAt).toMatchObject({ ...expected, reason: expect.stringMatching(/does not follow|end of chain/) });
    } finally {
      await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  });
});

describe('a removed row', () => {
  it('is found in the middle and at the end', async () => {
    const fresh = await createTestDb();
    try {
      await fresh.db.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) await audit(tx, { actor: 'x', action: 'test', entity: 'thing', entityId: i }); // one chain
      });
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: true, rows: 5 });
      await fresh.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      const last = await nth(fresh.db, 5);
      await fresh.db.query('DELETE FROM audit_log WHERE id = $1', [last.id]);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, brokenAt: { id: null, stream: last.stream, reason: expect.stringMatching(/end of chain/) } });
      const third = await nth(fresh.db, 3);
      await fresh.db.query('DELETE FROM audit_log WHERE id = $1', [third.id]);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, rows: 2, brokenAt: { chainSeq: 3, reason: expect.stringMatching(/missing/) } });
    } finally {
      await fresh.drop();
    }
  });
});

describe('a log chained before the eight chains', () => {
  it('keeps its rows on chain 0 and verifies after the upgrade, with new rows on any chain', async () => {
    const { openPglite } = await import('../src/store/pglite-db.ts');
    const { migrate } = await import('../src/store/migrate.ts');
    const { mkdtempSync, readdirSync, copyFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { fileURLToPath } = await import('node:url');
    const all = fileURLToPath(new URL('../src/store/migrations', import.meta.url));
    const old = mkdtempSync(join(tmpdir(), 'sanbao-mig-'));
    for (const f of readdirSync(all).filter((f) => f < '202611270203')) copyFileSync(join(all, f), join(old, f));
    const db = await openPglite();
    try {
      await migrate(db, old);
      for (let i = 0; i < 3; i++) await audit(db, { actor: 'before', action: 'test', entity: 'thing', entityId: i });
      await migrate(db);
      for (let i = 0; i < 3; i++) await audit(db, { actor: 'after', action: 'test', entity: 'thing', entityId: i });
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 6 });
      const before = await db.query<{ stream: number }>(`SELECT DISTINCT chain_stream AS stream FROM audit_log WHERE actor = 'before'`);
      expect(before).toEqual([{ stream: 0 }]);
    } finally {
      await db.close();
      rmSync(old, { recursive: true, force: true });
    }
  });
});
