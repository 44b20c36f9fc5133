/**
 * The one database interface every repository uses: plain SQL with numbered
 * parameters, the same text on PGlite (in-memory, for tests) and PostgreSQL.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement; returns its rows (empty for statements without a result). */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Inside a transaction on PostgreSQL: runs the transaction's last statement and
   * commits in the same round trip (pg-transaction.ts). No statement may follow it;
   * when it fails, nothing of the transaction is written. Absent elsewhere (PGlite,
   * outside a transaction): use `lastStatement`.
   */
  queryAndCommit?<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The transaction's last statement: its one query carries the COMMIT where the
 * database can (queryAndCommit); elsewhere it is an ordinary statement and the
 * transaction commits when its function returns, as always.
 */
export function lastStatement(q: Queryable): Queryable {
  const commitWith = q.queryAndCommit;
  if (!commitWith) return q;
  return { query: <T extends Row>(sql: string, params?: readonly unknown[]) => commitWith.call(q, sql, params) as Promise<T[]> };
}

export interface Db extends Queryable {
  /** pglite: in memory (tests); embedded: the PostgreSQL server Sanbao runs in SANBAO_DATA_DIR; postgres: DATABASE_URL. */
  readonly kind: 'pglite' | 'postgres' | 'embedded';
  /** True when this open made the database (the embedded server's first start): the demo county may load. */
  readonly created?: boolean;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Another pool of connections to the same server, with its own size and
   * session settings (reports: read-only, time-limited). Absent for PGlite,
   * which has one connection.
   */
  pool?(size: number, settings: { statementTimeoutMs?: number; readOnly?: boolean }): Promise<Db>;
  /**
   * Calls onNotify with the payload of each NOTIFY on the channel (sent at
   * commit, by any process), on a connection of its own; with null when some
   * may have been missed (that connection was lost and made again). Returns
   * the function that stops listening; close() stops it too. PGlite: the
   * notifications of this process.
   */
  listen?(channel: string, onNotify: (payload: string | null) => void): Promise<() => Promise<void>>;
}

/** int8 columns hold fen; they come back as numbers, checked to be exact. */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is beyond exact JavaScript integers`);
  return n;
}

/** Postgres error code of a unique violation. */
export const UNIQUE_VIOLATION = '23505';
/** Raised by the settlements trigger for a bill into a closed year (migration 202611270600). */
export const YEAR_CLOSED = 'SB001';
export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
