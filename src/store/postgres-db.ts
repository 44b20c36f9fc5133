/** A real PostgreSQL server through node-postgres, for production (DATABASE_URL). */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { parseInt8, type Db, type Queryable, type Row } from './db.ts';
import { pipelinedTransaction } from './pg-transaction.ts';
import { listenOn } from './postgres-listen.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, parseInt8);
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** Settings of every session of a pool: reports run read-only, within a time limit. */
export interface SessionSettings {
  /** Cancel a statement after this long (PostgreSQL's statement_timeout); 0 or absent: no limit. */
  readonly statementTimeoutMs?: number;
  /** Every transaction read-only (default_transaction_read_only). */
  readonly readOnly?: boolean;
}

/** Opens a pool on a URL (DATABASE_URL) or connection settings (the embedded server's socket). */
export async function openPostgres(
  target: string | pg.ClientConfig,
  poolSize = 10,
  kind: 'postgres' | 'embedded' = 'postgres',
  session: SessionSettings = {},
): Promise<Db> {
  const pool = new pg.Pool({
    ...(typeof target === 'string' ? { connectionString: target } : target),
    max: poolSize,
    // Statements are written without waiting for the answer before (answered in order): a transaction's
    // BEGIN goes with its first statement, its COMMIT with its last when the caller says so (pg-transaction.ts).
    pipeline: true,
    ...(session.statementTimeoutMs ? { statement_timeout: session.statementTimeoutMs } : {}),
  });
  // Queued on the new connection before any query of the caller's.
  if (session.readOnly) pool.on('connect', (client) => void client.query('SET default_transaction_read_only = on').catch(() => undefined));
  // An idle connection the server ended (a restart, a crash) must not end the process:
  // the pool drops it, and the next query reports the problem where it can be handled.
  pool.on('error', () => undefined);
  // The same for a connection ended while checked out (in a transaction, between two statements): its
  // next query fails, the transaction with it, and the process lives on.
  pool.on('connect', (client) => void client.on('error', () => undefined));
  // Fail fast when the server is unreachable.
  const client = await pool.connect();
  client.release();
  const listeners = new Set<() => Promise<void>>();
  return {
    kind,
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) => run<T>(pool, sql, params),
    pool: (size, settings) => openPostgres(target, size, kind, settings),
    async listen(channel, onNotify) {
      const stop = await listenOn(target, channel, onNotify);
      const once = async () => {
        listeners.delete(once);
        await stop();
      };
      listeners.add(once);
      return once;
    },
    async transaction(fn) {
      const conn = await pool.connect();
      const tx = pipelinedTransaction(conn, run);
      let broken = false;
      try {
        const result = await fn(tx.queryable);
        await tx.commit();
        return result;
      } catch (error) {
        // A connection that cannot even roll back is broken: the pool drops it rather than lend it again.
        broken = !(await tx.rollback());
        throw error;
      } finally {
        conn.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

/**
 * Sends one statement. Statements with parameters are prepared once per connection and
 * reused: the settle path's statements are planned once, not on every bill.
 */
function run<T extends Row>(q: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<T[]> {
  const sent = params.length > 0 ? q.query({ name: statementName(sql), text: sql, values: params as unknown[] }) : q.query(sql);
  return sent.then((result) => result.rows as T[]);
}

const names = new Map<string, string>();

/** A stable prepared-statement name for a statement text. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    if (names.size < 5_000) names.set(sql, name);
  }
  return name;
}
