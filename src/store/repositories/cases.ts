/**
 * Monitoring cases and their history (case_events). Cases are opened
 * set-based — one statement for one alert or for a whole monthly run — with
 * their 'raised' event and one outbox row per department.
 */
import type { CaseStatus } from '../../domain/monitoring/case-machine.ts';
import type { Queryable } from '../db.ts';

/**
 * The CTEs that open a case (new_cases), its 'raised' event (events) and its
 * pushes (pushes) for each alert of a CTE named src (the alerts' columns, with
 * the person's division_code, id_number, name, phone and household_code); the
 * actor is an SQL expression. Shared by openCasesForAlerts and group commit's
 * write statement (settle-batch-writes.ts), so both open the same cases.
 */
export function caseOpeningCtes(actor: string): string {
  return `new_cases AS (
       INSERT INTO monitoring_cases (alert_id, person_id, year, division_code, risk, departments)
       SELECT id, person_id, year, division_code, risk, departments FROM src
       ON CONFLICT (alert_id) DO NOTHING
       RETURNING id, alert_id
     ), events AS (
       INSERT INTO case_events (case_id, actor, action, to_status, detail)
       SELECT id, ${actor}, 'raised', 'raised', jsonb_build_object('alertId', alert_id) FROM new_cases
     ), pushes AS (
       -- What a case's pushes share is built once a case (not subquery-flattened: once a push), each push's own keys added.
       INSERT INTO outbox (case_id, department, dedupe_key, payload)
       SELECT b.case_id, d.department, 'sanbao-alert-' || b.alert_id || '-' || d.department,
         b.shared || jsonb_build_object('dedupeKey', 'sanbao-alert-' || b.alert_id || '-' || d.department, 'department', d.department)
       FROM (
         SELECT c.id AS case_id, a.id AS alert_id, a.departments,
           jsonb_build_object(
             'kind', 'monitoring.alert', 'caseId', c.id, 'alertId', a.id, 'year', a.year, 'risk', a.risk,
             'threshold', jsonb_build_object('id', a.threshold_id, 'amountFen', a.threshold_fen),
             'yearlySelfPayFen', a.yearly_self_pay, 'source', a.source, 'raisedAt', a.created_at,
             'person', jsonb_build_object('id', a.person_id, 'idNumber', a.id_number, 'name', a.name,
               'divisionCode', a.division_code, 'householdCode', a.household_code, 'phone', a.phone)) AS shared
         FROM new_cases c JOIN src a ON a.id = c.alert_id
         OFFSET 0
       ) b
       CROSS JOIN LATERAL unnest(b.departments) AS d(department)
       ON CONFLICT (dedupe_key) DO NOTHING
     )`;
}

/**
 * Opens a case, its first event and its pushes for each alert that has none:
 * the alerts given by id (real time) or those raised by a monthly run.
 * Returns how many cases were opened.
 */
export async function openCasesForAlerts(
  q: Queryable,
  which: { alertIds: readonly number[] } | { runMonth: string },
  actor = 'system',
): Promise<number> {
  const ids = 'alertIds' in which ? which.alertIds : null;
  const runMonth = 'runMonth' in which ? which.runMonth : null;
  const rows = await q.query<{ n: number }>(
    `WITH src AS MATERIALIZED (
       SELECT a.id, a.person_id, a.year, a.risk, a.departments, a.threshold_id, a.threshold_fen, a.yearly_self_pay, a.source,
         a.created_at, p.division_code, p.id_number, p.name, p.phone, h.code AS household_code
       FROM alerts a JOIN persons p ON p.id = a.person_id LEFT JOIN households h ON h.id = p.household_id
       WHERE ${ids ? 'a.id = ANY($1::bigint[])' : 'a.run_month = $1::text'}
         AND NOT EXISTS (SELECT 1 FROM monitoring_cases c WHERE c.alert_id = a.id)
     ), ${caseOpeningCtes('$2')}
     SELECT count(*)::int AS n FROM new_cases`,
    [ids ?? runMonth, actor],
  );
  return rows[0]?.n ?? 0;
}

export interface CaseRow {
  id: number;
  alert_id: number;
  person_id: number;
  year: number;
  division_code: string;
  risk: 'becoming_poor' | 'falling_back';
  departments: string[];
  status: CaseStatus;
  determination: string | null;
  determination_detail: Record<string, unknown> | null;
  determined_by_department: string | null;
  confirmed: boolean | null;
  created_at: Date;
  updated_at: Date;
  threshold_id: string;
  threshold_fen: number;
  yearly_self_pay: number;
  source: 'realtime' | 'monthly';
  settlement_id: number | null;
  person_name: string;
  id_number: string;
  phone: string | null;
  household_id: number | null;
}

const SELECT = `SELECT c.id, c.alert_id, c.person_id, c.year, c.division_code, c.risk, c.departments, c.status,
  c.determination, c.determination_detail, c.determined_by_department, c.confirmed, c.created_at, c.updated_at,
  a.threshold_id, a.threshold_fen, a.yearly_self_pay, a.source, a.settlement_id,
  p.name AS person_name, p.id_number, p.phone, p.household_id
  FROM monitoring_cases c JOIN alerts a ON a.id = c.alert_id JOIN persons p ON p.id = c.person_id`;

export async function findCase(q: Queryable, id: number, lock = false): Promise<CaseRow | undefined> {
  const rows = await q.query<CaseRow & Record<string, unknown>>(`${SELECT} WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);
  return rows[0];
}

export interface CaseFilter {
  divisionPrefix: string;
  year?: number | undefined;
  status?: CaseStatus | undefined;
  risk?: 'becoming_poor' | 'falling_back' | undefined;
  department?: string | undefined;
  personId?: number | undefined;
  source?: 'realtime' | 'monthly' | undefined;
  limit: number;
  offset: number;
}

export async function listCases(q: Queryable, f: CaseFilter): Promise<{ total: number; rows: CaseRow[] }> {
  const where = `WHERE c.division_code LIKE $1 || '%' AND ($2::int IS NULL OR c.year = $2) AND ($3::text IS NULL OR c.status = $3)
    AND ($4::text IS NULL OR c.risk = $4) AND ($5::text IS NULL OR $5 = ANY (c.departments))
    AND ($6::bigint IS NULL OR c.person_id = $6) AND ($7::text IS NULL OR a.source = $7)`;
  const params = [f.divisionPrefix, f.year ?? null, f.status ?? null, f.risk ?? null, f.department ?? null, f.personId ?? null, f.source ?? null];
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring_cases c JOIN alerts a ON a.id = c.alert_id ${where}`,
    params,
  );
  const rows = await q.query<CaseRow & Record<string, unknown>>(`${SELECT} ${where} ORDER BY c.id DESC LIMIT $8 OFFSET $9`, [
    ...params,
    f.limit,
    f.offset,
  ]);
  return { total: count?.n ?? 0, rows };
}

export interface CaseEventRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  detail: Record<string, unknown>;
}

export async function caseEvents(q: Queryable, caseId: number): Promise<CaseEventRow[]> {
  return q.query<CaseEventRow & Record<string, unknown>>(
    'SELECT id, at, actor, action, from_status, to_status, detail FROM case_events WHERE case_id = $1 ORDER BY id',
    [caseId],
  );
}

export async function addCaseEvent(
  q: Queryable,
  e: { caseId: number; actor: string; action: string; from?: CaseStatus | null; to?: CaseStatus | null; detail?: Record<string, unknown> },
): Promise<void> {
  await q.query('INSERT INTO case_events (case_id, actor, action, from_status, to_status, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.caseId,
    e.actor,
    e.action,
    e.from ?? null,
    e.to ?? null,
    JSON.stringify(e.detail ?? {}),
  ]);
}

export async function setCaseStatus(
  q: Queryable,
  id: number,
  status: CaseStatus,
  determination?: { kind: string; detail: Record<string, unknown>; department: string | null; confirmed: boolean },
): Promise<void> {
  if (determination) {
    await q.query(
      `UPDATE monitoring_cases SET status = $2, determination = $3, determination_detail = $4, determined_by_department = $5,
         confirmed = $6, updated_at = now() WHERE id = $1`,
      [id, status, determination.kind, JSON.stringify(determination.detail), determination.department, determination.confirmed],
    );
  } else {
    await q.query('UPDATE monitoring_cases SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }
}

/** True when the person has a monitoring case routed to the department (what a liaison may see of people). */
export async function hasCaseFor(q: Queryable, personId: number, department: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM monitoring_cases WHERE person_id = $1 AND $2 = ANY (departments) LIMIT 1', [personId, department]);
  return rows.length > 0;
}
