/** Settlement lists (医保结算清单) received from hospitals, one row per discharge; idempotent on the facility's setl_id. */
import type { DischargeAbstract } from '../../domain/drg/abstract.ts';
import type { Finding } from '../../domain/drg/quality.ts';
import type { Queryable } from '../db.ts';

export interface StoredAbstract {
  readonly id: number;
  readonly facilityId: number;
  readonly facilityLevel: number;
  readonly facilityDivision: string;
  readonly abstract: DischargeAbstract;
  readonly findings: readonly Finding[];
}

export interface NewAbstract {
  readonly facilityId: number;
  readonly abstract: DischargeAbstract;
  readonly requestHash: string;
  readonly findings: readonly Finding[];
  readonly source: 'api' | 'import';
}

const toRecord = (n: NewAbstract) => {
  const a = n.abstract;
  return {
    facility_id: n.facilityId, setl_id: a.setlId, request_hash: n.requestHash, mdtrt_id: a.mdtrtId, psn_no: a.psnNo, sex: a.sex,
    age_years: a.ageYears, age_days: a.ageDays, newborn_weight_g: a.newbornWeightG, admission_date: a.admissionDate,
    discharge_date: a.dischargeDate, ipt_days: a.iptDays, discharge_way: a.dischargeWay, principal: a.principal, secondary: a.secondary,
    main_procedure: a.mainProcedure, other_procedures: a.otherProcedures, total_fen: a.total, patient_fen: a.patientPaid,
    fund_fen: a.fundPaid, items: a.items, findings: n.findings, source: n.source,
  };
};

const RECORD_COLUMNS = `facility_id bigint, setl_id text, request_hash text, mdtrt_id text, psn_no text, sex char(1), age_years smallint,
  age_days smallint, newborn_weight_g int, admission_date date, discharge_date date, ipt_days int, discharge_way text, principal text,
  secondary text[], main_procedure text, other_procedures text[], total_fen bigint, patient_fen bigint, fund_fen bigint, items jsonb,
  findings jsonb, source text`;

/**
 * Inserts abstracts not yet held; returns, for each one given, whether it was
 * new, the same as held (a retry), or different from what is held (a conflict).
 */
export async function insertAbstracts(q: Queryable, rows: readonly NewAbstract[]): Promise<{ id: number; outcome: 'new' | 'same' | 'conflict' }[]> {
  if (rows.length === 0) return [];
  const inserted = await q.query<{ id: number; facility_id: number; setl_id: string }>(
    `INSERT INTO drg_abstracts (facility_id, setl_id, request_hash, mdtrt_id, psn_no, sex, age_years, age_days, newborn_weight_g,
       admission_date, discharge_date, ipt_days, discharge_way, principal, secondary, main_procedure, other_procedures,
       total_fen, patient_fen, fund_fen, items, findings, source)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${RECORD_COLUMNS})
     ON CONFLICT (facility_id, setl_id) DO NOTHING
     RETURNING id, facility_id, setl_id`,
    [JSON.stringify(rows.map(toRecord))],
  );
  const key = (facility: number, setl: string) => `${facility}\u0000${setl}`;
  const fresh = new Map(inserted.map((r) => [key(Number(r.facility_id), r.setl_id), Number(r.id)]));
  const others = rows.filter((r) => !fresh.has(key(r.facilityId, r.abstract.setlId)));
  const held = new Map<string, { id: number; hash: string }>();
  if (others.length > 0) {
    const found = await q.query<{ id: number; facility_id: number; setl_id: string; request_hash: string }>(
      `SELECT id, facility_id, setl_id, request_hash FROM drg_abstracts WHERE (facility_id, setl_id) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))`,
      [others.map((r) => r.facilityId), others.map((r) => r.abstract.setlId)],
    );
    for (const f of found) held.set(key(Number(f.facility_id), f.setl_id), { id: Number(f.id), hash: f.request_hash });
  }
  // The caller never sends one setl_id twice in a batch (a file naming it twice is refused row by row).
  return rows.map((r) => {
    const k = key(r.facilityId, r.abstract.setlId);
    const id = fresh.get(k);
    if (id !== undefined) return { id, outcome: 'new' as const };
    const h = held.get(k);
    if (!h) throw new Error(`abstract ${r.abstract.setlId} neither inserted nor held`);
    return { id: h.id, outcome: h.hash === r.requestHash ? ('same' as const) : ('conflict' as const) };
  });
}

interface AbstractRow {
  id: number; facility_id: number; level: number; division_code: string; setl_id: string; mdtrt_id: string | null; psn_no: string; sex: 'M' | 'F' | null;
  age_years: number; age_days: number | null; newborn_weight_g: number | null; admission_date: string; discharge_date: string;
  ipt_days: number; discharge_way: string; principal: string; secondary: string[]; main_procedure: string | null; other_procedures: string[];
  total_fen: number; patient_fen: number; fund_fen: number; items: DischargeAbstract['items']; findings: Finding[];
}

export const ABSTRACT_SELECT = `SELECT a.id, a.facility_id, f.level, f.division_code, a.setl_id, a.mdtrt_id, a.psn_no, a.sex, a.age_years, a.age_days, a.newborn_weight_g,
  to_char(a.admission_date, 'YYYY-MM-DD') AS admission_date, to_char(a.discharge_date, 'YYYY-MM-DD') AS discharge_date, a.ipt_days,
  a.discharge_way, a.principal, a.secondary, a.main_procedure, a.other_procedures, a.total_fen, a.patient_fen, a.fund_fen, a.items, a.findings
  FROM drg_abstracts a JOIN facilities f ON f.id = a.facility_id`;

export function toStored(r: AbstractRow): StoredAbstract {
  return {
    id: Number(r.id), facilityId: Number(r.facility_id), facilityLevel: Number(r.level), facilityDivision: r.division_code, findings: r.findings,
    abstract: {
      setlId: r.setl_id, mdtrtId: r.mdtrt_id, psnNo: r.psn_no, sex: r.sex, ageYears: r.age_years, ageDays: r.age_days,
      newbornWeightG: r.newborn_weight_g, admissionDate: r.admission_date, dischargeDate: r.discharge_date, iptDays: r.ipt_days,
      dischargeWay: r.discharge_way as DischargeAbstract['dischargeWay'], principal: r.principal, secondary: r.secondary,
      mainProcedure: r.main_procedure, otherProcedures: r.other_procedures, total: Number(r.total_fen), patientPaid: Number(r.patient_fen),
      fundPaid: Number(r.fund_fen), items: r.items,
    },
  };
}

/** Abstracts discharged in [from, to] (ISO dates), in id order, a page at a time (after the given id). */
export async function abstractsDischarged(q: Queryable, range: { from: string; to: string }, afterId: number, limit: number, onlyUngrouped = false): Promise<StoredAbstract[]> {
  const rows = await q.query<AbstractRow & Record<string, unknown>>(
    `${ABSTRACT_SELECT} WHERE a.discharge_date BETWEEN $1 AND $2 AND a.id > $3
       ${onlyUngrouped ? 'AND NOT EXISTS (SELECT 1 FROM drg_groupings g WHERE g.abstract_id = a.id)' : ''}
     ORDER BY a.id LIMIT $4`,
    [range.from, range.to, afterId, limit],
  );
  return rows.map(toStored);
}

export async function countAbstracts(q: Queryable, range: { from: string; to: string }): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM drg_abstracts WHERE discharge_date BETWEEN $1 AND $2', [range.from, range.to]);
  return r?.n ?? 0;
}

export async function findAbstract(q: Queryable, facilityId: number | null, setlIdOrId: { setlId: string } | { id: number }): Promise<StoredAbstract | undefined> {
  const rows = await q.query<AbstractRow & Record<string, unknown>>(
    'setlId' in setlIdOrId
      ? `${ABSTRACT_SELECT} WHERE a.facility_id = $1 AND a.setl_id = $2`
      : `${ABSTRACT_SELECT} WHERE ($1::bigint IS NULL OR a.facility_id = $1) AND a.id = $2`,
    [facilityId, 'setlId' in setlIdOrId ? setlIdOrId.setlId : setlIdOrId.id],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}
