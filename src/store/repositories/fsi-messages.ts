/** The national interface's sign-ins and answered messages (idempotency by msgid). */
import type { Queryable } from '../db.ts';
import { lockInSchema } from '../schema-locks.ts';

export interface FsiMessageRow {
  infno: string;
  request_hash: string;
  response: Record<string, unknown>;
}

export async function findFsiMessage(q: Queryable, facilityId: number, msgid: string): Promise<FsiMessageRow | undefined> {
  const rows = await q.query<FsiMessageRow & Record<string, unknown>>(
    'SELECT infno, request_hash, response FROM fsi_messages WHERE facility_id = $1 AND msgid = $2',
    [facilityId, msgid],
  );
  return rows[0];
}

/** Records an answer; false when the msgid was answered already (a concurrent retry won). */
export async function insertFsiMessage(
  q: Queryable,
  m: { facilityId: number; msgid: string; infno: string; requestHash: string; response: Record<string, unknown> },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO fsi_messages (facility_id, msgid, infno, request_hash, response) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (facility_id, msgid) DO NOTHING RETURNING msgid`,
    [m.facilityId, m.msgid, m.infno, m.requestHash, JSON.stringify(m.response)],
  );
  return rows.length === 1;
}

/** Serializes work on one msgid of one facility until the transaction ends. */
export async function lockFsiMessage(q: Queryable, facilityId: number, msgid: string): Promise<void> {
  await lockInSchema(q, `fsi:${facilityId}:${msgid}`);
}

export async function insertSignIn(q: Queryable, s: { signNo: string; facilityId: number; opter: string }): Promise<Date> {
  const rows = await q.query<{ signed_at: Date }>(
    'INSERT INTO fsi_sign_ins (sign_no, facility_id, opter) VALUES ($1, $2, $3) RETURNING signed_at',
    [s.signNo, s.facilityId, s.opter],
  );
  return rows[0]!.signed_at;
}

export async function signInExists(q: Queryable, facilityId: number, signNo: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM fsi_sign_ins WHERE facility_id = $1 AND sign_no = $2', [facilityId, signNo]);
  return rows.length === 1;
}

export interface FsiMessageListRow {
  facility_code: string;
  facility_name: string;
  msgid: string;
  infno: string;
  answered_at: Date;
  mdtrt_id: string | null;
  setl_id: string | null;
  medfee_sumamt: string | null;
  fund_pay_sumamt: string | null;
}

/** The answered messages of the facilities in a division, newest first (the bureau's view of the interface's traffic). */
export async function listFsiMessages(
  q: Queryable, f: { divisionPrefix: string; facilityCode?: string | undefined; limit: number; offset: number },
): Promise<FsiMessageListRow[]> {
  return q.query<FsiMessageListRow & Record<string, unknown>>(
    `SELECT fa.code AS facility_code, fa.name AS facility_name, m.msgid, m.infno, m.answered_at,
       coalesce(m.response->'output'->'setlinfo'->>'mdtrt_id', m.response->'output'->'result'->>'mdtrt_id', m.response->'output'->'data'->>'mdtrt_id') AS mdtrt_id,
       nullif(m.response->'output'->'setlinfo'->>'setl_id', '') AS setl_id,
       m.response->'output'->'setlinfo'->>'medfee_sumamt' AS medfee_sumamt,
       m.response->'output'->'setlinfo'->>'fund_pay_sumamt' AS fund_pay_sumamt
     FROM fsi_messages m JOIN facilities fa ON fa.id = m.facility_id
     WHERE fa.division_code LIKE $1 || '%' AND ($2::text IS NULL OR fa.code = $2)
     ORDER BY m.answered_at DESC, m.msgid DESC LIMIT $3 OFFSET $4`,
    [f.divisionPrefix, f.facilityCode ?? null, f.limit, f.offset],
  );
}
