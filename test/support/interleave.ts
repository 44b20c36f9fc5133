/**
 * For tests that run two things beside each other on PostgreSQL and need one
 * to wait for the other at a known point: poll until a condition holds, see
 * which connections of the test's schema wait for a lock, and keep what a
 * promise came to without an unhandled rejection meanwhile.
 */
import type { Queryable } from '../../src/store/db.ts';

/** Polls `done` every 20 ms; throws, naming `what`, after 5 s. */
export async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`waited 5 s for ${what}`);
}

/** What a promise came to, as a value: { ok } or { error }. */
export function settled<T>(p: Promise<T>): Promise<{ ok: T } | { error: unknown }> {
  return p.then((ok) => ({ ok }), (error: unknown) => ({ error }));
}

/** Connections of the current schema (holding or asking for a lock on one of its tables) waiting for a lock now. */
export async function lockWaits(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: string }>(
    `SELECT count(DISTINCT w.pid)::text AS n FROM pg_locks w
      WHERE NOT w.granted AND EXISTS (SELECT 1 FROM pg_locks h JOIN pg_class c ON c.oid = h.relation
                                       WHERE h.pid = w.pid AND c.relnamespace = current_schema()::regnamespace)`,
  );
  return Number(row!.n);
}
