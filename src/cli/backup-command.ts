/**
 * `sanbao backup --out FILE` and `sanbao restore FILE [--force]`: the whole
 * database as one gzip file (src/store/backup.ts), on the configured database —
 * the embedded server (through the running service's server when it runs) or
 * DATABASE_URL. A backup is written to FILE.partial and renamed when complete;
 * a restore reads the file through once before it writes anything.
 */
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { openPglite } from '../store/pglite-db.ts';
import { BackupFileError, checkBackup, restoreBackup, writeBackup } from '../store/backup.ts';
import { options } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

const BACKUP_USAGE = 'sanbao backup --out FILE [--from-pglite DIR]';
const RESTORE_USAGE = 'sanbao restore FILE [--force]';

export async function backupCommand(io: Io, args: string[]): Promise<number> {
  const { values, positionals } = options(args, { out: { type: 'string' }, 'from-pglite': { type: 'string' } }, BACKUP_USAGE);
  if (!values.out || positionals.length > 0) throw new UsageError(`usage: ${BACKUP_USAGE}`);
  const file = values.out;
  const partial = `${file}.partial`;
  const legacy = values['from-pglite'];
  if (legacy !== undefined && !existsSync(join(legacy, 'PG_VERSION'))) throw new UsageError(`backup: ${legacy} holds no PGlite database`);
  // --from-pglite: the data folder of an earlier Sanbao (PGlite files), to move into the embedded PostgreSQL with restore.
  const opened = legacy === undefined ? withDatabase : async <T>(fn: (db: Db) => Promise<T>) => withPglite(legacy, fn);
  return opened(async (db) => {
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(partial));
    const progress = progressBar();
    let tables = 0;
    try {
      const rows = await writeBackup(
        db,
        async (line) => {
          if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
        },
        (done, of) => {
          tables = of;
          progress.update('backup', done, of);
        },
      );
      gzip.end();
      await written;
      const fd = openSync(partial, 'r+');
      fsyncSync(fd); // on disk before it is called a backup
      closeSync(fd);
      renameSync(partial, file);
      progress.finish();
      io.out(`backup written to ${file}: ${tables} tables, ${rows.toLocaleString('en')} rows`);
      return EXIT_OK;
    } catch (error) {
      progress.abandon();
      gzip.destroy();
      rmSync(partial, { force: true });
      throw error;
    }
  });
}

async function withPglite<T>(dir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openPglite(dir);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The file's lines, decompressed; a damaged or non-gzip file is a BackupFileError. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const damaged = (error: unknown) => new BackupFileError(`the file is not a complete Sanbao backup (${(error as Error).message})`);
  const gunzip = createGunzip();
  gunzip.setEncoding('utf8');
  let failure: unknown;
  const read = pipeline(createReadStream(file), gunzip).catch((error: unknown) => {
    failure = error;
  });
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
  } catch (error) {
    throw damaged(error);
  }
  await read;
  if (failure) throw damaged(failure);
  if (rest !== '') yield rest;
}

export async function restoreCommand(io: Io, args: string[]): Promise<number> {
  const { values, positionals } = options(args, { force: { type: 'boolean' } }, RESTORE_USAGE);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`usage: ${RESTORE_USAGE}`);
  if (!existsSync(file)) throw new UsageError(`restore: no file ${file}`);
  try {
    const header = await checkBackup(linesOf(file));
    return await withDatabase(async (db) => {
      const progress = progressBar();
      let done = 0;
      const rows = await restoreBackup(db, linesOf(file), {
        force: values.force === true,
        onTable: () => progress.update('restore', ++done, header.tables.length),
      }).catch((error: unknown) => {
        progress.abandon();
        throw error;
      });
      progress.finish();
      io.out(`restored ${file} (made ${header.createdAt}): ${header.tables.length} tables, ${rows.toLocaleString('en')} rows`);
      return EXIT_OK;
    }, { mayCreate: true }); // a new machine's embedded database is made by restoring into it
  } catch (error) {
    if (error instanceof BackupFileError) throw new UsageError(`restore: ${error.message}`);
    throw error;
  }
}
