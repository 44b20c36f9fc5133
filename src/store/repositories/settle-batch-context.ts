/**
 * Group commit's contexts read again (src/service/settle-batch.ts): when a
 * person's accumulator row moved while the batch's first statement waited for
 * its lock (settle-batch-lock.ts), every bill's context in one more statement,
 * with a snapshot taken after every lock is held. The rules of claim review,
 * the same for every bill, are read once for the batch. And the accumulator
 * rows a batch made for bills it then refused, removed.
 */
import type { Queryable } from '../db.ts';
import { PERSON_COLUMNS } from './persons.ts';
import { RULES_JSON_SQL } from './review-flags.ts';
import { contextColumns, contextOfRow, YTD_COLUMNS, type SettleContext } from './settle-writes.ts';

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
