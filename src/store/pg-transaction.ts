/**
 * One transaction on a pooled node-pg connection in pipeline mode (the pool is
 * opened with `pipeline: true`, postgres-db.ts): statements are written without
 * waiting for the answer before, and answered in order.
 *
 * - `BEGIN` goes out with the transaction's first statement, in the same socket
 *   write, so it costs no round trip of its own; a transaction that sends no
 *   statement sends no `BEGIN` either.
 * - `queryAndCommit` sends the transaction's last statement with `COMMIT` right
 *   behind it: one round trip where there were two. When the statement fails,
 *   PostgreSQL answers the `COMMIT` of the failed transaction with `ROLLBACK`, so
 *   nothing of it stays and no transaction is left open on the connection.
 */
import type pg from 'pg';
import type { Queryable, Row } from './db.ts';

/** Sends one statement on a client (prepared when it has parameters); what postgres-db.ts's queries do. */
export type RunQuery = <T extends Row>(q: pg.PoolClient, sql: string, params: readonly unknown[]) => Promise<T[]>;

export interface PipelinedTransaction {
  readonly queryable: Queryable;
  /** Commits, unless no statement was sent or the last one carried the COMMIT. */
  commit(): Promise<void>;
  /** Rolls back whatever was sent; false when the connection could not even do that (it is broken). */
  rollback(): Promise<boolean>;
}

type Stream = { cork?: () => void; uncork?: () => void };

/**
 * Runs fn with the client's socket corked, so what it sends (BEGIN and the first
 * statement, the last statement and COMMIT) leaves in one write: one system call,
 * one wake-up of the server. An optimisation only: without it they go in two.
 */
function corked<T>(conn: pg.PoolClient, fn: () => T): T {
  const socket = (conn as unknown as { connection?: { stream?: Stream } }).connection?.stream;
  socket?.cork?.();
  try {
    return fn();
  } finally {
    socket?.uncork?.();
  }
}

export function pipelinedTransaction(conn: pg.PoolClient, run: RunQuery): PipelinedTransaction {
  let state: 'new' | 'open' | 'committed' = 'new';

  /** Sends the statement, with BEGIN before it when it is the first; resolves when both are answered. */
  function send<T extends Row>(sql: string, params: readonly unknown[]): Promise<T[]> {
    if (state === 'committed') return Promise.reject(new Error('the transaction was committed with its last statement: no statement may follow it'));
    if (state === 'open') return run<T>(conn, sql, params);
    state = 'open';
    return corked(conn, () => {
      const begin = conn.query('BEGIN');
      const statement = run<T>(conn, sql, params);
      // BEGIN is answered first; should it fail (a broken connection), its error is the one reported.
      return Promise.all([begin, statement]).then(([, rows]) => rows);
    });
  }

  const queryable: Queryable = {
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) => send<T>(sql, params),
    async queryAndCommit<T extends Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const [statement, commit] = corked(conn, () => [send<T>(sql, params), conn.query('COMMIT')] as const);
      state = 'committed';
      const [rows, committed] = await Promise.allSettled([statement, commit]);
      if (rows.status === 'rejected') throw rows.reason;
      if (committed.status === 'rejected') throw committed.reason;
      // A failed statement earlier in the transaction (its error swallowed by the caller): PostgreSQL rolled it all back.
      if (committed.value.command !== 'COMMIT') throw new Error(`the transaction was not committed (${committed.value.command}): a statement in it had failed`);
      return rows.value;
    },
  };

  return {
    queryable,
    async commit() {
      if (state !== 'open') return;
      const committed = await conn.query('COMMIT');
      // A statement failed and the caller swallowed its error: PostgreSQL answers ROLLBACK, and nothing was written.
      if (committed.command !== 'COMMIT') throw new Error(`the transaction was not committed (${committed.command}): a statement in it had failed`);
    },
    async rollback() {
      if (state === 'new') return true;
      return conn.query('ROLLBACK').then(() => true, () => false);
    },
  };
}
