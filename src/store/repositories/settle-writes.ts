/**
 * The settle path in as few round trips as the rules allow: one statement to
 * find the person, lock their accumulators and read their enrollment, identities
 * and any earlier settlement of the same transaction id; one to write the visit, the settlement, its
 * funds, the accumulators and the audit entry together.
 */
import { YEAR_TO_DATE_FIELDS, type Settlement, type Visit, type YearToDate } from '../../domain/engine/types.ts';
import type { Queryable } from '../db.ts';
import { ACCUMULATOR_COLUMN } from './accumulators.ts';
import { PERSON_COLUMNS, type IdentityRow, type PersonRow } from './persons.ts';

const COLUMN = ACCUMULATOR_COLUMN;

/**
 * Locks the accumulator row with FOR UPDATE (no new row version, unlike an
 * upsert); ytd is null when the row does not exist yet.
 */
function contextSql(key: 'id_number' | 'qr_token'): string {
  return `WITH p AS (
       SELECT ${PERSON_COLUMNS} FROM persons WHERE ${key} = $1),
     acc AS (
       SELECT ${YEAR_TO_DATE_FIELDS.map((f) => `${COLUMN[f]} AS "${f}"`).join(', ')}
       FROM accumulators WHERE person_id = (SELECT id FROM p) AND year = $2 FOR UPDATE)
     SELECT p.*, (SELECT row_to_json(acc) FROM acc) AS ytd,
       (SELECT status FROM enrollments e WHERE e.person_id = p.id AND e.year = $2) AS enrollment_status,
       (SELECT cover_from::text FROM enrollments e WHERE e.person_id = p.id AND e.year = $2) AS cover_from,
       (SELECT coalesce(json_agg(json_build_object('id', i.id, 'person_id', i.person_id, 'identity', i.identity,
                 'valid_from', i.valid_from::text, 'valid_to', i.valid_to::text, 'department', i.department, 'source', i.source)
                 ORDER BY i.valid_from, i.id), '[]'::json)
          FROM identities i WHERE i.person_id = p.id AND i.ended_at IS NULL) AS identities,
       (SELECT json_build_object('id', x.id, 'request_hash', x.request_hash) FROM settlements x
          WHERE x.facility_id = $3 AND x.transaction_id = $4) AS existing,
       EXISTS (SELECT 1 FROM out_of_area_filings o WHERE o.person_id = p.id AND o.status = 'active'
          AND o.valid_from <= $5::date AND o.valid_to >= $5::date) AS filed
     FROM p`;
}

const CONTEXT_BY_ID_NUMBER = contextSql('id_number');
const CONTEXT_BY_QR_TOKEN = contextSql('qr_token');

export interface SettleContext {
  person: PersonRow;
  yearToDate: YearToDate;
  enrollmentStatus: string | null;
  /** The first day the enrollment covers bills (after a waiting period); null: the whole year. */
  coverFrom: string | null;
  identities: IdentityRow[];
  /**
   * The transaction already settled at this facility, as the statement saw it
   * before it waited for the lock. A retry racing the first attempt can miss it
   * here; the unique key then refuses the second write and the caller replays.
   */
  existing: { id: number; request_hash: string } | null;
  /** An active out-of-area filing covers the visit date. */
  filed: boolean;
}

/**
 * Finds the person by ID number or QR token and locks their accumulators for
 * the year, in one statement (two more the first time in a year, to create
 * the row). Undefined: no such person.
 */
export async function lockSettleContext(
  q: Queryable,
  ref: { idNumber: string } | { qrToken: string },
  year: number,
  transaction: { facilityId: number; transactionId: string; visitDate: string },
): Promise<SettleContext | undefined> {
  const sql = 'idNumber' in ref ? CONTEXT_BY_ID_NUMBER : CONTEXT_BY_QR_TOKEN;
  const params = ['idNumber' in ref ? ref.idNumber.toUpperCase() : ref.qrToken, year, transaction.facilityId, transaction.transactionId, transaction.visitDate];
  let [row] = await q.query<Record<string, unknown>>(sql, params);
  if (row && row.ytd === null) {
    // The person's first bill of the year: make the row, then lock it like any other.
    await q.query('INSERT INTO accumulators (person_id, year) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row.id, year]);
    [row] = await q.query<Record<string, unknown>>(sql, params);
  }
  if (!row) return undefined;
  const { ytd, enrollment_status, cover_from, identities, existing, filed, ...person } = row;
  const yearToDate = {} as YearToDate;
  for (const f of YEAR_TO_DATE_FIELDS) yearToDate[f] = Number((ytd as Record<string, unknown>)[f]);
  return {
    person: person as unknown as PersonRow,
    yearToDate,
    enrollmentStatus: (enrollment_status as string | null) ?? null,
    coverFrom: (cover_from as string | null) ?? null,
    identities: identities as IdentityRow[],
    existing: (existing as SettleContext['existing']) ?? null,
    filed: filed === true,
  };
}

export interface SettlementWrite {
  facilityId: number;
  facilityCode: string;
  transactionId: string;
  requestHash: string;
  personId: number;
  year: number;
  visit: Visit & { diagnosis?: string | undefined };
  settlement: Settlement;
  ytdDelta: YearToDate;
}

/** Writes the visit, settlement, funds, accumulator delta and audit entry in one statement. */
export async function writeSettlement(q: Queryable, w: SettlementWrite): Promise<{ id: number; settled_at: Date }> {
  const s = w.settlement;
  const v = w.visit;
  const fundsTotal = s.funds.basic + s.funds.critical + s.funds.assistance + s.funds.supplementary + s.funds.tilt;
  const ytdParams = YEAR_TO_DATE_FIELDS.map((f) => w.ytdDelta[f]);
  const first = 27; // index of the first accumulator delta parameter
  const sets = YEAR_TO_DATE_FIELDS.map((f, i) => `${COLUMN[f]} = ${COLUMN[f]} + $${first + i}`).join(', ');
  const rows = await q.query<{ id: number; settled_at: Date }>(
    `WITH v AS (
       INSERT INTO visits (person_id, facility_id, kind, level, visit_date, out_of_area, filed, major_illness, chronic_class, diagnosis)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id),
     s AS (
       INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen,
         funds_fen, self_pay_compliant, self_pay_excluded, self_pay, above_cap_fen, steps, ytd_delta)
       SELECT $2, $11, $12, v.id, $1, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23 FROM v RETURNING id, settled_at),
     f AS (
       INSERT INTO settlement_funds (settlement_id, fund, base_fen, amount_fen, rule)
       SELECT s.id, t.fund, t.base, t.amount, t.rule FROM s, unnest($24::text[], $25::bigint[], $26::bigint[], $38::text[]) AS t(fund, base, amount, rule)),
     a AS (
       UPDATE accumulators SET ${sets}, updated_at = now() WHERE person_id = $1 AND year = $13),
     au AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $39, 'settlement.create', 'settlement', s.id::text, $40::jsonb FROM s)
     SELECT id, settled_at FROM s`,
    [
      w.personId, w.facilityId, v.kind, v.level, v.date, v.outOfArea ?? false, v.filed ?? false, v.majorIllness ?? false, v.chronicClass ?? null,
      v.diagnosis ?? null, w.transactionId, w.requestHash, w.year, s.policy, s.total, s.compliant, fundsTotal, s.selfPayCompliant,
      s.selfPayExcluded, s.selfPay, s.aboveCap, JSON.stringify(s.steps), JSON.stringify(w.ytdDelta),
      s.steps.map((x) => x.fund), s.steps.map((x) => x.base), s.steps.map((x) => x.amount),
      ...ytdParams,
      s.steps.map((x) => x.rule),
      `facility:${w.facilityCode}`,
      JSON.stringify({ transactionId: w.transactionId, personId: w.personId, total: s.total, funds: s.funds, selfPay: s.selfPay }),
    ],
  );
  return rows[0]!;
}
