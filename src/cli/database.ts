/** Opens the configured database (DATABASE_URL, or PGlite in SANBAO_DATA_DIR) for one CLI command. */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open.ts';
import { UsageError } from './io.ts';

export function cliConfig(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Runs fn with the database open, and closes it whatever happens. */
export async function withDatabase<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
