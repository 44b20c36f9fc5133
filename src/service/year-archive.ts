/**
 * Archiving a closed year's id range (`sanbao year archive YEAR`, issue 18):
 * its partitions of settlements, settlement_funds, settlement_bills and
 * settlement_lines are detached and moved to the archive schema, to be dumped
 * and dropped. What points at those settlements from elsewhere (the ledger's
 * journals, alerts, re-adjudications, review flags, …) points at their keys
 * in settlement_keys, which stay: a retry of an archived bill answers 409
 * TRANSACTION_ARCHIVED, never a second settlement.
 *
 * Refused, nothing changed, unless: the range was opened by `year open` and
 * new bills go to a later one; every year of a bill in it is closed; every
 * hospital with bills in it had its year-end clearing of their year (the
 * ledger then holds every journal those bills will ever post); no review flag
 * on them is still undecided (open, returned, explained); the ledger agrees with them. Idempotent.
 */
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { listClosedYears } from '../store/repositories/closed-years.ts';
import { compareBills } from '../store/repositories/ledger-sources.ts';
import {
  billYearsInIds, detachYearPartitions, markRangeArchived, openReviewFlagsInIds, otherReferencesToSettlements, unclearedInIds,
} from '../store/repositories/settlement-archive.ts';
import { countSettlementsInIds, listIdRanges, nextSettlementId, type IdRangeRow } from '../store/repositories/settlement-partitions.ts';
import { withIdRangesLocked } from './year-partitions.ts';

export interface ArchivedYear {
  year: number;
  /** False: archived already (archiving is idempotent). */
  archived: boolean;
  settlements: number;
  /** The detached tables, schema-qualified (empty when archived already). */
  tables: string[];
  archivedAt: Date;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * Every check that reads the range's rows, in the archive's locked
 * transaction: the first one that fails, as the error to throw. Run under the
 * lock, so a year-end correction or a review flag (each holding the ranges,
 * holdIdRanges) either came before and is seen here, or comes after and finds
 * the year archived — never one committed between the checks and the detach.
 */
async function refusal(db: Queryable, range: IdRangeRow): Promise<Error | null> {
  const { year, first_id: first, last_id: last } = range;
  if ((await nextSettlementId(db)) <= last) {
    return conflict('YEAR_CURRENT', `new bills still go into ${year}'s range: open ${year + 1} first (sanbao year open ${year + 1})`, 'year');
  }
  const closed = new Set((await listClosedYears(db)).map((c) => Number(c.year)));
  const open = (await billYearsInIds(db, first, last)).filter((y) => !closed.has(y));
  if (open.length > 0) {
    return conflict('YEAR_NOT_CLOSED', `${year}'s range holds bills of ${open.join(', ')}, not closed: close it first (sanbao year close ${open[0]})`, 'year');
  }
  const uncleared = await unclearedInIds(db, first, last);
  if (uncleared.length > 0) {
    const u = uncleared[0]!;
    return conflict(
      'YEAR_NOT_CLEARED',
      `${plural(uncleared.length, 'hospital year')} in ${year}'s range without its year-end clearing, first ${u.code} for ${u.year} (sanbao clearing year-end)`,
      'year',
    );
  }
  const flags = await openReviewFlagsInIds(db, first, last);
  if (flags > 0) return conflict('REVIEW_OPEN', `${plural(flags, 'review flag')} on bills in ${year}'s range still open: settle them first`, 'year');
  const ledger = await compareBills(db, { firstId: first, lastId: last });
  if (ledger.first) {
    return conflict('LEDGER_DIFFERS', `the ledger differs from ${year}'s bills at ${ledger.first.key} (${ledger.first.ledger} fen against ${ledger.first.source}): run sanbao ledger verify`, 'year');
  }
  const others = await otherReferencesToSettlements(db);
  if (others.length > 0) return conflict('REFERENCED', `${others.join(', ')} still reference settlements by foreign key: a partition they point into cannot be detached`, 'year');
  return null;
}

export async function archiveYear(db: Db, year: number, actor: string): Promise<ArchivedYear> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('INVALID_YEAR', 'the year must be 2000–2100', 'year');
  const range = (await listIdRanges(db)).find((r) => r.year === year);
  if (!range) {
    throw notFound('YEAR_NOT_OPENED', `${year} has no id range of its own (sanbao year list): only a range made by year open can be archived`, 'year');
  }
  if (range.archived_at) return { year, archived: false, settlements: range.archived_settlements ?? 0, tables: [], archivedAt: range.archived_at };
  return withIdRangesLocked(db, 'year archive', async (tx) => {
    const now = (await listIdRanges(tx)).find((r) => r.year === year)!;
    if (now.archived_at) return { year, archived: false, settlements: now.archived_settlements ?? 0, tables: [], archivedAt: now.archived_at };
    const refused = await refusal(tx, now);
    if (refused) throw refused;
    const settlements = await countSettlementsInIds(tx, now.first_id, now.last_id);
    const tables = await detachYearPartitions(tx, year);
    await markRangeArchived(tx, year, actor, settlements);
    await audit(tx, { actor, action: 'year.archive', entity: 'year', entityId: year, detail: { firstId: now.first_id, lastId: now.last_id, settlements, tables } });
    const done = (await listIdRanges(tx)).find((r) => r.year === year)!;
    return { year, archived: true, settlements, tables, archivedAt: done.archived_at! };
  });
}
