/** What the database holds and what it costs on disk: bytes per table, and per settlement on the settle path. */
import type { Queryable } from '../db.ts';

/** The tables a settlement writes its rows into (the audit entry is counted apart: the log holds other entries too). */
export const SETTLEMENT_TABLES = ['visits', 'settlements', 'settlement_funds', 'settlement_bills', 'settlement_lines'] as const;

export interface TableSize {
  table: string;
  rows: number;
  /** Heap, indexes and TOAST (of all its partitions, for a partitioned table). */
  bytes: number;
  indexBytes: number;
}

export interface DbStats {
  settlements: number;
  tables: TableSize[];
  /** The settlement tables' bytes divided by the settlements (null with none). */
  bytesPerSettlement: number | null;
  /** The average stored size of a settlement's explanation (its steps). */
  stepsBytesPerSettlement: number | null;
}

export async function dbStats(q: Queryable): Promise<DbStats> {
  // A partitioned table (the settlement tables, by year) has no storage of its own: its partitions' sizes, summed, are its size.
  const tables = await q.query<{ table: string; rows: number; bytes: number; index_bytes: number }>(
    `SELECT t.table, t.rows, t.bytes, t.index_bytes FROM (
       SELECT c.relname AS table, c.reltuples::bigint AS rows,
              (SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(c.oid) p)::bigint AS bytes,
              (SELECT sum(pg_indexes_size(p.relid)) FROM pg_partition_tree(c.oid) p)::bigint AS index_bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = current_schema()) t
      ORDER BY t.bytes DESC, t.table`,
  );
  const [counts] = await q.query<{ n: number; steps: string | null }>('SELECT count(*)::bigint AS n, avg(pg_column_size(steps))::bigint::text AS steps FROM settlements');
  const settlements = counts?.n ?? 0;
  // reltuples is an estimate (-1 before the first ANALYZE): count the settlement tables exactly.
  const exact = new Map<string, number>();
  for (const t of SETTLEMENT_TABLES) {
    const [row] = await q.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${t}`);
    exact.set(t, row?.n ?? 0);
  }
  const sized = tables.map((t) => ({ table: t.table, rows: exact.get(t.table) ?? Math.max(0, t.rows), bytes: t.bytes, indexBytes: t.index_bytes }));
  const settlementBytes = sized.filter((t) => (SETTLEMENT_TABLES as readonly string[]).includes(t.table)).reduce((sum, t) => sum + t.bytes, 0);
  return {
    settlements,
    tables: sized,
    bytesPerSettlement: settlements > 0 ? Math.round(settlementBytes / settlements) : null,
    stepsBytesPerSettlement: counts?.steps ? Number(counts.steps) : null,
  };
}
