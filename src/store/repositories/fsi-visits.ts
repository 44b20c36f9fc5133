/** Visits opened through the national interface (mdtrt_id), their fee lines and the settlements that settled them. */
import type { VisitKind } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';

export interface FsiVisitRow {
  id: number;
  mdtrt_id: string;
  facility_id: number;
  person_id: number;
  msgid: string;
  insutype: string;
  med_type: string;
  kind: VisitKind;
  ipt_otp_no: string;
  begin_date: string;
  end_date: string | null;
  diagnosis: string | null;
  status: 'open' | 'discharged' | 'cancelled';
}

const visitColumns = (t: string) => `${t}id, ${t}mdtrt_id, ${t}facility_id, ${t}person_id, ${t}msgid, ${t}insutype, ${t}med_type, ${t}kind,
  ${t}ipt_otp_no, ${t}begin_date::text AS begin_date, ${t}end_date::text AS end_date, ${t}diagnosis, ${t}status`;
const VISIT_COLUMNS = visitColumns('');

export async function insertFsiVisit(
  q: Queryable,
  v: { mdtrtId: string; facilityId: number; personId: number; msgid: string; insutype: string; medType: string; kind: VisitKind; iptOtpNo: string; beginDate: string; diagnosis: string | null },
): Promise<FsiVisitRow> {
  const rows = await q.query<FsiVisitRow & Record<string, unknown>>(
    `INSERT INTO fsi_visits (mdtrt_id, facility_id, person_id, msgid, insutype, med_type, kind, ipt_otp_no, begin_date, diagnosis)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${VISIT_COLUMNS}`,
    [v.mdtrtId, v.facilityId, v.personId, v.msgid, v.insutype, v.medType, v.kind, v.iptOtpNo, v.beginDate, v.diagnosis],
  );
  return rows[0]!;
}

/** A facility's visit by mdtrt_id (another facility's visit is not found), locked for the caller's transaction when asked. */
export async function findFsiVisit(q: Queryable, facilityId: number, mdtrtId: string, lock = false): Promise<FsiVisitRow | undefined> {
  const rows = await q.query<FsiVisitRow & Record<string, unknown>>(
    `SELECT ${VISIT_COLUMNS} FROM fsi_visits WHERE facility_id = $1 AND mdtrt_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [facilityId, mdtrtId],
  );
  return rows[0];
}

export async function updateFsiVisit(q: Queryable, id: number, change: { status?: FsiVisitRow['status']; endDate?: string | null; diagnosis?: string | null }): Promise<void> {
  await q.query(
    `UPDATE fsi_visits SET status = coalesce($2, status), end_date = CASE WHEN $3::boolean THEN $4::date ELSE end_date END,
       diagnosis = coalesce($5, diagnosis) WHERE id = $1`,
    [id, change.status ?? null, change.endDate !== undefined, change.endDate ?? null, change.diagnosis ?? null],
  );
}

export interface FsiFeeLineRow {
  feedetl_sn: string;
  msgid: string;
  chrg_bchno: string | null;
  med_list_codg: string;
  medins_list_codg: string;
  fee_date: string;
  cnt: number;
  pric_fen: number;
  amount_fen: number;
  department: string;
  status: 'active' | 'cancelled';
}

const LINE_COLUMNS = `feedetl_sn, msgid, chrg_bchno, med_list_codg, medins_list_codg, fee_date::text AS fee_date, cnt, pric_fen, amount_fen, department, status`;

export interface NewFsiFeeLine {
  feedetlSn: string;
  chrgBchno: string | null;
  medListCodg: string;
  medinsListCodg: string;
  feeDate: string;
  cnt: number;
  pricFen: number;
  amountFen: number;
  department: string;
}

/** Stores lines (a cancelled line of the same number is replaced); the caller has checked active ones. */
export async function upsertFsiFeeLines(q: Queryable, visitId: number, msgid: string, lines: readonly NewFsiFeeLine[]): Promise<void> {
  if (lines.length === 0) return;
  await q.query(
    `INSERT INTO fsi_fee_lines AS l (visit_id, msgid, feedetl_sn, chrg_bchno, med_list_codg, medins_list_codg, fee_date, cnt, pric_fen, amount_fen, department)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::int[], $9::bigint[], $10::bigint[], $11::text[])
     ON CONFLICT (visit_id, feedetl_sn) DO UPDATE SET msgid = EXCLUDED.msgid, chrg_bchno = EXCLUDED.chrg_bchno, med_list_codg = EXCLUDED.med_list_codg,
       medins_list_codg = EXCLUDED.medins_list_codg, fee_date = EXCLUDED.fee_date, cnt = EXCLUDED.cnt, pric_fen = EXCLUDED.pric_fen,
       amount_fen = EXCLUDED.amount_fen, department = EXCLUDED.department, status = 'active', uploaded_at = now()
     WHERE l.status = 'cancelled'`,
    [
      visitId, msgid,
      lines.map((l) => l.feedetlSn), lines.map((l) => l.chrgBchno), lines.map((l) => l.medListCodg), lines.map((l) => l.medinsListCodg),
      lines.map((l) => l.feeDate), lines.map((l) => l.cnt), lines.map((l) => l.pricFen), lines.map((l) => l.amountFen), lines.map((l) => l.department),
    ],
  );
}

export async function feeLinesOf(q: Queryable, visitId: number, status: 'active' | 'all' = 'active'): Promise<FsiFeeLineRow[]> {
  return q.query<FsiFeeLineRow & Record<string, unknown>>(
    `SELECT ${LINE_COLUMNS} FROM fsi_fee_lines WHERE visit_id = $1 ${status === 'active' ? "AND status = 'active'" : ''} ORDER BY fee_date, feedetl_sn`,
    [visitId],
  );
}

/** Cancels active lines: all of them, those of the given numbers, or those of a charge batch; returns the numbers cancelled. */
export type LineSelection = { all: true } | { feedetlSn: string } | { chrgBchno: string } | { msgid: string };

export async function cancelFsiFeeLines(q: Queryable, visitId: number, which: LineSelection): Promise<string[]> {
  const rows = await q.query<{ feedetl_sn: string }>(
    `UPDATE fsi_fee_lines SET status = 'cancelled' WHERE visit_id = $1 AND status = 'active'
       AND ($2::boolean OR feedetl_sn = $3 OR chrg_bchno = $4 OR msgid = $5) RETURNING feedetl_sn`,
    [visitId, 'all' in which, 'feedetlSn' in which ? which.feedetlSn : null, 'chrgBchno' in which ? which.chrgBchno : null, 'msgid' in which ? which.msgid : null],
  );
  return rows.map((r) => r.feedetl_sn).sort();
}

export async function linkVisitSettlement(q: Queryable, l: { settlementId: number; visitId: number; insutype: string; clrType: string }): Promise<void> {
  await q.query(
    `INSERT INTO fsi_visit_settlements (settlement_id, visit_id, insutype, clr_type) VALUES ($1, $2, $3, $4) ON CONFLICT (settlement_id) DO NOTHING`,
    [l.settlementId, l.visitId, l.insutype, l.clrType],
  );
}

/** The visit's settlement still in force (not reversed), with its transaction id (setl_id). */
export async function activeVisitSettlement(q: Queryable, visitId: number): Promise<{ settlement_id: number; transaction_id: string } | undefined> {
  const rows = await q.query<{ settlement_id: number; transaction_id: string }>(
    `SELECT vs.settlement_id, s.transaction_id FROM fsi_visit_settlements vs JOIN settlements s ON s.id = vs.settlement_id
     WHERE vs.visit_id = $1 AND s.status = 'settled'`,
    [visitId],
  );
  return rows[0];
}

/** The visit a settlement settled (with its clearing class), if it came through the national interface. */
export async function visitOfSettlement(q: Queryable, settlementId: number): Promise<(FsiVisitRow & { clr_type: string; setl_insutype: string }) | undefined> {
  const rows = await q.query<FsiVisitRow & { clr_type: string; setl_insutype: string } & Record<string, unknown>>(
    `SELECT ${visitColumns('v.')}, vs.clr_type, vs.insutype AS setl_insutype
     FROM fsi_visit_settlements vs JOIN fsi_visits v ON v.id = vs.visit_id WHERE vs.settlement_id = $1`,
    [settlementId],
  );
  return rows[0];
}

/** How many active lines of a visit are dated after the day. */
export async function countLinesAfter(q: Queryable, visitId: number, day: string): Promise<number> {
  const rows = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM fsi_fee_lines WHERE visit_id = $1 AND status = 'active' AND fee_date > $2::date`, [visitId, day]);
  return rows[0]!.n;
}

/** The visit a message opened (2201 / 2401), or the visit whose lines a message uploaded (2204 / 2301). */
export async function findFsiVisitByMessage(q: Queryable, facilityId: number, msgid: string, by: 'opened' | 'lines'): Promise<FsiVisitRow | undefined> {
  const rows = await q.query<FsiVisitRow & Record<string, unknown>>(
    by === 'opened'
      ? `SELECT ${VISIT_COLUMNS} FROM fsi_visits WHERE facility_id = $1 AND msgid = $2`
      : `SELECT ${visitColumns('v.')} FROM fsi_visits v WHERE v.facility_id = $1 AND EXISTS (SELECT 1 FROM fsi_fee_lines l WHERE l.visit_id = v.id AND l.msgid = $2)`,
    [facilityId, msgid],
  );
  return rows[0];
}
