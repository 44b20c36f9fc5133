/** The embedded PostgreSQL (PGlite): the default, so Sanbao runs with no server at all. */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { parseInt8, type Db, type Queryable, type Row } from './db.ts';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Opens PGlite in a data directory, or in memory when dataDir is undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(dataDir, { parsers: { [INT8]: parseInt8, [NUMERIC]: (v: string) => v, [DATE]: (v: string) => v } });
  await pg.waitReady;
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    async listen(channel, onNotify) {
      const unlisten = await pg.listen(channel, (payload) => onNotify(payload));
      // Stopping after the database closed (an app closed after its database) has nothing left to stop.
      return () => (pg.closed ? Promise.resolve() : unlisten());
    },
    close: () => pg.close(),
  };
}
