/** The grouping of each discharge (one row per abstract), with the rules that placed it. */
import type { Grouping } from '../../domain/drg/grouper.ts';
import type { Queryable } from '../db.ts';

export async function saveGroupings(q: Queryable, tableId: string, rows: readonly { abstractId: number; grouping: Grouping }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO drg_groupings (abstract_id, table_id, drg, name, mdc, adrg, cc_level, reason_code, reason_message, steps)
     SELECT abstract_id, $1, drg, name, mdc, adrg, cc_level, reason_code, reason_message, steps
     FROM jsonb_to_recordset($2::jsonb) AS t(abstract_id bigint, drg text, name text, mdc text, adrg text, cc_level text,
       reason_code text, reason_message text, steps jsonb)
     ON CONFLICT (abstract_id) DO UPDATE SET table_id = excluded.table_id, drg = excluded.drg, name = excluded.name, mdc = excluded.mdc,
       adrg = excluded.adrg, cc_level = excluded.cc_level, reason_code = excluded.reason_code, reason_message = excluded.reason_message,
       steps = excluded.steps, grouped_at = now()`,
    [
      tableId,
      JSON.stringify(
        rows.map(({ abstractId, grouping: g }) => ({
          abstract_id: abstractId, drg: g.drg, name: g.name, mdc: g.mdc, adrg: g.adrg, cc_level: g.ccLevel,
          reason_code: g.reason?.code ?? null, reason_message: g.reason?.message ?? null, steps: g.steps,
        })),
      ),
    ],
  );
}

export interface GroupingRow {
  abstract_id: number;
  table_id: string;
  drg: string;
  name: string;
  mdc: string | null;
  adrg: string | null;
  cc_level: string | null;
  reason_code: string | null;
  reason_message: string | null;
  steps: unknown[];
}

export async function findGrouping(q: Queryable, abstractId: number): Promise<GroupingRow | undefined> {
  const rows = await q.query<GroupingRow & Record<string, unknown>>(
    'SELECT abstract_id, table_id, drg, name, mdc, adrg, cc_level, reason_code, reason_message, steps FROM drg_groupings WHERE abstract_id = $1',
    [abstractId],
  );
  return rows[0];
}

/** Grouped historical cases in [from, to]: group and cost, for the weights, with the hospital's level for the rates. */
export async function groupedHistory(q: Queryable, range: { from: string; to: string }): Promise<{ drg: string; cost: number; level: number; grouped: boolean }[]> {
  const rows = await q.query<{ drg: string; cost: number; level: number; grouped: boolean }>(
    `SELECT g.drg, a.total_fen AS cost, f.level, g.reason_code IS NULL AS grouped
     FROM drg_groupings g JOIN drg_abstracts a ON a.id = g.abstract_id JOIN facilities f ON f.id = a.facility_id
     WHERE a.discharge_date BETWEEN $1 AND $2`,
    [range.from, range.to],
  );
  return rows.map((r) => ({ drg: r.drg, cost: Number(r.cost), level: Number(r.level), grouped: r.grouped }));
}

export interface DischargeToPay {
  id: number;
  facilityId: number;
  level: number;
  total: number;
  patientPaid: number;
  drg: string | null;
  grouped: boolean;
}

/** The discharges of [from, to] with their grouping (drg null: not grouped yet), a page at a time. */
export async function dischargesToPay(q: Queryable, range: { from: string; to: string }, afterId: number, limit: number): Promise<DischargeToPay[]> {
  const rows = await q.query<{ id: number; facility_id: number; level: number; total_fen: number; patient_fen: number; drg: string | null; reason_code: string | null }>(
    `SELECT a.id, a.facility_id, f.level, a.total_fen, a.patient_fen, g.drg, g.reason_code
     FROM drg_abstracts a JOIN facilities f ON f.id = a.facility_id LEFT JOIN drg_groupings g ON g.abstract_id = a.id
     WHERE a.discharge_date BETWEEN $1 AND $2 AND a.id > $3 ORDER BY a.id LIMIT $4`,
    [range.from, range.to, afterId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id), facilityId: Number(r.facility_id), level: Number(r.level), total: Number(r.total_fen), patientPaid: Number(r.patient_fen),
    drg: r.drg, grouped: r.drg !== null && r.reason_code === null,
  }));
}
