/**
 * Advisory locks, transaction-scoped, keyed by name within the working
 * schema. An advisory lock belongs to the database, and one PostgreSQL may
 * hold several counties or prefectures (a schema each), or many test files at
 * once: with the schema in the key (the two-key form: the schema's hash, the
 * name's), work on one schema never waits for the same work on another.
 */
import type { Queryable } from './db.ts';

/** Waits for the lock named `name` in this schema, held until the caller's transaction ends. */
export async function lockInSchema(q: Queryable, name: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '')), hashtext($1))`, [name]);
}

/** The SQL condition on pg_locks that matches lockInSchema(name) of the current schema (`$1` is the name), for tests and diagnostics. */
export const SCHEMA_LOCK_ROW = `locktype = 'advisory' AND objsubid = 2 AND classid = hashtext(coalesce(current_schema(), ''))::oid AND objid = hashtext($1)::oid`;
