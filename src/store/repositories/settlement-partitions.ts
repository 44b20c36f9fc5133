/**
 * Settlements partitioned by id range, a range per year (issue 18,
 * docs/partitioning.md): the four tables and their partitions, the ranges
 * opened, and opening a year's range (its partitions, then the id sequence).
 */
import type { Queryable } from '../db.ts';

/** The partitioned tables and the column each is partitioned by: a year's rows of all four detach together. */
export const PARTITIONED_TABLES = [
  { table: 'settlements', key: 'id' },
  { table: 'settlement_funds', key: 'settlement_id' },
  { table: 'settlement_bills', key: 'settlement_id' },
  { table: 'settlement_lines', key: 'settlement_id' },
] as const;

/** Ids a year's range spans: a billion, fifty times a prefecture's twenty million bills a year. */
export const IDS_PER_YEAR = 1_000_000_000;
/** The first partition (<table>_before) holds every id below this: what was stored before the first year was opened. */
export const BEFORE_UPPER_BOUND = 1_000 * IDS_PER_YEAR;

/** The ids a year's partitions take: YEAR × 10⁹ up to (YEAR + 1) × 10⁹ − 1 (the id says the year it was settled in). */
export function yearIdRange(year: number): { firstId: number; lastId: number } {
  return { firstId: year * IDS_PER_YEAR, lastId: (year + 1) * IDS_PER_YEAR - 1 };
}

export interface IdRangeRow {
  year: number;
  first_id: number;
  last_id: number;
  opened_at: Date;
  opened_by: string;
  /** Set once the range's partitions were detached (`sanbao year archive`). */
  archived_at: Date | null;
  archived_by: string | null;
  archived_settlements: number | null;
}

/**
 * Holds the ranges as they are for the caller's transaction: no year is
 * opened or archived until it ends (year open and year archive take the
 * ranges' SHARE ROW EXCLUSIVE lock, which waits for this SHARE lock, and this
 * one for theirs). Taken first, before any settlement row is read, by what
 * changes the bills of a year that may be archived (a year-end correction, a
 * batch review's flags): the archive's checks then see the change, or the
 * change sees the year archived — never one in between.
 */
export async function holdIdRanges(q: Queryable): Promise<void> {
  await q.query('LOCK TABLE settlement_id_ranges IN SHARE MODE');
}

export async function listIdRanges(q: Queryable): Promise<IdRangeRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT year, first_id::text, last_id::text, opened_at, opened_by, archived_at, archived_by, archived_settlements::text
       FROM settlement_id_ranges ORDER BY year`,
  );
  return rows.map((r) => ({
    year: Number(r.year), first_id: Number(r.first_id), last_id: Number(r.last_id), opened_at: r.opened_at as Date, opened_by: String(r.opened_by),
    archived_at: (r.archived_at as Date | null) ?? null, archived_by: (r.archived_by as string | null) ?? null,
    archived_settlements: r.archived_settlements == null ? null : Number(r.archived_settlements),
  }));
}

/** Settlements stored with ids in [from, to]: the count reads the one partition the bounds prune to. */
export async function countSettlementsInIds(q: Queryable, from: number | null, to: number): Promise<number> {
  const [row] = await q.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM settlements WHERE ${from === null ? '' : 'id >= $2 AND '}id <= $1`,
    from === null ? [to] : [to, from],
  );
  return Number(row!.n);
}

/**
 * Creates the year's partition of each of the four tables and records its
 * range, in the caller's transaction (a DDL lock on the tables, held briefly:
 * no rows are scanned). Does not move the sequence: see moveIdSequenceTo.
 */
export async function createYearPartitions(q: Queryable, year: number, openedBy: string): Promise<{ firstId: number; lastId: number }> {
  const range = yearIdRange(year);
  await createPartitionsOf(q, year, range.firstId, range.lastId);
  await q.query('INSERT INTO settlement_id_ranges (year, first_id, last_id, opened_by) VALUES ($1, $2, $3, $4)', [year, range.firstId, range.lastId, openedBy]);
  return range;
}

/** The year's partition of each table, unless it exists (a restore over a database that had it). */
async function createPartitionsOf(q: Queryable, year: number, firstId: number, lastId: number): Promise<void> {
  for (const { table } of PARTITIONED_TABLES) {
    await q.query(`CREATE TABLE IF NOT EXISTS ${table}_y${year} PARTITION OF ${table} FOR VALUES FROM (${firstId}) TO (${lastId + 1})`);
  }
}

/** The partitions of every range recorded but archived ones (a restore writes the ranges first, then this, then the settlements). */
export async function createRangePartitions(q: Queryable): Promise<void> {
  for (const r of await listIdRanges(q)) if (!r.archived_at) await createPartitionsOf(q, r.year, r.first_id, r.last_id);
}

/** The settlements' id sequence, schema-qualified as the database names it. */
async function idSequence(q: Queryable): Promise<string> {
  const [row] = await q.query<{ s: string }>(`SELECT pg_get_serial_sequence('settlements', 'id') AS s`);
  return row!.s;
}

/** The id the next settlement takes (the sequence read, not consumed). */
export async function nextSettlementId(q: Queryable): Promise<number> {
  const [row] = await q.query<{ next: string }>(`SELECT (CASE WHEN is_called THEN last_value + 1 ELSE last_value END)::text AS next FROM ${await idSequence(q)}`);
  return Number(row!.next);
}

/**
 * Moves the settlements' id sequence to `firstId` when the next id is below
 * it (never back). Sequences are not transactional: called after the
 * partitions are committed, so the next id always has a partition to go to.
 */
export async function moveIdSequenceTo(q: Queryable, firstId: number): Promise<boolean> {
  if ((await nextSettlementId(q)) >= firstId) return false;
  await q.query('SELECT setval($1::regclass, $2, false)', [await idSequence(q), firstId]);
  return true;
}
