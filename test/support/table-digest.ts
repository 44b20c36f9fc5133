/** Every table's content as one digest per table (a partitioned table's as one, its partitions together), to compare two databases row for row. */
import type { Queryable } from '../../src/store/db.ts';

/** The restore's own audit entry (action database.restore) is left out, so a restored database digests like its source. */
export async function tableDigests(q: Queryable): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT IN ('schema_migrations', 'audit_chain_tip') ORDER BY 1`,
  );
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables) {
    const [row] = await q.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(j, E'\\n' ORDER BY j), '')) AS md5 FROM (SELECT row_to_json(t)::text AS j FROM "${name}" t${name === 'audit_log' ? ` WHERE action <> 'database.restore'` : ''}) x`,
    );
    out[name] = row!;
  }
  return out;
}
