/** Out-of-area filings (异地就医备案): where a person may be treated out of area, and for how long. */
import { FILING_REASONS, type FilingReason } from '../../domain/policy/filing-limits.ts';
import type { Queryable } from '../db.ts';

export { FILING_REASONS, type FilingReason };
export const FILING_CHANNELS = ['online', 'phone', 'window'] as const;
export type FilingChannel = (typeof FILING_CHANNELS)[number];

export interface FilingRow {
  id: number;
  person_id: number;
  insured_division: string;
  treatment_place: string;
  treatment_division: string | null;
  reason: FilingReason;
  valid_from: string;
  valid_to: string;
  channel: FilingChannel;
  status: 'active' | 'cancelled';
  created_by: string;
  created_at: Date;
  cancelled_at: Date | null;
}

export interface NewFiling {
  personId: number;
  insuredDivision: string;
  treatmentPlace: string;
  treatmentDivision?: string | null;
  reason: FilingReason;
  validFrom: string;
  validTo: string;
  channel: FilingChannel;
  createdBy: string;
}

const COLUMNS = `id, person_id, insured_division, treatment_place, treatment_division, reason, valid_from::text AS valid_from,
  valid_to::text AS valid_to, channel, status, created_by, created_at, cancelled_at`;

export async function insertFiling(q: Queryable, f: NewFiling): Promise<FilingRow> {
  const rows = await q.query<FilingRow & Record<string, unknown>>(
    `INSERT INTO out_of_area_filings (person_id, insured_division, treatment_place, treatment_division, reason, valid_from, valid_to, channel, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [f.personId, f.insuredDivision, f.treatmentPlace, f.treatmentDivision ?? null, f.reason, f.validFrom, f.validTo, f.channel, f.createdBy],
  );
  return rows[0]!;
}

export async function listFilings(q: Queryable, personId: number): Promise<FilingRow[]> {
  return q.query<FilingRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM out_of_area_filings WHERE person_id = $1 ORDER BY id DESC`, [personId]);
}

/** True when the person holds an active filing covering the date (the settlement service may use it for `filed`). */
export async function hasActiveFiling(q: Queryable, personId: number, date: string): Promise<boolean> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM out_of_area_filings WHERE person_id = $1 AND status = 'active' AND valid_from <= $2::date AND valid_to >= $2::date`,
    [personId, date],
  );
  return rows[0]!.n > 0;
}

/** One of a person's filings (locked for a change when asked). */
export async function findFiling(q: Queryable, personId: number, filingId: number, lock = false): Promise<FilingRow | undefined> {
  const [row] = await q.query<FilingRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM out_of_area_filings WHERE id = $1 AND person_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [filingId, personId],
  );
  return row;
}

/** Bills settled (and not reversed) as filed out-of-area treatment inside the filing's period: what the filing has been used for. */
export async function billsSettledUnder(q: Queryable, f: Pick<FilingRow, 'person_id' | 'valid_from' | 'valid_to'>): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM settlements s JOIN visits v ON v.id = s.visit_id
     WHERE v.person_id = $1 AND v.out_of_area AND v.filed AND v.visit_date BETWEEN $2::date AND $3::date AND s.status = 'settled'`,
    [f.person_id, f.valid_from, f.valid_to],
  );
  return row!.n;
}

export async function markFilingCancelled(q: Queryable, filingId: number): Promise<FilingRow> {
  const [row] = await q.query<FilingRow & Record<string, unknown>>(
    `UPDATE out_of_area_filings SET status = 'cancelled', cancelled_at = now() WHERE id = $1 AND status = 'active' RETURNING ${COLUMNS}`,
    [filingId],
  );
  return row!;
}
