/**
 * What claim review reads: settled bills with the patient's sex and birth
 * date, their facility, and their lines; by person, for the real-time review
 * of one settlement and for the batch over a period (in chunks of people).
 */
import type { HospitalLevel } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';

export interface BillFact {
  settlement_id: number;
  person_id: number;
  facility_id: number;
  kind: 'inpatient' | 'outpatient' | 'chronic';
  admission: string;
  discharge: string | null;
  diagnosis: string | null;
  compliant_fen: number;
  sex: 'M' | 'F';
  birth_date: string;
}

export interface LineFact {
  settlement_id: number;
  line_no: number;
  code: string;
  date: string;
  quantity: number;
  unit_price_fen: number;
  compliant_fen: number;
}

export const BILL_COLUMNS = `b.settlement_id, b.person_id, b.facility_id, b.kind, b.admission_date::text AS admission, b.discharge_date::text AS discharge,
  b.diagnosis, s.compliant_fen, p.sex, p.birth_date::text AS birth_date`;

/** The person's other settled bills admitted within `days` of a date (history for the real-time review). */
export async function billsNear(q: Queryable, personId: number, date: string, days: number, exceptSettlementId: number): Promise<BillFact[]> {
  return q.query<BillFact & Record<string, unknown>>(
    `SELECT ${BILL_COLUMNS} FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id JOIN persons p ON p.id = b.person_id
     WHERE b.person_id = $1 AND b.admission_date BETWEEN $2::date - $3::int AND $2::date + $3::int AND s.status = 'settled' AND b.settlement_id <> $4`,
    [personId, date, days, exceptSettlementId],
  );
}

/** The next people (by id) with settled bills admitted in the period, at most `limit`; the last id bounds the chunk. */
export async function nextPeople(q: Queryable, p: { from: string; to: string; afterPerson: number; limit: number }): Promise<number | null> {
  const rows = await q.query<{ last: number | null }>(
    `SELECT max(person_id) AS last FROM (
       SELECT DISTINCT person_id FROM settlement_bills WHERE admission_date BETWEEN $1 AND $2 AND person_id > $3 ORDER BY person_id LIMIT $4) x`,
    [p.from, p.to, p.afterPerson, p.limit],
  );
  return rows[0]?.last === null || rows[0]?.last === undefined ? null : Number(rows[0].last);
}

/** Settled bills and their lines of the people in (afterPerson, upTo], admitted in the period. */
export async function chunkFacts(q: Queryable, p: { from: string; to: string; afterPerson: number; upTo: number }): Promise<{ bills: BillFact[]; lines: LineFact[] }> {
  const params = [p.from, p.to, p.afterPerson, p.upTo];
  const where = `b.admission_date BETWEEN $1 AND $2 AND b.person_id > $3 AND b.person_id <= $4 AND s.status = 'settled'`;
  const bills = await q.query<BillFact & Record<string, unknown>>(
    `SELECT ${BILL_COLUMNS} FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id JOIN persons p ON p.id = b.person_id
     WHERE ${where} ORDER BY b.person_id, b.admission_date, b.settlement_id`,
    params,
  );
  // One packed string per bill instead of a row per line: a tenth of the rows to decode (codes hold no spaces or semicolons).
  const packed = await q.query<{ settlement_id: number; lines: string }>(
    `SELECT l.settlement_id, string_agg(l.line_no || ' ' || l.code || ' ' || l.service_date || ' ' || l.quantity || ' ' || l.unit_price_fen || ' ' || l.compliant_fen,
       ';' ORDER BY l.line_no) AS lines
     FROM settlement_lines l JOIN settlement_bills b ON b.settlement_id = l.settlement_id JOIN settlements s ON s.id = b.settlement_id
     WHERE ${where} GROUP BY l.settlement_id`,
    params,
  );
  const lines: LineFact[] = [];
  for (const row of packed) {
    const settlementId = Number(row.settlement_id);
    for (const text of row.lines.split(';')) {
      const [lineNo, code, date, quantity, price, compliant] = text.split(' ') as [string, string, string, string, string, string];
      lines.push({ settlement_id: settlementId, line_no: Number(lineNo), code, date, quantity: Number(quantity), unit_price_fen: Number(price), compliant_fen: Number(compliant) });
    }
  }
  return { bills, lines };
}

export async function countBillsInPeriod(q: Queryable, from: string, to: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM settlement_bills WHERE admission_date BETWEEN $1 AND $2`, [from, to]);
  return row?.n ?? 0;
}

export async function facilityDivisions(q: Queryable): Promise<Map<number, string>> {
  const rows = await q.query<{ id: number; division_code: string }>('SELECT id, division_code FROM facilities');
  return new Map(rows.map((r) => [Number(r.id), r.division_code]));
}

/** Each facility's level now (the batch checks items restricted to higher levels against it). */
export async function facilityLevels(q: Queryable): Promise<Map<number, HospitalLevel>> {
  const rows = await q.query<{ id: number; level: number }>('SELECT id, level FROM facilities');
  return new Map(rows.map((r) => [Number(r.id), Number(r.level) as HospitalLevel]));
}

export async function startRun(q: Queryable, from: string, to: string, by: string): Promise<number> {
  const [row] = await q.query<{ id: number }>('INSERT INTO review_runs (period_from, period_to, started_by) VALUES ($1, $2, $3) RETURNING id', [from, to, by]);
  return Number(row!.id);
}

export async function finishRun(q: Queryable, id: number, r: { settlements: number; lines: number; flagsNew: number }): Promise<void> {
  await q.query('UPDATE review_runs SET settlements = $2, lines = $3, flags_new = $4, finished_at = now() WHERE id = $1', [id, r.settlements, r.lines, r.flagsNew]);
}
