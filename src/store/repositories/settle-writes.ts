/**
 * The settle path in as few round trips as the rules allow: one statement to
 * find the person, lock their accumulators and read all the settlement and its
 * claim review need; one to write the visit, the settlement, its funds, the
 * accumulators, the audit entry and the bill with its lines together.
 */
import type { PricedLine } from '../../domain/catalogue/pricing.ts';
import { fundSteps, supplementaryByTier, YEAR_TO_DATE_FIELDS, type Settlement, type Visit, type YearToDate } from '../../domain/engine/types.ts';
import { continuityFrom, CONTINUITY_LOOK_BACK } from '../../domain/enrollment/cover.ts';
import type { Queryable } from '../db.ts';
import { ACCUMULATOR_COLUMN, supplementaryYearToDateOf, tiersOf } from './accumulators.ts';
import { fundRows } from './settlement-fund-rows.ts';
import { tierPaymentCtes } from './supplementary-tier-payments.ts';
import { PERSON_COLUMNS, type IdentityRow, type PersonRow } from './persons.ts';
import { BILL_COLUMNS, type BillFact } from './review-facts.ts';
import { billCtes, type BillWrite, type Param } from './settlement-bills.ts';
import { settlementJournalCtes } from './ledger.ts';
import type { JournalLine } from '../../domain/ledger/posting.ts';
import { RULES_JSON_SQL, type StoredRule } from './review-flags.ts';
import { encodeSteps } from './steps-codec.ts';
import { storedYearToDate } from './year-to-date-codec.ts';
import { alertCtes, alertsJson, RAISED_COLUMN } from './settle-alert-ctes.ts';
import { askRules, RULES_VERSION_CTE, type RulesHeld } from './review-rules-version.ts';

const COLUMN = ACCUMULATOR_COLUMN;

/**
 * One statement: the person; their accumulator row for the year, locked FOR
 * UPDATE (no new row version, unlike an upsert), or made and returned when it
 * does not exist yet (a person's first bill of the year); enrollment,
 * identities, an earlier settlement of the same transaction id, an active
 * out-of-area filing; and what claim review needs: the person's settled bills
 * near the visit date and the rules in force.
 *
 * Everything but the locked row is read with the statement's snapshot, taken
 * before it waited for the lock. `snap_at` is the row's address in that
 * snapshot: when the locked row is another version, a concurrent settlement
 * committed while this one waited, and the caller reads the context again.
 */
function contextSql(key: 'id_number' | 'qr_token'): string {
  return `WITH me AS (
       SELECT ${PERSON_COLUMNS} FROM persons WHERE ${key} = $1),
     acc AS (
       SELECT ${YTD_COLUMNS}, ctid::text AS at FROM accumulators WHERE person_id = (SELECT id FROM me) AND year = $2 FOR UPDATE),
     born AS (
       INSERT INTO accumulators (person_id, year) SELECT id, $2 FROM me WHERE NOT EXISTS (SELECT 1 FROM acc)
       ON CONFLICT DO NOTHING RETURNING ${YTD_COLUMNS}),
     ${RULES_VERSION_CTE}
     SELECT me.*, coalesce((SELECT row_to_json(acc) FROM acc), (SELECT row_to_json(born) FROM born)) AS ytd,
       (SELECT a.ctid::text FROM accumulators a WHERE a.person_id = me.id AND a.year = $2) AS snap_at,
       ${contextColumns({ person: 'me.id', year: '$2', facility: '$3', transaction: '$4', visitDate: '$5::date', days: '$6::int' })},
       -- The claim-review rules only when their version is not the one the caller holds ($7: review-rules-version.ts).
       (SELECT v FROM rv) AS rules_version,
       CASE WHEN (SELECT v FROM rv) IS DISTINCT FROM $7::text THEN ${RULES_JSON_SQL} END AS rules
     FROM me`;
}

/** The accumulator row's year-to-date as the context reads it. */
export const YTD_COLUMNS = `${YEAR_TO_DATE_FIELDS.map((f) => `${COLUMN[f]} AS "${f}"`).join(', ')}, supplementary_tiers AS "supplementaryTiers"`;

/**
 * The context's columns besides the person, the accumulators and the rules, for
 * the person and the bill the SQL expressions name (one bill, or each of a batch).
 */
export function contextColumns(e: { person: string; year: string; facility: string; transaction: string; visitDate: string; days: string }): string {
  return `(SELECT status FROM enrollments e WHERE e.person_id = ${e.person} AND e.year = ${e.year}) AS enrollment_status,
       (SELECT cover_from::text FROM enrollments e WHERE e.person_id = ${e.person} AND e.year = ${e.year}) AS cover_from,
       (SELECT coalesce(json_agg(json_build_array(e.year, EXISTS (SELECT 1 FROM settlements c WHERE c.person_id = e.person_id AND c.year = e.year
                 AND c.status = 'settled' AND c.funds_fen > 0))), '[]'::json)
          FROM enrollments e WHERE e.person_id = ${e.person} AND e.year BETWEEN ${e.year} - ${CONTINUITY_LOOK_BACK} AND ${e.year} AND e.status = 'enrolled') AS enrolled_years,
       (SELECT coalesce(json_agg(json_build_object('id', i.id, 'person_id', i.person_id, 'identity', i.identity,
                 'valid_from', i.valid_from::text, 'valid_to', i.valid_to::text, 'department', i.department, 'source', i.source)
                 ORDER BY i.valid_from, i.id), '[]'::json)
          FROM identities i WHERE i.person_id = ${e.person} AND i.ended_at IS NULL) AS identities,
       (SELECT json_build_object('id', k.settlement_id, 'request_hash', x.request_hash) FROM settlement_keys k
          LEFT JOIN settlements x ON x.id = k.settlement_id WHERE k.facility_id = ${e.facility} AND k.transaction_id = ${e.transaction}) AS existing,
       EXISTS (SELECT 1 FROM out_of_area_filings o WHERE o.person_id = ${e.person} AND o.status = 'active'
          AND o.valid_from <= ${e.visitDate} AND o.valid_to >= ${e.visitDate}) AS filed,
       (SELECT coalesce(json_agg(h), '[]'::json) FROM (
          SELECT ${BILL_COLUMNS} FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id JOIN persons p ON p.id = b.person_id
          WHERE b.person_id = ${e.person} AND b.admission_date BETWEEN ${e.visitDate} - ${e.days} AND ${e.visitDate} + ${e.days} AND s.status = 'settled') h) AS history`;
}

const CONTEXT_BY_ID_NUMBER = contextSql('id_number');
const CONTEXT_BY_QR_TOKEN = contextSql('qr_token');

export interface SettleContext {
  person: PersonRow;
  yearToDate: YearToDate;
  /** Each supplementary tier's year (undefined: not every fen of the fund's year is attributed to a tier). */
  supplementaryYearToDate: Record<string, number> | undefined;
  enrollmentStatus: string | null;
  /** The first day the enrollment covers bills (after a waiting period); null: the whole year. */
  coverFrom: string | null;
  /** Continuous enrolment for the rewards: years insured in a row (this one included), claim-free years in a row before it. */
  continuity: { yearsInsured: number; claimFreeYears: number };
  identities: IdentityRow[];
  /**
   * The transaction already settled at this facility (its key in
   * settlement_keys; request_hash null when the settlement's year was archived
   * since). A retry racing the first attempt can still miss it; the key's
   * primary key then refuses the second write and the caller replays.
   */
  existing: { id: number; request_hash: string | null } | null;
  /** An active out-of-area filing covers the visit date. */
  filed: boolean;
  /** The person's settled bills admitted within the history window of the visit date (for the real-time claim review). */
  history: BillFact[];
  /** The claim-review rules as stored. */
  rules: StoredRule[];
}

/**
 * Finds the person by ID number or QR token and locks their accumulators for
 * the year: one statement, again when a concurrent settlement of the same
 * person committed while it waited (so nothing it read is stale), and two more
 * when a concurrent first bill made the accumulator row first. Undefined: no
 * such person.
 */
export async function lockSettleContext(
  q: Queryable,
  ref: { idNumber: string } | { qrToken: string },
  year: number,
  transaction: { facilityId: number; transactionId: string; visitDate: string },
  historyDays: number,
  held?: RulesHeld,
): Promise<SettleContext | undefined> {
  const sql = 'idNumber' in ref ? CONTEXT_BY_ID_NUMBER : CONTEXT_BY_QR_TOKEN;
  const ask = askRules(held);
  const params = ['idNumber' in ref ? ref.idNumber.toUpperCase() : ref.qrToken, year, transaction.facilityId, transaction.transactionId, transaction.visitDate, historyDays,
    ask.param];
  let [row] = await q.query<Record<string, unknown>>(sql, params);
  if (row && row.ytd === null) {
    // A concurrent first bill of the year made the row and committed while this statement waited: lock it like any other.
    await q.query('INSERT INTO accumulators (person_id, year) VALUES ($1, $2) ON CONFLICT DO NOTHING', [row.id, year]);
    [row] = await q.query<Record<string, unknown>>(sql, params);
  } else if (row) {
    const locked = (row.ytd as { at?: string }).at;
    // The row is locked now; read again with a snapshot that sees what the other settlement wrote.
    if (locked !== undefined && locked !== row.snap_at) [row] = await q.query<Record<string, unknown>>(sql, params);
  }
  if (!row) return undefined;
  const { rules_version: _version, ...rest } = row;
  return contextOfRow({ ...rest, rules: ask.rulesOf(row) }, year);
}

/** A context statement's row (one bill's, or one of a batch's) as the settlement reads it. */
export function contextOfRow(row: Record<string, unknown>, year: number): SettleContext {
  const { ytd, snap_at: _snap, ord: _ord, enrollment_status, cover_from, enrolled_years, identities, existing, filed, history, rules, ...person } = row;
  const yearToDate = {} as YearToDate;
  for (const f of YEAR_TO_DATE_FIELDS) yearToDate[f] = Number((ytd as Record<string, unknown>)[f]);
  return {
    person: person as unknown as PersonRow,
    yearToDate,
    supplementaryYearToDate: supplementaryYearToDateOf(yearToDate.supplementary, tiersOf((ytd as Record<string, unknown>).supplementaryTiers)),
    enrollmentStatus: (enrollment_status as string | null) ?? null,
    coverFrom: (cover_from as string | null) ?? null,
    continuity: continuityFrom(year, new Map((enrolled_years as [number, boolean][]).map(([y, claimed]) => [Number(y), claimed]))),
    identities: identities as IdentityRow[],
    existing: (existing as SettleContext['existing']) ?? null,
    filed: filed === true,
    history: history as BillFact[],
    rules: rules as StoredRule[],
  };
}

export interface SettlementWrite {
  facilityId: number;
  facilityCode: string;
  transactionId: string;
  requestHash: string;
  personId: number;
  year: number;
  /** The engine's visit; `date` is the bill's (engine's) date, `visitDate` the hospital's visit (admission) date. */
  visit: Visit & { diagnosis?: string | undefined; dischargeDate?: string | undefined; visitDate: string };
  settlement: Settlement;
  ytdDelta: YearToDate;
}

/**
 * Writes the visit, settlement, its idempotency key, funds, accumulator delta,
 * audit entry, the bill with its priced lines, the fund ledger's journal, and
 * the monitoring alerts the bill raises with their cases (settle-alert-ctes.ts),
 * in one statement. `raised`: the alerts inserted ("personId:threshold").
 */
export async function writeSettlement(
  q: Queryable,
  w: SettlementWrite,
  bill: BillWrite,
  lines: readonly PricedLine[],
  journal: readonly JournalLine[],
): Promise<{ id: number; settled_at: Date; raised: ReadonlySet<string> }> {
  const s = w.settlement;
  const v = w.visit;
  const values: unknown[] = [];
  const $: Param = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  const fundsTotal = s.funds.basic + s.funds.critical + s.funds.assistance + s.funds.supplementary + s.funds.tilt;
  const person = $(w.personId);
  const facility = $(w.facilityId);
  const transactionId = $(w.transactionId);
  const year = $(w.year);
  const sets = YEAR_TO_DATE_FIELDS.map((f) => `${COLUMN[f]} = ${COLUMN[f]} + ${$(w.ytdDelta[f])}`).join(', ');
  // One row per fund (several supplementary tiers pay from one fund); each tier's year beside the fund's.
  // The bill's step (how the compliant amount came about) is explanation, not a fund.
  const paying = fundSteps(s.steps).filter((x) => x.amount !== 0);
  const fundRow = fundRows(paying);
  const tiers = supplementaryByTier(s);
  const tierSet = Object.keys(tiers).length > 0 ? `, supplementary_tiers = fen_by_key_add(supplementary_tiers, ${$(JSON.stringify(tiers))}::jsonb)` : '';
  const ctes = [
    // visit_date: the hospital's visit (admission) date; bill_date: the engine's (the bill's) date.
    `v AS (
       INSERT INTO visits (person_id, facility_id, kind, level, visit_date, out_of_area, filed, major_illness, chronic_class, diagnosis,
         discharge_date, chronic_category, bill_date)
       VALUES (${person}, ${facility}, ${$(v.kind)}, ${$(v.level)}, ${$(v.visitDate)}::date, ${[v.outOfArea ?? false, v.filed ?? false, v.majorIllness ?? false, v.chronicClass ?? null, v.diagnosis ?? null].map($).join(', ')},
         ${$(v.dischargeDate ?? null)}::date, ${$(v.chronicCategory ?? null)}::int, ${$(v.date)}::date)
       RETURNING id)`,
    `s AS (
       INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen,
         funds_fen, self_pay_compliant, self_pay_excluded, self_pay, above_cap_fen, steps, ytd_delta, first_alerts)
       SELECT ${facility}, ${transactionId}, ${$(w.requestHash)}, v.id, ${person}, ${year}, ${[
         s.policy, s.total, s.compliant, fundsTotal, s.selfPayCompliant, s.selfPayExcluded, s.selfPay, s.aboveCap, encodeSteps(s.steps), storedYearToDate(w.ytdDelta),
       ].map($).join(', ')}, ${$(JSON.stringify(s.alerts))}::jsonb FROM v RETURNING id, settled_at)`,
    // The idempotency key, global across the year partitions: a second first attempt of the transaction id fails here (unique violation).
    `k AS (
       INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id) SELECT ${facility}, ${transactionId}, s.id FROM s)`,
    // A fund that paid nothing has no row (readers count a missing fund as 0): fewer rows, index entries and key checks per bill.
    ...(paying.length === 0 ? [] : [`f AS (
       INSERT INTO settlement_funds (settlement_id, fund, base_fen, amount_fen, rule)
       SELECT s.id, t.fund, t.base, t.amount, t.rule FROM s, unnest(${$(fundRow.fund)}::text[], ${$(fundRow.base)}::bigint[],
         ${$(fundRow.amount)}::bigint[], ${$(fundRow.rule)}::text[]) AS t(fund, base, amount, rule))`]),
    `a AS (
       UPDATE accumulators SET ${sets}${tierSet}, updated_at = now() WHERE person_id = ${person} AND year = ${year})`,
    `au AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT ${$(`facility:${w.facilityCode}`)}, 'settlement.create', 'settlement', s.id::text, ${$(
         JSON.stringify({ transactionId: w.transactionId, personId: w.personId, total: s.total, funds: s.funds, selfPay: s.selfPay }),
       )}::jsonb FROM s)`,
    ...billCtes('(SELECT id FROM s)', bill, lines, $),
    ...settlementJournalCtes('(SELECT id FROM s)', { facilityId: w.facilityId, personId: w.personId, year: w.year, actor: `facility:${w.facilityCode}`, lines: journal }, $),
    ...tierPaymentCtes('(SELECT id FROM s)', tiers, $),
  ];
  const alerts = s.alerts.map((alert) => ({ bill: 0, personId: w.personId, year: w.year, alert }));
  if (alerts.length > 0) ctes.push(alertCtes($(alertsJson(alerts)), '', '(SELECT id FROM s)'));
  const rows = await q.query<{ id: number; settled_at: Date; raised?: string[] }>(
    `WITH ${ctes.join(',\n     ')}\n     SELECT id, settled_at${alerts.length > 0 ? `, ${RAISED_COLUMN}` : ''} FROM s`, values);
  const { raised, ...row } = rows[0]!;
  return { ...row, raised: new Set(raised ?? []) };
}
