/**
 * Opening a year's id range (`sanbao year open`): the year's partitions of the
 * settlement tables, then the id sequence moved to its first id; and the
 * ranges with the settlements each holds (`sanbao year list`).
 */
import { conflict, invalid } from '../domain/errors.ts';
import { pgErrorCode, type Db, type Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  BEFORE_UPPER_BOUND, countSettlementsInIds, createYearPartitions, listIdRanges, moveIdSequenceTo, nextSettlementId, yearIdRange,
} from '../store/repositories/settlement-partitions.ts';

/** PostgreSQL: the lock was not granted within lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Runs `fn` in a transaction that holds settlement_id_ranges, for DDL on the
 * settlement tables (creating or detaching a partition locks its parent whole:
 * hospitals' bills queue behind it). It waits at most 2 s for the tables (a long
 * report holding them), and bills wait behind it as long: then 409 TABLES_BUSY
 * naming the command to run again, and nothing changed.
 */
export async function withIdRangesLocked<T>(db: Db, command: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL lock_timeout = '2s'`);
      await tx.query('LOCK TABLE settlement_id_ranges IN SHARE ROW EXCLUSIVE MODE');
      return fn(tx);
    });
  } catch (error) {
    if (pgErrorCode(error) === LOCK_NOT_AVAILABLE) {
      throw conflict('TABLES_BUSY', `the settlement tables are held by long work (a report, a backup): nothing changed; run ${command} again`, 'year');
    }
    throw error;
  }
}

export interface OpenedYear {
  year: number;
  /** False: the year was open already (opening is idempotent). */
  opened: boolean;
  firstId: number;
  lastId: number;
  /** The sequence moved to firstId now (false: already there or past it, or a later year is open). */
  sequenceMoved: boolean;
}

/**
 * Opens the year: creates its partitions and moves the settlements' id
 * sequence there, so bills settled from now on go into the year's range.
 * Run at the turn of the year; until it runs, bills keep going into the range
 * the sequence is in (nothing fails). Refused for a year before one already
 * open (the sequence never moves back). The DDL waits at most 2 s for the
 * tables (a long report holding them), and bills settled meanwhile wait
 * behind it as long: then a conflict, and nothing changed.
 */
export async function openYear(db: Db, year: number, actor: string): Promise<OpenedYear> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('INVALID_YEAR', 'the year must be 2000–2100', 'year');
  const opened = await withIdRangesLocked(db, 'year open', async (tx) => {
    const ranges = await listIdRanges(tx);
    if (ranges.some((r) => r.year === year)) return false;
    const later = ranges.filter((r) => r.year > year).map((r) => r.year);
    if (later.length > 0) {
      throw conflict('LATER_YEAR_OPEN', `${Math.max(...later)} is open already: a year's range is opened before the next year's`, 'year');
    }
    const range = await createYearPartitions(tx, year, actor);
    await audit(tx, { actor, action: 'year.open', entity: 'year', entityId: year, detail: { firstId: range.firstId, lastId: range.lastId } });
    return true;
  });
  const range = yearIdRange(year);
  // After the commit (a sequence is not transactional), and only for the latest year open: also repairs an open whose move was cut short.
  const latest = Math.max(...(await listIdRanges(db)).map((r) => r.year));
  const sequenceMoved = latest === year ? await moveIdSequenceTo(db, range.firstId) : false;
  return { year, opened, ...range, sequenceMoved };
}

export interface IdRange {
  /** null: the first partition, every id below 10¹², what was stored before the first year was opened. */
  year: number | null;
  firstId: number | null;
  lastId: number;
  settlements: number;
  openedAt: Date | null;
  openedBy: string | null;
  /** Set once archived: its partitions detached (settlements: as many as it held then). */
  archivedAt: Date | null;
  archivedBy: string | null;
  /** The next settlement's id falls in this range. */
  current: boolean;
}

/** The first partition and each opened year's range, with the settlements stored in it. */
export async function settlementIdRanges(db: Db): Promise<IdRange[]> {
  const next = await nextSettlementId(db);
  const before: IdRange = {
    year: null, firstId: null, lastId: BEFORE_UPPER_BOUND - 1, settlements: await countSettlementsInIds(db, null, BEFORE_UPPER_BOUND - 1),
    openedAt: null, openedBy: null, archivedAt: null, archivedBy: null, current: next < BEFORE_UPPER_BOUND,
  };
  const years: IdRange[] = [];
  for (const r of await listIdRanges(db)) {
    years.push({
      year: r.year, firstId: r.first_id, lastId: r.last_id,
      settlements: r.archived_at ? (r.archived_settlements ?? 0) : await countSettlementsInIds(db, r.first_id, r.last_id),
      openedAt: r.opened_at, openedBy: r.opened_by, archivedAt: r.archived_at, archivedBy: r.archived_by, current: next >= r.first_id && next <= r.last_id,
    });
  }
  return [before, ...years];
}
