/**
 * The audit chain's lock (migration 202611272000): two connections whose process
 * ids agree modulo 8 no longer wait for each other's commit — a transaction takes
 * any free chain — and when every chain is held, the next writer waits for its
 * own and the chains stay whole. PostgreSQL only (PGlite has one connection).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;
const clients: pg.Client[] = [];

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await t?.drop();
});

const CHAINS = 8;

async function connect(): Promise<{ client: pg.Client; own: number }> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  clients.push(client);
  const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  return { client, own: row!.pid % CHAINS };
}

/** Begins a transaction that writes one audit row and stays open; answers the chain it took. */
async function auditAndHold(client: pg.Client, n: number, lockTimeout = '5s'): Promise<number> {
  await client.query('BEGIN');
  await client.query(`SET LOCAL lock_timeout = '${lockTimeout}'`);
  const [row] = (
    await client.query<{ stream: number }>(
      `INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('test', 'test.contention', 'thing', $1) RETURNING chain_stream AS stream`,
      [String(n)],
    )
  ).rows;
  return row!.stream;
}

describe.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('the audit chain under concurrent writers', () => {
  it('lets two connections with the same chain by process id write at once, and the ninth wait for its own', async () => {
    // Nine connections: two of them share a chain by process id (pigeonhole).
    const all = await Promise.all(Array.from({ length: CHAINS + 1 }, () => connect()));
    const first = all.findIndex((a, i) => all.some((b, j) => j > i && b.own === a.own));
    const twin = all.findIndex((b, j) => j > first && b.own === all[first]!.own);
    const a = all[first]!;
    const b = all[twin]!;
    const others = all.filter((_, i) => i !== first && i !== twin);

    // Before: b waited on a's chain until a committed (here: a lock timeout). Now it takes another.
    const streamA = await auditAndHold(a.client, 1);
    const streamB = await auditAndHold(b.client, 2);
    expect(streamB).not.toBe(streamA);

    // Six more open transactions hold every chain; the ninth writer finds none free and waits for its own.
    const held = new Map<number, pg.Client>([[streamA, a.client], [streamB, b.client]]);
    const last = others.pop()!;
    for (const [i, o] of others.entries()) held.set(await auditAndHold(o.client, 3 + i), o.client);
    expect([...held.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await expect(auditAndHold(last.client, 99, '300ms')).rejects.toThrow(/lock timeout/);
    await last.client.query('ROLLBACK');
    const waiting = auditAndHold(last.client, 100);
    await held.get(last.own)!.query('COMMIT');
    expect(await waiting).toBe(last.own);
    await last.client.query('COMMIT');
    for (const [stream, c] of held) if (stream !== last.own) await c.query('COMMIT');

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: CHAINS + 1 });
  });

  it('keeps a transaction’s rows in one chain', async () => {
    const { client } = await connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO audit_log (actor, action, entity, entity_id) VALUES ('one', 'test.one', 'thing', '1')`);
    await client.query(`INSERT INTO audit_log (actor, action, entity, entity_id) SELECT 'one', 'test.one', 'thing', g::text FROM generate_series(2, 4) g`);
    await client.query('COMMIT');
    const rows = await t.db.query<{ n: number }>(`SELECT count(DISTINCT chain_stream)::int AS n FROM audit_log WHERE actor = 'one'`);
    expect(rows[0]!.n).toBe(1);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
