/**
 * A bench's own fresh schema on BENCH_DATABASE_URL's PostgreSQL (default the
 * local sanbao_bench database that `bash scripts/pg-local.sh` creates), the
 * service's database opened on it (migrated), and dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db.ts';
import { openDatabase } from '../../src/store/open.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { schemaUrl } from '../../src/store/schema-url.ts';

export const BENCH_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench';

export interface BenchSchema {
  readonly db: Db;
  readonly schema: string;
  /** Where it runs, the password masked: for the bench's first line. */
  readonly where: string;
  /** Closes the database and drops the schema. */
  drop(): Promise<void>;
}

export async function openBenchSchema(base = BENCH_BASE): Promise<BenchSchema> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = await openPostgres(base, 1);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = schemaUrl(base, schema);
  const db = await openDatabase({ databaseUrl: url });
  return {
    db,
    schema,
    where: `${base.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}, schema ${schema}`,
    drop: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}
