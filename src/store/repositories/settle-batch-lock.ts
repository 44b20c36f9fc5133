/**
 * Group commit's first statement (src/service/settle-batch.ts): the people of a
 * batch found, their accumulator rows locked in person-id order (two batches
 * never wait for each other in a circle) or made for a first bill of the year,
 * and every bill's context read, in one round trip.
 *
 * The context is read with the statement's snapshot, taken before it waited for
 * any lock. When a locked row is another version than the snapshot's (a
 * settlement of the same person committed while this one waited), the contexts
 * are read again with a fresh snapshot (readBatchContexts): nothing is stale.
 * People not enrolled for the year are neither locked nor given a row (their
 * bills are refused alone, and a refused bill writes nothing).
 */
import type { Queryable } from '../db.ts';
import { PERSON_COLUMNS } from './persons.ts';
import { RULES_JSON_SQL } from './review-flags.ts';
import { askRules, RULES_VERSION_CTE, type RulesHeld } from './review-rules-version.ts';
import { readBatchContexts, type BatchBill } from './settle-batch-context.ts';
import { contextColumns, contextOfRow, YTD_COLUMNS, type SettleContext } from './settle-writes.ts';

/** The statement; the people found by QR token too only when a bill names one (the branch costs each execution its set-up). */
const sql = (qr: boolean) => `WITH q AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::date[]) WITH ORDINALITY
         AS q(by, key, year, facility_id, transaction_id, visit_date, ord)),
     found AS (
       SELECT q.*, pe.id AS person_id FROM q JOIN persons pe ON pe.id_number = q.key WHERE q.by = 'id'${qr ? `
       UNION ALL
       SELECT q.*, pe.id AS person_id FROM q JOIN persons pe ON pe.qr_token = q.key WHERE q.by = 'qr'` : ''}),
     bi AS (
       SELECT found.*, EXISTS (SELECT 1 FROM enrollments e WHERE e.person_id = found.person_id AND e.year = found.year AND e.status = 'enrolled') AS enrolled
       FROM found),
     born AS (
       INSERT INTO accumulators (person_id, year) SELECT DISTINCT person_id, year FROM bi
       WHERE enrolled AND NOT EXISTS (SELECT 1 FROM accumulators a WHERE a.person_id = bi.person_id AND a.year = bi.year) ORDER BY person_id
       ON CONFLICT DO NOTHING RETURNING person_id, year, ${YTD_COLUMNS}),
     locked AS (
       SELECT a.person_id, a.year, a.ctid::text AS at, ${YTD_COLUMNS} FROM accumulators a
       WHERE (a.person_id, a.year) IN (SELECT person_id, year FROM bi WHERE enrolled)
       ORDER BY a.person_id FOR UPDATE),
     ${RULES_VERSION_CTE}
     SELECT bi.ord::int AS ord, bi.enrolled, me.*,
       EXISTS (SELECT 1 FROM born b WHERE b.person_id = bi.person_id AND b.year = bi.year) AS born,
       coalesce((SELECT row_to_json(l) FROM locked l WHERE l.person_id = bi.person_id AND l.year = bi.year),
         (SELECT row_to_json(b) FROM born b WHERE b.person_id = bi.person_id AND b.year = bi.year)) AS ytd,
       (SELECT a.ctid::text FROM accumulators a WHERE a.person_id = bi.person_id AND a.year = bi.year) AS snap_at,
       ${contextColumns({ person: 'me.id', year: 'bi.year', facility: 'bi.facility_id', transaction: 'bi.transaction_id', visitDate: 'bi.visit_date', days: '$7::int' })},
       -- The claim-review rules on the first row, and only when their version is not the one the caller holds ($8).
       CASE WHEN bi.ord = (SELECT min(ord) FROM bi) THEN (SELECT v FROM rv) END AS rules_version,
       CASE WHEN bi.ord = (SELECT min(ord) FROM bi) AND (SELECT v FROM rv) IS DISTINCT FROM $8::text THEN ${RULES_JSON_SQL} END AS rules
     FROM bi CROSS JOIN LATERAL (SELECT ${PERSON_COLUMNS} FROM persons WHERE id = bi.person_id) me`;
const BY_ID_NUMBER = sql(false);
const BY_EITHER = sql(true);

export interface BatchRequest {
  readonly patient: { idNumber: string } | { qrToken: string };
  readonly year: number;
  readonly facilityId: number;
  readonly transactionId: string;
  readonly visitDate: string;
}

export interface LockedBill {
  readonly personId: number;
  /** Enrolled for the year (and so locked, with its context); false: the bill is refused by the one-bill path. */
  readonly enrolled: boolean;
  /** Its accumulator row was made by this batch (a first bill of the year). */
  readonly born: boolean;
  readonly context?: SettleContext;
}

/**
 * Locks the people of the bills and reads each bill's context; by the bill's
 * index (absent: no such person). A person named twice (an ID number and a QR
 * token) has the same context twice: the caller settles one of the bills alone.
 */
export async function lockAndReadBatch(q: Queryable, bills: readonly BatchRequest[], historyDays: number, held?: RulesHeld): Promise<Map<number, LockedBill>> {
  const ask = askRules(held);
  const params = [
    bills.map((b) => ('idNumber' in b.patient ? 'id' : 'qr')),
    bills.map((b) => ('idNumber' in b.patient ? b.patient.idNumber.toUpperCase() : b.patient.qrToken)),
    bills.map((b) => b.year), bills.map((b) => b.facilityId), bills.map((b) => b.transactionId), bills.map((b) => b.visitDate), historyDays,
    ask.param,
  ];
  const statement = bills.some((b) => !('idNumber' in b.patient)) ? BY_EITHER : BY_ID_NUMBER;
  const born = new Set<number>();
  for (let attempt = 0; ; attempt++) {
    const rows = await q.query<Record<string, unknown> & { ord: number; id: number | string; enrolled: boolean; born: boolean }>(statement, params);
    for (const r of rows) if (r.born) born.add(Number(r.id));
    // A row another transaction made and committed while this statement waited is not in its snapshot, so not locked yet: again.
    if (rows.some((r) => r.enrolled && r.ytd === null)) {
      if (attempt === 3) throw new Error('could not lock the accumulators of a batch of settlements');
      continue;
    }
    const first = rows.reduce<(typeof rows)[number] | undefined>((a, r) => (a === undefined || Number(r.ord) < Number(a.ord) ? r : a), undefined);
    const rules = first === undefined ? [] : ask.rulesOf(first);
    const out = new Map<number, LockedBill>();
    const moved: number[] = [];
    for (const r of rows) {
      const i = Number(r.ord) - 1;
      const personId = Number(r.id);
      if (!r.enrolled) {
        out.set(i, { personId, enrolled: false, born: false });
        continue;
      }
      const at = (r.ytd as { at?: string }).at;
      if (at !== undefined && at !== r.snap_at) moved.push(i);
      const { born: _born, enrolled: _enrolled, rules_version: _version, ...row } = r;
      out.set(i, { personId, enrolled: true, born: born.has(personId), context: contextOfRow({ ...row, rules }, bills[i]!.year) });
    }
    if (moved.length > 0) {
      // A row moved while this statement waited for it: every context again, with a snapshot that sees what was committed.
      const enrolled = [...out.entries()].filter(([, b]) => b.enrolled);
      const fresh = await readBatchContexts(q, enrolled.map(([i, b]): BatchBill => ({
        personId: b.personId, year: bills[i]!.year, facilityId: bills[i]!.facilityId, transactionId: bills[i]!.transactionId, visitDate: bills[i]!.visitDate,
      })), historyDays);
      enrolled.forEach(([i, b], k) => out.set(i, { ...b, context: fresh[k]! }));
    }
    return out;
  }
}
