/** Chronic-disease applications, their documents (metadata) and approvals. */
import type { ApprovalWithDisease } from '../../domain/catalogue/chronic-visit.ts';
import type { ChronicClass, Scheme } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';

export interface ApplicationRow {
  id: number;
  person_id: number;
  disease_region: string;
  disease_code: string;
  disease_name: string | null;
  diagnosis: string;
  channel: 'station' | 'window' | 'hospital';
  submitted_by: string;
  status: 'submitted' | 'approved' | 'rejected';
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Date;
  division_code: string;
  documents: { id: number; kind: string; file_name: string; sha256: string; size_bytes: number; uploaded_at: string }[];
}

const APPLICATION_SELECT = `SELECT a.id, a.person_id, a.disease_region, a.disease_code,
    (SELECT d.name FROM chronic_diseases d WHERE d.region = a.disease_region AND d.code = a.disease_code ORDER BY d.valid_from DESC LIMIT 1) AS disease_name,
    a.diagnosis, a.channel, a.submitted_by, a.status, a.decided_by, a.decided_at, a.decision_reason, a.created_at, p.division_code,
    (SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'file_name', x.file_name, 'sha256', x.sha256, 'size_bytes', x.size_bytes,
       'uploaded_at', x.uploaded_at) ORDER BY x.id), '[]'::json) FROM chronic_documents x WHERE x.application_id = a.id) AS documents
  FROM chronic_applications a JOIN persons p ON p.id = a.person_id`;

export async function insertApplication(
  q: Queryable,
  a: { personId: number; region: string; code: string; diagnosis: string; channel: string; submittedBy: string },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO chronic_applications (person_id, disease_region, disease_code, diagnosis, channel, submitted_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [a.personId, a.region, a.code, a.diagnosis, a.channel, a.submittedBy],
  );
  return Number(row!.id);
}

export async function insertDocument(
  q: Queryable,
  d: { applicationId: number; kind: string; fileName: string; sha256: string; sizeBytes: number; uploadedBy: string },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO chronic_documents (application_id, kind, file_name, sha256, size_bytes, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [d.applicationId, d.kind, d.fileName, d.sha256, d.sizeBytes, d.uploadedBy],
  );
  return Number(row!.id);
}

export async function findApplication(q: Queryable, id: number, lock = false): Promise<ApplicationRow | undefined> {
  const rows = await q.query<ApplicationRow & Record<string, unknown>>(`${APPLICATION_SELECT} WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
  return rows[0];
}

/** Applications inside a division (code prefix), newest first. */
export async function listApplications(
  q: Queryable,
  f: { divisionPrefix: string; status?: string | undefined; personId?: number | undefined; limit?: number; offset?: number },
): Promise<ApplicationRow[]> {
  return q.query<ApplicationRow & Record<string, unknown>>(
    `${APPLICATION_SELECT} WHERE p.division_code LIKE $1 || '%' AND ($2::text IS NULL OR a.status = $2) AND ($3::bigint IS NULL OR a.person_id = $3)
     ORDER BY a.id DESC LIMIT $4 OFFSET $5`,
    [f.divisionPrefix, f.status ?? null, f.personId ?? null, f.limit ?? 100, f.offset ?? 0],
  );
}

export async function decideApplication(q: Queryable, id: number, status: 'approved' | 'rejected', by: string, reason: string | null): Promise<void> {
  await q.query(`UPDATE chronic_applications SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4 WHERE id = $1`, [id, status, by, reason]);
}

export interface ApprovalRow {
  id: number;
  person_id: number;
  application_id: number | null;
  renewed_from: number | null;
  disease_region: string;
  disease_code: string;
  disease_name: string | null;
  disease_class: ChronicClass | null;
  valid_from: string;
  valid_to: string;
  status: 'active' | 'revoked';
  approved_by: string;
  approved_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  division_code: string;
}

const APPROVAL_SELECT = `SELECT v.id, v.person_id, v.application_id, v.renewed_from, v.disease_region, v.disease_code,
    d.name AS disease_name, d.class AS disease_class, v.valid_from::text AS valid_from, v.valid_to::text AS valid_to, v.status,
    v.approved_by, v.approved_at, v.revoked_by, v.revoked_at, v.revoke_reason, p.division_code
  FROM chronic_approvals v JOIN persons p ON p.id = v.person_id
  LEFT JOIN LATERAL (SELECT name, class FROM chronic_diseases c WHERE c.region = v.disease_region AND c.code = v.disease_code
    ORDER BY c.valid_from DESC LIMIT 1) d ON true`;

export async function insertApproval(
  q: Queryable,
  a: { personId: number; applicationId: number | null; renewedFrom: number | null; region: string; code: string; validFrom: string; validTo: string; by: string },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO chronic_approvals (person_id, application_id, renewed_from, disease_region, disease_code, valid_from, valid_to, approved_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [a.personId, a.applicationId, a.renewedFrom, a.region, a.code, a.validFrom, a.validTo, a.by],
  );
  return Number(row!.id);
}

export async function findApproval(q: Queryable, id: number, lock = false): Promise<ApprovalRow | undefined> {
  return (await q.query<ApprovalRow & Record<string, unknown>>(`${APPROVAL_SELECT} WHERE v.id = $1${lock ? ' FOR UPDATE OF v' : ''}`, [id]))[0];
}

export async function listApprovals(
  q: Queryable,
  f: { divisionPrefix: string; personId?: number | undefined; status?: string | undefined; limit?: number; offset?: number },
): Promise<ApprovalRow[]> {
  return q.query<ApprovalRow & Record<string, unknown>>(
    `${APPROVAL_SELECT} WHERE p.division_code LIKE $1 || '%' AND ($2::bigint IS NULL OR v.person_id = $2) AND ($3::text IS NULL OR v.status = $3)
     ORDER BY v.id DESC LIMIT $4 OFFSET $5`,
    [f.divisionPrefix, f.personId ?? null, f.status ?? null, f.limit ?? 100, f.offset ?? 0],
  );
}

export async function revokeApprovalRow(q: Queryable, id: number, by: string, reason: string): Promise<void> {
  await q.query(`UPDATE chronic_approvals SET status = 'revoked', revoked_by = $2, revoked_at = now(), revoke_reason = $3 WHERE id = $1`, [id, by, reason]);
}

/** An open application or an active approval of the person for the disease overlapping the period, if any. */
export async function pendingOrActive(q: Queryable, personId: number, code: string): Promise<{ kind: 'application' | 'approval'; id: number; valid_to: string | null } | undefined> {
  const rows = await q.query<{ kind: 'application' | 'approval'; id: number; valid_to: string | null }>(
    `SELECT 'application' AS kind, id, NULL::text AS valid_to FROM chronic_applications WHERE person_id = $1 AND disease_code = $2 AND status = 'submitted'
     UNION ALL
     SELECT 'approval', id, valid_to::text FROM chronic_approvals WHERE person_id = $1 AND disease_code = $2 AND status = 'active' AND valid_to >= current_date
     LIMIT 1`,
    [personId, code],
  );
  return rows[0];
}

/**
 * A person's active approvals valid on a date, each with its disease as the
 * catalogue holds it on that date (or its latest entry) and what the funds
 * paid for that disease in the date's year (settled, not reversed, bills).
 */
export async function approvalsForVisit(q: Queryable, personId: number, date: string, scheme: Scheme): Promise<ApprovalWithDisease[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT v.id, v.valid_from::text AS valid_from, v.valid_to::text AS valid_to, d.region, d.code, d.name, d.class, d.schemes, d.icd10,
       d.yearly_limit_fen, d.rare, d.valid_from::text AS d_from, d.valid_to::text AS d_to,
       (SELECT coalesce(sum(b.chronic_fund_fen), 0) FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id
         WHERE b.person_id = v.person_id AND b.chronic_disease_code = v.disease_code AND s.status = 'settled'
           AND s.year = extract(year FROM $2::date)::int) AS used
     FROM chronic_approvals v
     JOIN LATERAL (SELECT * FROM chronic_diseases c WHERE c.region = v.disease_region AND c.code = v.disease_code
        ORDER BY (c.valid_from <= $2::date AND (c.valid_to IS NULL OR c.valid_to >= $2::date)) DESC, c.valid_from DESC LIMIT 1) d ON true
     WHERE v.person_id = $1 AND v.status = 'active' AND v.valid_from <= $2::date AND v.valid_to >= $2::date AND $3 = ANY(d.schemes)
     ORDER BY v.id`,
    [personId, date, scheme],
  );
  return rows.map((r) => ({
    approvalId: Number(r.id),
    validFrom: r.valid_from as string,
    validTo: r.valid_to as string,
    usedThisYear: Number(r.used),
    disease: {
      region: r.region as string, code: r.code as string, name: r.name as string, class: r.class as ChronicClass, schemes: r.schemes as Scheme[],
      icd10: r.icd10 as string[], yearlyLimit: Number(r.yearly_limit_fen), rare: r.rare as boolean, validFrom: r.d_from as string, validTo: (r.d_to as string | null) ?? null,
    },
  }));
}
