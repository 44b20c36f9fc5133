/**
 * Opens the configured database and brings its schema up to date: PostgreSQL at
 * DATABASE_URL, else the embedded PostgreSQL server in the data directory, else
 * (tests only: neither given) an in-memory PGlite.
 */
import type { Db } from './db.ts';
import { acquireEmbeddedServer } from './embedded/server.ts';
import { connectionError, isConnectionFailure } from './connection-error.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-db.ts';
import { openPostgres } from './postgres-db.ts';

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number | undefined;
}): Promise<Db> {
  const url = options.databaseUrl;
  // A DATABASE_URL that cannot be reached or signed in to is told as such, its password masked.
  const told = (error: unknown) => (url && isConnectionFailure(error) ? connectionError(url, error) : error);
  const db = url
    ? await openPostgres(url, options.poolSize).catch((error: unknown) => Promise.reject(told(error)))
    : options.dataDir
      ? await openEmbedded(options.dataDir, options.poolSize)
      : await openPglite();
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw told(error);
  }
  return db;
}

/** The embedded server's database; closing it lets the last process out stop the server. */
async function openEmbedded(dataDir: string, poolSize: number | undefined): Promise<Db> {
  const server = await acquireEmbeddedServer(dataDir);
  let db: Db;
  try {
    db = await openPostgres(server.connection, poolSize, 'embedded');
  } catch (error) {
    await server.release();
    throw error;
  }
  return {
    ...db,
    created: server.created,
    close: async () => {
      try {
        await db.close();
      } finally {
        await server.release();
      }
    },
  };
}

/**
 * The connections reports and exports use, never the pool hospitals settle
 * through: a read replica when SANBAO_READ_DATABASE_URL names one, else a pool
 * of their own on the main server; every session read-only and time-limited.
 * PGlite has one connection: there the main database serves reports too.
 */
export async function openReportsDatabase(
  main: Db,
  options: { readDatabaseUrl?: string | undefined; poolSize: number; statementTimeoutMs: number },
): Promise<Db> {
  const settings = { statementTimeoutMs: options.statementTimeoutMs, readOnly: true };
  if (options.readDatabaseUrl) return openPostgres(options.readDatabaseUrl, options.poolSize, 'postgres', settings);
  if (main.pool) return main.pool(options.poolSize, settings);
  return { ...main, close: async () => undefined };
}
