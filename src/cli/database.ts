/** Opens the configured database (DATABASE_URL, or the embedded PostgreSQL in SANBAO_DATA_DIR) for one CLI command. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Runs fn with the database open, and closes it whatever happens. Without
 * DATABASE_URL a command uses the embedded database in the data folder; it makes
 * a new one only when asked to (`mayCreate`: demo, restore) or when SANBAO_DATA_DIR
 * names the folder — never silently in the default ./data, where a county whose
 * service runs on DATABASE_URL would get an empty database of its own.
 */
export async function withDatabase<T>(fn: (db: Db, config: Config) => Promise<T>, options: { mayCreate?: boolean } = {}): Promise<T> {
  const config = cliConfig();
  if (!config.databaseUrl && !options.mayCreate && !process.env.SANBAO_DATA_DIR) refuseNewDefaultDatabase(config.dataDir);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

function refuseNewDefaultDatabase(dataDir: string): void {
  if (existsSync(join(dataDir, 'postgres', 'PG_VERSION'))) return;
  throw new UsageError(
    `no database: DATABASE_URL is not set and ${dataDir} holds no embedded database — set DATABASE_URL as the service has it, ` +
      'or run the command where the service keeps its data (./data or SANBAO_DATA_DIR); npm start makes the embedded one',
  );
}
