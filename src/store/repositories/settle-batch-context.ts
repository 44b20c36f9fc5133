/**
 * Group commit's reads (src/service/settle-batch.ts): the people of a batch of
 * bills found and their accumulator rows locked in one statement, in person-id
 * order (two batches never wait for each other in a circle); then, with a
 * snapshot taken after every lock is held, the context of every bill in one
 * more statement. The rules of claim review, the same for every bill, are read
 * once for the batch.
 */
import type { Queryable } from '../db.ts';
import { PERSON_COLUMNS } from './persons.ts';
import { RULES_JSON_SQL } from './review-flags.ts';
import { contextColumns, contextOfRow, YTD_COLUMNS, type SettleContext } from './settle-writes.ts';

export interface BatchKey {
  readonly patient: { idNumber: string } | { qrToken: string };
  readonly year: number;
}

/**
 * Unknown people are missing from the rows; people not enrolled for the year
 * are neither locked nor given an accumulator row (their bills are refused
 * alone, and a refused bill writes nothing). The accumulator rows are made
 * for a first bill of the year; a row another transaction made and committed
 * while this statement waited is not in its snapshot, so it is not yet locked:
 * `held` is false and the caller runs the statement again.
 */
const LOCK_SQL = `WITH q AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS q(by, key, year, ord)),
     found AS (
       SELECT q.ord, q.year, pe.id FROM q JOIN persons pe ON pe.id_number = q.key WHERE q.by = 'id'
       UNION ALL
       SELECT q.ord, q.year, pe.id FROM q JOIN persons pe ON pe.qr_token = q.key WHERE q.by = 'qr'),
     p AS (
       SELECT found.*, EXISTS (SELECT 1 FROM enrollments e WHERE e.person_id = found.id AND e.year = found.year AND e.status = 'enrolled') AS enrolled
       FROM found),
     born AS (
       INSERT INTO accumulators (person_id, year) SELECT DISTINCT id, year FROM p
       WHERE enrolled AND NOT EXISTS (SELECT 1 FROM accumulators a WHERE a.person_id = p.id AND a.year = p.year) ORDER BY id
       ON CONFLICT DO NOTHING RETURNING person_id, year),
     locked AS (
       SELECT a.person_id, a.year FROM accumulators a WHERE (a.person_id, a.year) IN (SELECT id, year FROM p WHERE enrolled)
       ORDER BY a.person_id FOR UPDATE)
     SELECT p.ord::int AS ord, p.id, p.enrolled,
       EXISTS (SELECT 1 FROM born b WHERE b.person_id = p.id AND b.year = p.year) AS born,
       NOT p.enrolled OR EXISTS (SELECT 1 FROM locked l WHERE l.person_id = p.id AND l.year = p.year)
         OR EXISTS (SELECT 1 FROM born b WHERE b.person_id = p.id AND b.year = p.year) AS held
     FROM p`;

export interface LockedPerson {
  readonly id: number;
  /** Enrolled for the year (and so locked); false: the bill is refused by the one-bill path. */
  readonly enrolled: boolean;
  /** Its accumulator row was made by this batch (a first bill of the year). */
  readonly born: boolean;
}

/** Finds each bill's person and locks their accumulator rows; the person by the bill's index (absent: no such person). */
export async function lockBatchPeople(q: Queryable, keys: readonly BatchKey[]): Promise<Map<number, LockedPerson>> {
  const params = [
    keys.map((k) => ('idNumber' in k.patient ? 'id' : 'qr')),
    keys.map((k) => ('idNumber' in k.patient ? k.patient.idNumber.toUpperCase() : k.patient.qrToken)),
    keys.map((k) => k.year),
  ];
  const born = new Set<number>();
  for (let attempt = 0; ; attempt++) {
    const rows = await q.query<{ ord: number; id: number | string; enrolled: boolean; born: boolean; held: boolean }>(LOCK_SQL, params);
    for (const r of rows) if (r.born) born.add(Number(r.id));
    if (rows.every((r) => r.held)) {
      return new Map(rows.map((r) => [Number(r.ord) - 1, { id: Number(r.id), enrolled: r.enrolled, born: born.has(Number(r.id)) }]));
    }
    if (attempt === 3) throw new Error('could not lock the accumulators of a batch of settlements');
  }
}

/** Removes the accumulator rows this batch made for bills it then refused (still all zero): a refused bill writes nothing. */
export async function dropUnusedAccumulators(q: Queryable, rows: readonly { personId: number; year: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `DELETE FROM accumulators a USING unnest($1::bigint[], $2::int[]) AS t(person_id, year)
     WHERE a.person_id = t.person_id AND a.year = t.year`,
    [rows.map((r) => r.personId), rows.map((r) => r.year)],
  );
}

const CONTEXT_SQL = `WITH q AS (
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::date[]) WITH ORDINALITY
         AS q(person_id, year, facility_id, transaction_id, visit_date, ord)),
     r AS (SELECT ${RULES_JSON_SQL} AS rules)
     SELECT q.ord::int AS ord, me.*,
       (SELECT row_to_json(acc) FROM (SELECT ${YTD_COLUMNS} FROM accumulators WHERE person_id = q.person_id AND year = q.year) acc) AS ytd,
       ${contextColumns({ person: 'me.id', year: 'q.year', facility: 'q.facility_id', transaction: 'q.transaction_id', visitDate: 'q.visit_date', days: '$6::int' })},
       CASE WHEN q.ord = 1 THEN (SELECT rules FROM r) END AS rules
     FROM q CROSS JOIN LATERAL (SELECT ${PERSON_COLUMNS} FROM persons WHERE id = q.person_id) me`;

export interface BatchBill {
  readonly personId: number;
  readonly year: number;
  readonly facilityId: number;
  readonly transactionId: string;
  readonly visitDate: string;
}

/** The context of each bill (their people's rows locked already), in the order given. */
export async function readBatchContexts(q: Queryable, bills: readonly BatchBill[], historyDays: number): Promise<SettleContext[]> {
  const rows = await q.query<Record<string, unknown> & { ord: number }>(CONTEXT_SQL, [
    bills.map((b) => b.personId), bills.map((b) => b.year), bills.map((b) => b.facilityId),
    bills.map((b) => b.transactionId), bills.map((b) => b.visitDate), historyDays,
  ]);
  const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
  const rules = byOrd.get(1)?.rules;
  return bills.map((b, i) => {
    const row = byOrd.get(i + 1);
    if (!row) throw new Error(`no context for person ${b.personId}`);
    return contextOfRow({ ...row, rules }, b.year);
  });
}
