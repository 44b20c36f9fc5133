/**
 * A fresh database for one test file: in-memory PGlite by default, or, when
 * SANBAO_TEST_DATABASE_URL is set (CI), a new schema on a real PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db.ts';
import { openDatabase } from '../../src/store/open.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { schemaUrl } from '../../src/store/schema-url.ts';

export interface TestDb {
  db: Db;
  /** The URL a second process can use (PostgreSQL only). */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const base = process.env.SANBAO_TEST_DATABASE_URL;
  if (!base) {
    const db = await openDatabase({});
    return { db, url: undefined, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(base, 1);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = schemaUrl(base, schema);
  const db = await openDatabase({ databaseUrl: url });
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
