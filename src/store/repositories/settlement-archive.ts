/**
 * Archiving a closed year's id range (issue 18, docs/partitioning.md): what
 * must be true first, read from the range's rows, and the detach itself — the
 * year's partitions of the four tables become plain tables in the schema
 * `<schema>_archive` (public_archive), out of the way of backups and
 * `db stats`, left for the operator to dump and drop.
 */
import type { Queryable } from '../db.ts';
import { PARTITIONED_TABLES } from './settlement-partitions.ts';

/** The schema detached partitions move to: the working schema's name with `_archive`. */
export async function archiveSchema(q: Queryable): Promise<string> {
  const [row] = await q.query<{ s: string }>(`SELECT current_schema() || '_archive' AS s`);
  return row!.s;
}

/** The bill years (the `year` column) stored in the id range: a range holds its own year's bills and late bills of the year before. */
export async function billYearsInIds(q: Queryable, firstId: number, lastId: number): Promise<number[]> {
  const rows = await q.query<{ year: number }>('SELECT DISTINCT year FROM settlements WHERE id BETWEEN $1 AND $2 ORDER BY year', [firstId, lastId]);
  return rows.map((r) => Number(r.year));
}

/** Hospitals with bills of a year in the range whose year-end clearing of that year is missing, first by code. */
export async function unclearedInIds(q: Queryable, firstId: number, lastId: number): Promise<{ code: string; year: number }[]> {
  return q.query<{ code: string; year: number }>(
    `SELECT f.code, b.year FROM (SELECT DISTINCT facility_id, year FROM settlements WHERE id BETWEEN $1 AND $2) b
       JOIN facilities f ON f.id = b.facility_id
      WHERE NOT EXISTS (SELECT 1 FROM clearings c WHERE c.facility_id = b.facility_id AND c.kind = 'year_end' AND c.period = b.year::text)
      ORDER BY f.code, b.year`,
    [firstId, lastId],
  );
}

/**
 * Review flags on bills in the range not yet decided: open, returned to the
 * hospital, or explained by it (only accepted and deducted are final). Once
 * its bill is archived a flag could never be decided: it reads the bill.
 */
export async function openReviewFlagsInIds(q: Queryable, firstId: number, lastId: number): Promise<number> {
  const [row] = await q.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM review_flags WHERE status IN ('open', 'returned', 'explained') AND settlement_id BETWEEN $1 AND $2`,
    [firstId, lastId],
  );
  return Number(row!.n);
}

/**
 * Tables other than the partition family that still reference settlements by
 * foreign key (a migration after the references moved to settlement_keys):
 * a partition they point into cannot be detached.
 */
export async function otherReferencesToSettlements(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ t: string }>(
    `SELECT DISTINCT c.conrelid::regclass::text AS t FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
      WHERE c.contype = 'f' AND c.confrelid = 'settlements'::regclass AND c.conparentid = 0 AND NOT r.relispartition
        AND c.conrelid <> ALL (ARRAY['settlement_funds'::regclass, 'settlement_bills'::regclass, 'settlement_lines'::regclass])
      ORDER BY 1`,
  );
  return rows.map((r) => r.t.replace(/^.*\./, ''));
}

/**
 * Detaches the year's partition of the four tables, in the caller's
 * transaction: the children first, each losing its foreign key to
 * settlements (a detached table keeps it, which would hold the settlements'
 * partition in place), then the settlements' own; each moved to the archive
 * schema under its name. Takes the parents' locks: the caller bounds the wait
 * (lock_timeout). Returns the archived tables, schema-qualified.
 */
export async function detachYearPartitions(q: Queryable, year: number): Promise<string[]> {
  const schema = await archiveSchema(q);
  await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const detached: string[] = [];
  const children = PARTITIONED_TABLES.filter((t) => t.table !== 'settlements');
  for (const { table } of [...children, { table: 'settlements' }]) {
    const partition = `${table}_y${year}`;
    await q.query(`ALTER TABLE ${table} DETACH PARTITION ${partition}`);
    if (table !== 'settlements') {
      const fks = await q.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' AND confrelid = 'settlements'::regclass`,
        [partition],
      );
      for (const fk of fks) await q.query(`ALTER TABLE ${partition} DROP CONSTRAINT "${fk.conname}"`);
    }
    await q.query(`ALTER TABLE ${partition} SET SCHEMA "${schema}"`);
    detached.push(`${schema}.${partition}`);
  }
  return detached;
}

export async function markRangeArchived(q: Queryable, year: number, archivedBy: string, settlements: number): Promise<void> {
  await q.query('UPDATE settlement_id_ranges SET archived_at = now(), archived_by = $2, archived_settlements = $3 WHERE year = $1', [
    year, archivedBy, settlements,
  ]);
}

/** Whether a settlement id falls in an archived range (its row is no longer in the settlements table). */
export async function isArchivedSettlementId(q: Queryable, settlementId: number): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM settlement_id_ranges WHERE archived_at IS NOT NULL AND $1::bigint BETWEEN first_id AND last_id',
    [settlementId],
  );
  return rows.length > 0;
}

/** The key of a transaction id, when one was ever settled at the facility (it outlives an archived partition). */
export async function keyedSettlementId(q: Queryable, facilityId: number, transactionId: string): Promise<number | undefined> {
  const [row] = await q.query<{ id: string }>(
    'SELECT settlement_id::text AS id FROM settlement_keys WHERE facility_id = $1 AND transaction_id = $2',
    [facilityId, transactionId],
  );
  return row ? Number(row.id) : undefined;
}
