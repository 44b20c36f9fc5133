/**
 * Group commit's write: the bills of a batch in one statement, one INSERT per
 * table whatever the batch's size (rows come in as JSON record sets, so the
 * statement's text and plan do not grow with the batch). The same rows as
 * writeSettlement (settle-writes.ts) writes for one bill: the visit, the
 * settlement and its idempotency key, the funds that paid, the accumulators, the audit entry, the
 * bill and its priced lines, the ledger journal, the supplementary tiers, and
 * the alerts the bills raise with their cases and pushes (settle-alert-ctes.ts;
 * a batch without alerts, fee lines or tier payments uses a statement without
 * those CTEs: one that writes nothing still costs each execution its set-up).
 */
import type { PricedLine } from '../../domain/catalogue/pricing.ts';
import { fundSteps, supplementaryByTier, YEAR_TO_DATE_FIELDS } from '../../domain/engine/types.ts';
import type { JournalLine } from '../../domain/ledger/posting.ts';
import type { Queryable } from '../db.ts';
import { ACCUMULATOR_COLUMN } from './accumulators.ts';
import { alertCtes, alertsJson, RAISED_COLUMN, type RaisedAlert } from './settle-alert-ctes.ts';
import type { SettlementWrite } from './settle-writes.ts';
import type { BillWrite } from './settlement-bills.ts';
import { fundRows } from './settlement-fund-rows.ts';
import { encodeSteps } from './steps-codec.ts';
import { storedYearToDate } from './year-to-date-codec.ts';

export interface BatchedSettlement {
  readonly write: SettlementWrite;
  readonly bill: BillWrite;
  readonly lines: readonly PricedLine[];
  readonly journal: readonly JournalLine[];
}

const DELTA = YEAR_TO_DATE_FIELDS.map((f) => ACCUMULATOR_COLUMN[f]);

/** The per-bill record: the visit, the settlement, the accumulators' delta, the audit detail and the bill. */
const BILL_RECORD = `o int, person_id bigint, facility_id bigint, year int, kind text, level smallint, visit_date date, out_of_area boolean,
  filed boolean, major_illness boolean, chronic_class text, diagnosis text, discharge_date date, chronic_category int, bill_date date,
  transaction_id text, request_hash text, policy_id text, total bigint, compliant bigint, funds bigint, spc bigint, spe bigint, sp bigint,
  above_cap bigint, steps text, ytd_delta text, first_alerts text, actor text, audit text, tiers text, journal boolean,
  b_admission date, b_discharge date, b_diagnosis text, b_kind text, b_verification text, b_declared bigint, b_above_cap bigint,
  b_excluded bigint, b_self_pay_first bigint, b_region text, b_code text, b_approval bigint, b_chronic_fund bigint,
  ${DELTA.map((c) => `d_${c} bigint`).join(', ')}`;

/** What a batch has besides the rows every bill writes: each adds its CTE (a CTE that writes nothing still costs every execution its set-up). */
interface Shape {
  readonly lines: boolean;
  readonly tiers: boolean;
  readonly alerts: boolean;
}

/** The write statement for a batch of this shape; parameters $1 bills, $2 funds, $3 entries, $4 people, then lines, tiers, alerts as present. */
function writesSql(shape: Shape): string {
  let n = 4;
  const linesParam = shape.lines ? `$${++n}` : '';
  const tiersParam = shape.tiers ? `$${++n}` : '';
  const alertsParam = shape.alerts ? `$${++n}` : '';
  const ctes = [`x AS MATERIALIZED (SELECT * FROM json_to_recordset($1::json) AS x(${BILL_RECORD}))`,
    // The sequence's name looked up once per statement (a sub-select), not once per bill (a catalogue search each, about 5 µs).
    `vid AS MATERIALIZED (SELECT o, nextval((SELECT pg_get_serial_sequence('visits', 'id'))) AS id FROM x)`,
    `v AS (
       INSERT INTO visits (id, person_id, facility_id, kind, level, visit_date, out_of_area, filed, major_illness, chronic_class, diagnosis,
         discharge_date, chronic_category, bill_date)
       SELECT vid.id, x.person_id, x.facility_id, x.kind, x.level, x.visit_date, x.out_of_area, x.filed, x.major_illness, x.chronic_class,
         x.diagnosis, x.discharge_date, x.chronic_category, x.bill_date FROM x JOIN vid USING (o))`,
    `s AS (
       INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen,
         funds_fen, self_pay_compliant, self_pay_excluded, self_pay, above_cap_fen, steps, ytd_delta, first_alerts)
       SELECT x.facility_id, x.transaction_id, x.request_hash, vid.id, x.person_id, x.year, x.policy_id, x.total, x.compliant, x.funds,
         x.spc, x.spe, x.sp, x.above_cap, x.steps, x.ytd_delta::jsonb, x.first_alerts::jsonb FROM x JOIN vid USING (o) ORDER BY x.o
       RETURNING id, facility_id, transaction_id, settled_at)`,
    `sx AS (SELECT x.o, s.id, s.settled_at FROM s JOIN x ON x.facility_id = s.facility_id AND x.transaction_id = s.transaction_id)`,
    // The idempotency keys, global across the year partitions: a transaction settled meanwhile fails the batch here (and it falls back to one by one).
    `k AS (
       INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id) SELECT x.facility_id, x.transaction_id, sx.id FROM x JOIN sx USING (o))`,
    `f AS (
       INSERT INTO settlement_funds (settlement_id, fund, base_fen, amount_fen, rule)
       SELECT sx.id, t.fund, t.base, t.amount, t.rule FROM json_to_recordset($2::json) AS t(o int, fund text, base bigint, amount bigint, rule text)
         JOIN sx USING (o))`,
    // The people's ids as an array too: the record set's size is unknown to the planner, which would scan the whole table to join it.
    `a AS (
       UPDATE accumulators acc SET ${DELTA.map((c) => `${c} = acc.${c} + x.d_${c}`).join(', ')},
         supplementary_tiers = CASE WHEN x.tiers IS NULL THEN acc.supplementary_tiers ELSE fen_by_key_add(acc.supplementary_tiers, x.tiers::jsonb) END,
         updated_at = now()
       FROM x WHERE acc.person_id = x.person_id AND acc.year = x.year AND acc.person_id = ANY($4::bigint[]))`,
    `au AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT x.actor, 'settlement.create', 'settlement', sx.id::text, x.audit::jsonb FROM x JOIN sx USING (o) ORDER BY x.o)`,
    `bill AS (
       INSERT INTO settlement_bills (settlement_id, person_id, facility_id, kind, admission_date, discharge_date, diagnosis, verification,
         declared_compliant_fen, above_cap_fen, excluded_fen, self_pay_first_fen, chronic_disease_region, chronic_disease_code, chronic_approval_id, chronic_fund_fen)
       SELECT sx.id, x.person_id, x.facility_id, x.b_kind, x.b_admission, x.b_discharge, x.b_diagnosis, x.b_verification, x.b_declared,
         x.b_above_cap, x.b_excluded, x.b_self_pay_first, x.b_region, x.b_code, x.b_approval, x.b_chronic_fund FROM x JOIN sx USING (o))`,
    ...(shape.lines ? [`bill_lines AS (
       INSERT INTO settlement_lines (settlement_id, line_no, code, class, service_date, department, quantity, unit_price_fen, amount_fen,
         above_cap_fen, excluded_fen, self_pay_first_fen, compliant_fen)
       SELECT sx.id, t.line_no, t.code, t.class, t.service_date, t.department, t.quantity, t.unit_price, t.amount, t.above_cap, t.excluded,
         t.self_pay_first, t.compliant
       FROM json_to_recordset(${linesParam}::json) AS t(o int, line_no int, code text, class text, service_date date, department text, quantity int,
         unit_price bigint, amount bigint, above_cap bigint, excluded bigint, self_pay_first bigint, compliant bigint) JOIN sx USING (o))`] : []),
    `journal AS (
       INSERT INTO ledger_journals (kind, source, settlement_id, facility_id, person_id, year, actor, business_date)
       SELECT 'settlement', 'settlement:' || sx.id, sx.id, x.facility_id, x.person_id, x.year, x.actor,
         ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date FROM x JOIN sx USING (o) WHERE x.journal ORDER BY x.o
       RETURNING id, settlement_id)`,
    `journal_lines AS (
       INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
       SELECT j.id, t.line, t.account, t.fund, t.amount
       FROM json_to_recordset($3::json) AS t(o int, line int, account text, fund text, amount bigint) JOIN sx USING (o)
         JOIN journal j ON j.settlement_id = sx.id)`,
    ...(shape.tiers ? [`stp AS (
       INSERT INTO supplementary_tier_payments (settlement_id, tier, amount_fen)
       SELECT sx.id, t.tier, t.amount FROM json_to_recordset(${tiersParam}::json) AS t(o int, tier text, amount bigint) JOIN sx USING (o))`] : []),
    // The alerts, their cases and pushes (settle-alert-ctes.ts), bill by bill, each bill's in its order.
    ...(shape.alerts ? [alertCtes(`${alertsParam}`, 'JOIN sx USING (o)', 'sx.id')] : []),
  ];
  return `WITH ${ctes.join(',\n     ')}
     SELECT o, id, settled_at${shape.alerts ? `, ${RAISED_COLUMN}` : ''} FROM sx ORDER BY o`;
}

/** The statement of each shape, made once. */
const STATEMENTS = new Map<string, string>();

function statementFor(shape: Shape): string {
  const key = `${+shape.lines}${+shape.tiers}${+shape.alerts}`;
  let sql = STATEMENTS.get(key);
  if (sql === undefined) STATEMENTS.set(key, (sql = writesSql(shape)));
  return sql;
}

export interface BatchWritten {
  /** Each settlement's id and time, in the order given. */
  readonly written: { id: number; settled_at: Date }[];
  /** The alerts inserted ("personId:threshold"); the others existed already. */
  readonly raised: ReadonlySet<string>;
}

/**
 * Writes the settlements of a batch (each for a different person) and the
 * alerts they raise in one statement.
 */
export async function writeSettlements(q: Queryable, batch: readonly BatchedSettlement[], alerts: readonly RaisedAlert[] = []): Promise<BatchWritten> {
  const bills: Record<string, unknown>[] = [];
  const funds: unknown[] = [];
  const lines: unknown[] = [];
  const entries: unknown[] = [];
  const tierRows: unknown[] = [];
  batch.forEach(({ write: w, bill: b, lines: priced, journal }, o) => {
    const s = w.settlement;
    const v = w.visit;
    const paying = fundSteps(s.steps).filter((x) => x.amount !== 0);
    const fr = fundRows(paying);
    fr.fund.forEach((fund, i) => funds.push({ o, fund, base: fr.base[i], amount: fr.amount[i], rule: fr.rule[i] }));
    const tiers = supplementaryByTier(s);
    for (const [tier, amount] of Object.entries(tiers)) if (amount !== 0) tierRows.push({ o, tier, amount });
    for (const l of priced) {
      lines.push({
        o, line_no: l.index, code: l.code, class: l.class, service_date: l.date, department: l.department, quantity: l.quantity,
        unit_price: l.unitPrice, amount: l.amount, above_cap: l.aboveCap, excluded: l.excluded, self_pay_first: l.selfPayFirst, compliant: l.compliant,
      });
    }
    journal.forEach((l, i) => entries.push({ o, line: i + 1, account: l.account, fund: l.fund, amount: l.amount }));
    const row: Record<string, unknown> = {
      o, person_id: w.personId, facility_id: w.facilityId, year: w.year, kind: v.kind, level: v.level, visit_date: v.visitDate,
      out_of_area: v.outOfArea ?? false, filed: v.filed ?? false, major_illness: v.majorIllness ?? false, chronic_class: v.chronicClass ?? null,
      diagnosis: v.diagnosis ?? null, discharge_date: v.dischargeDate ?? null, chronic_category: v.chronicCategory ?? null, bill_date: v.date,
      transaction_id: w.transactionId, request_hash: w.requestHash, policy_id: s.policy, total: s.total, compliant: s.compliant,
      funds: s.funds.basic + s.funds.critical + s.funds.assistance + s.funds.supplementary + s.funds.tilt,
      spc: s.selfPayCompliant, spe: s.selfPayExcluded, sp: s.selfPay, above_cap: s.aboveCap, steps: encodeSteps(s.steps),
      ytd_delta: storedYearToDate(w.ytdDelta), first_alerts: JSON.stringify(s.alerts), actor: `facility:${w.facilityCode}`,
      audit: JSON.stringify({ transactionId: w.transactionId, personId: w.personId, total: s.total, funds: s.funds, selfPay: s.selfPay }),
      tiers: Object.keys(tiers).length > 0 ? JSON.stringify(tiers) : null, journal: journal.length > 0,
      b_admission: b.admissionDate, b_discharge: b.dischargeDate, b_diagnosis: b.diagnosis, b_kind: b.kind, b_verification: b.verification,
      b_declared: b.declaredCompliant, b_above_cap: b.aboveCap, b_excluded: b.excluded, b_self_pay_first: b.selfPayFirst,
      b_region: b.chronic?.region ?? null, b_code: b.chronic?.code ?? null, b_approval: b.chronic?.approvalId ?? null, b_chronic_fund: b.chronic?.fund ?? 0,
    };
    YEAR_TO_DATE_FIELDS.forEach((f, i) => (row[`d_${DELTA[i]}`] = w.ytdDelta[f]));
    bills.push(row);
  });
  const shape: Shape = { lines: lines.length > 0, tiers: tierRows.length > 0, alerts: alerts.length > 0 };
  const params: unknown[] = [JSON.stringify(bills), JSON.stringify(funds), JSON.stringify(entries), batch.map((b) => b.write.personId)];
  if (shape.lines) params.push(JSON.stringify(lines));
  if (shape.tiers) params.push(JSON.stringify(tierRows));
  if (shape.alerts) params.push(alertsJson(alerts));
  const rows = await q.query<{ o: number; id: number | string; settled_at: Date; raised?: string[] }>(statementFor(shape), params);
  if (rows.length !== batch.length) throw new Error(`a batch of ${batch.length} settlements wrote ${rows.length}`);
  return {
    written: rows.map((r) => ({ id: Number(r.id), settled_at: r.settled_at })),
    raised: new Set(rows[0]?.raised ?? []),
  };
}
