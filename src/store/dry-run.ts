/**
 * A preview that is the real thing, undone: the work runs in a transaction
 * exactly as it would, its answer is kept, and the transaction is rolled
 * back. A confirmation step ("this reversal will give back …") so shows what
 * the same code would write, never a second copy of its rules.
 */
import type { Db, Queryable } from './db.ts';

class RolledBack<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back after a dry run');
  }
}

export async function rolledBack<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      // Without queryAndCommit: a statement meant to carry the COMMIT (lastStatement) is an ordinary one here, and all is rolled back.
      throw new RolledBack(await fn({ query: (sql, params) => tx.query(sql, params) }));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value as T;
    throw error;
  }
  throw new Error('unreachable: a dry run always rolls back');
}
