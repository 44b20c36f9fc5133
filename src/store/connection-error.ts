/** A database named by DATABASE_URL (or SANBAO_READ_DATABASE_URL) that cannot be opened: told with the address, password masked. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

/** postgres://user:password@host/db → postgres://user:***@host/db. */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Reaching the server or signing in failed (not a failure of a statement): refused connection, unknown host, password, missing database. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code === '28P01' || code === '28000' || code === '3D000' || code === '57P03');
}

/** The one line for a database that cannot be opened, naming the setting to check. */
export function connectionError(url: string, error: unknown, setting = 'DATABASE_URL'): DatabaseConnectionError {
  return new DatabaseConnectionError(`cannot open the database ${maskDatabaseUrl(url)}: ${(error as Error).message} — check ${setting}`);
}
