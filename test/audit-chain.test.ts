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
    const seqs = await t.db.query<{ s: string }>('SELECT chain_seq::text AS s FROM audit_log ORDER BY chain_seq');
    expect(seqs.map((r) => Number(r.s))).toEqual(Array.from({ length: 54 }, (_, i) => i + 1));
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    await expect(t.db.query(`UPDATE audit_log SET actor = 'someone else' WHERE chain_seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE chain_seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('names the first edited row, even when the editor switched the guard off', async () => {
    await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      const [row] = await t.db.query<{ id: string }>(`SELECT id::text FROM audit_log WHERE chain_seq = 7`);
      await t.db.query(`UPDATE audit_log SET detail = '{"n": 999}' WHERE chain_seq = 7`);
      await t.db.query(`UPDATE audit_log SET actor = 'tampered' WHERE chain_seq = 20`);
      const result = await verifyAuditChain(t.db);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.brokenAt).toMatchObject({ id: Number(row!.id), chainSeq: 7 });
        expect(result.brokenAt.reason).toMatch(/changed/);
        expect(result.rows).toBe(6);
      }
      // Recomputing the edited row's own hash does not help: the next row no longer follows it.
      await t.db.query(
        `UPDATE audit_log SET row_hash = audit_row_hash(prev_hash, chain_seq, id, at, actor, action, entity, entity_id, detail) WHERE chain_seq IN (7, 20)`,
      );
      const again = await verifyAuditChain(t.db);
      expect(again.ok === false && again.brokenAt).toMatchObject({ chainSeq: 8, reason: expect.stringMatching(/does not follow/) });
    } finally {
      await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  });
});

describe('a removed row', () => {
  it('is found in the middle and at the end', async () => {
    const fresh = await createTestDb();
    try {
      for (let i = 0; i < 5; i++) await audit(fresh.db, { actor: 'x', action: 'test', entity: 'thing', entityId: i });
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: true, rows: 5 });
      await fresh.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await fresh.db.query('DELETE FROM audit_log WHERE chain_seq = 5');
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, rows: 4, brokenAt: { id: null } });
      await fresh.db.query('DELETE FROM audit_log WHERE chain_seq = 3');
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, rows: 2, brokenAt: { chainSeq: 3, reason: expect.stringMatching(/missing/) } });
    } finally {
      await fresh.drop();
    }
  });
});
