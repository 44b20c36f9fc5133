/** Claim review: the rules in force, the flags raised, the reviewers' decisions and their statistics. */
import type { Flag } from '../../domain/review/facts.ts';
import { flagKey } from '../../domain/review/facts.ts';
import { isRuleId, type RuleConfig, type RuleParams } from '../../domain/review/rules.ts';
import type { Queryable } from '../db.ts';

export interface StoredRule {
  id: string;
  enabled: boolean;
  params: RuleParams | null;
}

/** The stored rules Sanbao knows (a row for a rule no longer in the code is ignored). */
export function toRuleConfigs(rows: readonly StoredRule[]): RuleConfig[] {
  return rows.filter((r) => isRuleId(r.id)).map((r) => ({ id: r.id as RuleConfig['id'], enabled: r.enabled, params: r.params ?? {} }));
}

/** The rules as one JSON array, for a statement that reads them beside other things (the settle context). */
export const RULES_JSON_SQL = `(SELECT coalesce(json_agg(json_build_object('id', r.id, 'enabled', r.enabled, 'params', r.params) ORDER BY r.id), '[]'::json) FROM review_rules r)`;

export async function loadRules(q: Queryable): Promise<RuleConfig[]> {
  return toRuleConfigs(await q.query<StoredRule & Record<string, unknown>>('SELECT id, enabled, params FROM review_rules ORDER BY id'));
}

export async function saveRule(q: Queryable, rule: RuleConfig, by: string): Promise<void> {
  await q.query(
    `INSERT INTO review_rules (id, enabled, params, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, params = EXCLUDED.params, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [rule.id, rule.enabled, JSON.stringify(rule.params), by],
  );
}

export interface FlagWrite extends Flag {
  readonly facilityId: number;
  readonly personId: number;
  readonly visitDate: string;
}

/**
 * Writes the flags not raised before (by their key), none on a bill whose
 * year was archived since it was read (its flag could never be settled);
 * returns how many were new.
 */
export async function insertFlags(q: Queryable, flags: readonly FlagWrite[], source: 'realtime' | 'batch', runId: number | null): Promise<number> {
  if (flags.length === 0) return 0;
  const col = <T>(f: (x: FlagWrite) => T) => flags.map(f);
  const rows = await q.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO review_flags (dedupe_key, rule, settlement_id, facility_id, person_id, visit_date, line_no, related_settlement_id, amount_fen, message, source, run_id)
       SELECT t.*, $11, $12::bigint FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::date[], $7::int[], $8::bigint[], $9::bigint[], $10::text[])
         AS t(k, rule, sid, fid, pid, vd, line_no, rel, amount, message)
        WHERE NOT EXISTS (SELECT 1 FROM settlement_id_ranges r WHERE r.archived_at IS NOT NULL AND t.sid BETWEEN r.first_id AND r.last_id)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [
      col(flagKey), col((f) => f.rule), col((f) => f.settlementId), col((f) => f.facilityId), col((f) => f.personId), col((f) => f.visitDate),
      col((f) => f.lineIndex), col((f) => f.relatedSettlementId), col((f) => f.amount), col((f) => f.message), source, runId,
    ],
  );
  return rows[0]?.n ?? 0;
}

export interface FlagRow {
  id: number;
  rule: string;
  settlement_id: number;
  transaction_id: string;
  facility_id: number;
  facility_code: string;
  facility_name: string;
  person_id: number;
  visit_date: string;
  line_no: number | null;
  related_settlement_id: number | null;
  amount_fen: number;
  funds_fen: number;
  /** The settlement's own status: a reversed one has nothing left to deduct from. */
  settlement_status: 'settled' | 'reversed';
  message: string;
  source: 'realtime' | 'batch';
  status: 'open' | 'accepted' | 'deducted' | 'returned' | 'explained';
  deduct_fen: number | null;
  reason: string | null;
  explanation: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  division_code: string;
}

const SELECT = `SELECT r.id, r.rule, r.settlement_id, s.transaction_id, r.facility_id, f.code AS facility_code, f.name AS facility_name, r.person_id,
    r.visit_date::text AS visit_date, r.line_no, r.related_settlement_id, r.amount_fen, s.funds_fen, s.status AS settlement_status, r.message, r.source, r.status, r.deduct_fen,
    r.reason, r.explanation, r.decided_by, r.decided_at, r.created_at, p.division_code
  FROM review_flags r JOIN settlements s ON s.id = r.settlement_id JOIN facilities f ON f.id = r.facility_id JOIN persons p ON p.id = r.person_id`;

export interface FlagFilter {
  divisionPrefix?: string | undefined;
  facilityId?: number | undefined;
  status?: string | undefined;
  rule?: string | undefined;
  settlementId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export async function listFlags(q: Queryable, f: FlagFilter): Promise<FlagRow[]> {
  return q.query<FlagRow & Record<string, unknown>>(
    `${SELECT} WHERE ($1::text IS NULL OR p.division_code LIKE $1 || '%') AND ($2::bigint IS NULL OR r.facility_id = $2)
       AND ($3::text IS NULL OR r.status = $3) AND ($4::text IS NULL OR r.rule = $4) AND ($5::bigint IS NULL OR r.settlement_id = $5)
       AND ($6::date IS NULL OR r.visit_date >= $6) AND ($7::date IS NULL OR r.visit_date <= $7)
     ORDER BY r.id DESC LIMIT $8 OFFSET $9`,
    [f.divisionPrefix ?? null, f.facilityId ?? null, f.status ?? null, f.rule ?? null, f.settlementId ?? null, f.from ?? null, f.to ?? null, f.limit ?? 100, f.offset ?? 0],
  );
}

export async function findFlag(q: Queryable, id: number, lock = false): Promise<FlagRow | undefined> {
  return (await q.query<FlagRow & Record<string, unknown>>(`${SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]))[0];
}

export async function updateFlag(
  q: Queryable,
  id: number,
  u: { status: FlagRow['status']; deductFen?: number | null; reason?: string | null; explanation?: string | null; by: string },
): Promise<void> {
  await q.query(
    `UPDATE review_flags SET status = $2, deduct_fen = $3, reason = coalesce($4, reason), explanation = coalesce($5, explanation),
       decided_by = $6, decided_at = now() WHERE id = $1`,
    [id, u.status, u.deductFen ?? null, u.reason ?? null, u.explanation ?? null, u.by],
  );
}

export interface FlagStat {
  facility_id: number;
  facility_code: string;
  facility_name: string;
  rule: string;
  flags: number;
  open: number;
  amount_fen: number;
  deducted_fen: number;
}

/** Flags per hospital and rule in a period (by visit date): how many, how many still open, the amount in question, what was deducted. */
export async function flagStats(q: Queryable, f: { divisionPrefix?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<FlagStat[]> {
  const rows = await q.query<FlagStat & Record<string, unknown>>(
    `SELECT r.facility_id, f.code AS facility_code, f.name AS facility_name, r.rule, count(*)::int AS flags,
       count(*) FILTER (WHERE r.status IN ('open', 'returned', 'explained'))::int AS open,
       sum(r.amount_fen)::bigint AS amount_fen, coalesce(sum(r.deduct_fen), 0)::bigint AS deducted_fen
     FROM review_flags r JOIN facilities f ON f.id = r.facility_id JOIN persons p ON p.id = r.person_id
     WHERE ($1::text IS NULL OR p.division_code LIKE $1 || '%') AND ($2::date IS NULL OR r.visit_date >= $2) AND ($3::date IS NULL OR r.visit_date <= $3)
     GROUP BY r.facility_id, f.code, f.name, r.rule ORDER BY f.code, r.rule`,
    [f.divisionPrefix ?? null, f.from ?? null, f.to ?? null],
  );
  return rows.map((r) => ({ ...r, amount_fen: Number(r.amount_fen), deducted_fen: Number(r.deducted_fen) }));
}

/** What each hospital's clearing deducts for a period (by visit date). */
export async function clearingDeductions(q: Queryable, f: { facilityId?: number | undefined; from: string; to: string }): Promise<{ facility_id: number; facility_code: string; flags: number; deducted_fen: number }[]> {
  const rows = await q.query<{ facility_id: number; facility_code: string; flags: number; deducted_fen: number }>(
    `SELECT r.facility_id, f.code AS facility_code, count(*)::int AS flags, sum(r.deduct_fen)::bigint AS deducted_fen
     FROM review_flags r JOIN facilities f ON f.id = r.facility_id
     WHERE r.status = 'deducted' AND r.visit_date BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR r.facility_id = $3)
     GROUP BY r.facility_id, f.code ORDER BY f.code`,
    [f.from, f.to, f.facilityId ?? null],
  );
  return rows.map((r) => ({ ...r, deducted_fen: Number(r.deducted_fen) }));
}
