/**
 * The transactional outbox of pushes to partner departments, and each
 * department's endpoint. Rows are leased (not locked) while a delivery is in
 * flight, so no transaction stays open across an HTTP call.
 */
import type { Queryable } from '../db.ts';

export interface OutboxRow {
  id: number;
  case_id: number;
  department: string;
  dedupe_key: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'withdrawn';
  channel: 'https' | 'download' | null;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export interface EndpointRow {
  department: string;
  url: string;
  secret: string;
  active: boolean;
  allow_private_network: boolean;
  updated_by: string;
  updated_at: Date;
}

const COLUMNS = `id, case_id, department, dedupe_key, payload, status, channel, attempts, next_attempt_at, last_status,
  last_error, delivered_at, created_at`;

/**
 * Leases up to `limit` due pushes of departments with an active endpoint:
 * FOR UPDATE SKIP LOCKED, so two workers never take the same row, and a lease
 * so a crashed worker's rows come back after `leaseSeconds`.
 */
export async function leaseDue(q: Queryable, now: Date, limit: number, leaseSeconds = 60): Promise<(OutboxRow & { url: string; secret: string; allow_private_network: boolean })[]> {
  return q.query<OutboxRow & { url: string; secret: string; allow_private_network: boolean } & Record<string, unknown>>(
    `WITH due AS (
       SELECT o.id FROM outbox o JOIN department_endpoints e ON e.department = o.department AND e.active
       WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
       ORDER BY o.next_attempt_at, o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED
     )
     UPDATE outbox o SET lease_until = $1::timestamptz + make_interval(secs => $3), attempts = o.attempts + 1
     FROM due, department_endpoints e
     WHERE o.id = due.id AND e.department = o.department
     RETURNING o.id, o.case_id, o.department, o.dedupe_key, o.payload, o.status, o.channel, o.attempts, o.next_attempt_at,
       o.last_status, o.last_error, o.delivered_at, o.created_at, e.url, e.secret, e.allow_private_network`,
    [now, limit, leaseSeconds],
  );
}

/** Marks a push acknowledged; returns false when it already was (a late duplicate). */
export async function markDelivered(q: Queryable, id: number, channel: 'https' | 'download', httpStatus: number | null, now: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE outbox SET status = 'delivered', channel = $2, last_status = $3, last_error = NULL, delivered_at = $4, lease_until = NULL
     WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, channel, httpStatus, now],
  );
  return rows.length > 0;
}

export async function markFailed(q: Queryable, id: number, httpStatus: number | null, error: string, nextAttemptAt: Date): Promise<void> {
  await q.query(
    `UPDATE outbox SET last_status = $2, last_error = $3, next_attempt_at = $4, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
    [id, httpStatus, error.slice(0, 500), nextAttemptAt],
  );
}

/** Pushes queued for a department (all, or only those not yet delivered), oldest first. */
export async function listForDepartment(q: Queryable, department: string, onlyPending: boolean, divisionPrefix: string): Promise<OutboxRow[]> {
  return q.query<OutboxRow & Record<string, unknown>>(
    `SELECT ${COLUMNS.split(',').map((c) => `o.${c.trim()}`).join(', ')} FROM outbox o JOIN monitoring_cases c ON c.id = o.case_id
     WHERE o.department = $1 AND ($2::boolean IS FALSE OR o.status = 'pending') AND c.division_code LIKE $3 || '%'
     ORDER BY o.id`,
    [department, onlyPending, divisionPrefix],
  );
}

export async function outboxForCase(q: Queryable, caseId: number): Promise<OutboxRow[]> {
  return q.query<OutboxRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM outbox WHERE case_id = $1 ORDER BY id`, [caseId]);
}

export interface OutboxSummaryRow {
  department: string;
  pending: number;
  delivered: number;
  failing: number;
  oldest_pending: Date | null;
  endpoint: string | null;
}

export async function outboxSummary(q: Queryable): Promise<OutboxSummaryRow[]> {
  return q.query<OutboxSummaryRow & Record<string, unknown>>(
    `SELECT o.department,
       count(*) FILTER (WHERE o.status = 'pending')::int AS pending,
       count(*) FILTER (WHERE o.status = 'delivered')::int AS delivered,
       count(*) FILTER (WHERE o.status = 'pending' AND o.last_error IS NOT NULL)::int AS failing,
       min(o.created_at) FILTER (WHERE o.status = 'pending') AS oldest_pending,
       max(e.url) FILTER (WHERE e.active) AS endpoint
     FROM outbox o LEFT JOIN department_endpoints e ON e.department = o.department
     GROUP BY o.department ORDER BY o.department`,
  );
}

export async function upsertEndpoint(
  q: Queryable,
  e: { department: string; url: string; secret: string; active: boolean; allowPrivateNetwork: boolean; by: string },
): Promise<void> {
  await q.query(
    `INSERT INTO department_endpoints (department, url, secret, active, allow_private_network, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (department) DO UPDATE SET url = $2, secret = $3, active = $4, allow_private_network = $5, updated_by = $6, updated_at = now()`,
    [e.department, e.url, e.secret, e.active, e.allowPrivateNetwork, e.by],
  );
}

/** The endpoints as the console may see them: never the secret (write-only). */
export async function listEndpoints(q: Queryable): Promise<Omit<EndpointRow, 'secret'>[]> {
  return q.query<Omit<EndpointRow, 'secret'> & Record<string, unknown>>(
    'SELECT department, url, active, allow_private_network, updated_by, updated_at FROM department_endpoints ORDER BY department',
  );
}
