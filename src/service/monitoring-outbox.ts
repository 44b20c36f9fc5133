/**
 * Pushes to partner departments: each department's endpoint (HTTPS, signed
 * with its own secret), delivery with exponential backoff until a 2xx, and for
 * a department without an endpoint, a downloadable list (CSV).
 */
import { createHmac } from 'node:crypto';
import type { StaffContext } from '../domain/access.ts';
import { forbidden, invalid } from '../domain/errors.ts';
import { plainYuan } from '../domain/money.ts';
import { DEPARTMENTS, type Department } from '../domain/vocabulary.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { leaseDue, listForDepartment, markDelivered, markFailed, upsertEndpoint, type OutboxRow } from '../store/repositories/outbox.ts';
import { actorOf, markCasePushed } from './monitoring-cases.ts';
import { checkOutboundUrl, postOutbound } from './outbound-http.ts';

export const SIGNATURE_HEADER = 'x-sanbao-signature';
export const DEDUPE_HEADER = 'x-sanbao-dedupe-key';
/** On a department list: the id of the newest push it holds, to mark them delivered. */
export const LIST_UP_TO_HEADER = 'x-sanbao-list-up-to';

/** "sha256=" + hex HMAC-SHA256 of the exact body bytes with the department's secret. */
export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Exponential backoff: 30 s, 1 min, 2 min … capped at 6 hours. */
export function backoffMs(attempts: number, baseMs = 30_000, capMs = 6 * 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function checkDepartment(value: string): Department {
  if (!(DEPARTMENTS as readonly string[]).includes(value)) throw invalid('UNKNOWN_DEPARTMENT', `unknown department "${value}"`, 'department');
  return value as Department;
}

/**
 * Saves a department's endpoint: HTTPS to public addresses only (every
 * address the host resolves to), unless the admin explicitly allows a private
 * network for it. Returns the normalised URL. The secret is write-only.
 */
export async function configureEndpoint(
  db: Db, actor: string, e: { department: string; url: string; secret: string; active: boolean; allowPrivateNetwork: boolean },
): Promise<string> {
  const department = checkDepartment(e.department);
  const url = await checkOutboundUrl(e.url, e.allowPrivateNetwork);
  await db.transaction(async (tx) => {
    await upsertEndpoint(tx, { department, url, secret: e.secret, active: e.active, allowPrivateNetwork: e.allowPrivateNetwork, by: actor });
    // The secret never goes into the audit log.
    await audit(tx, { actor, action: 'monitoring.endpoint', entity: 'department_endpoint', entityId: department, detail: { url, active: e.active, allowPrivateNetwork: e.allowPrivateNetwork } });
  });
  return url;
}

export interface DeliveryReport {
  readonly attempted: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface DeliveryOptions {
  readonly now?: Date;
  readonly limit?: number;
  readonly backoffBaseMs?: number;
  readonly timeoutMs?: number;
  /** Aborted at shutdown: the delivery in flight is cancelled and its lease lets it be retried later. */
  readonly signal?: AbortSignal;
}

/**
 * Delivers the due pushes once: POST the stored JSON body with its signature
 * and dedupe key; a 2xx acknowledges it (and moves the case to pushed), any
 * other answer or a network error schedules the next attempt.
 */
export async function deliverDue(db: Db, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const rows = await db.transaction((tx) => leaseDue(tx, now, options.limit ?? 50));
  let delivered = 0;
  let failed = 0;
  for (const row of rows) {
    if (options.signal?.aborted) break; // the lease runs out and another pass takes the rest
    const body = JSON.stringify(row.payload);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Connects only to the addresses checked at connect time: a name that now resolves inward is refused.
      status = await postOutbound(
        row.url,
        { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body, row.secret), [DEDUPE_HEADER]: row.dedupe_key },
        body,
        { allowPrivateNetwork: row.allow_private_network, timeoutMs: options.timeoutMs ?? 10_000, signal: options.signal },
      );
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message || 'network error';
    }
    if (error === null) {
      await db.transaction(async (tx) => {
        if (await markDelivered(tx, row.id, 'https', status, now)) await markCasePushed(tx, row.case_id, row.department, 'https', 'system');
      });
      delivered += 1;
    } else {
      await markFailed(db, row.id, status, error, new Date(now.getTime() + backoffMs(row.attempts, options.backoffBaseMs)));
      failed += 1;
    }
  }
  return { attempted: rows.length, delivered, failed };
}

const CSV_COLUMNS = ['dedupe_key', 'case_id', 'year', 'risk', 'threshold_id', 'threshold_yuan', 'yearly_self_pay_yuan', 'id_number', 'name', 'division_code', 'household_code', 'phone', 'raised_at', 'status'] as const;

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  // Quote always; neutralise spreadsheet formulas (=, +, -, @) in text cells — a signed number is no formula.
  const safe = /^[=+\-@]/.test(s) && !/^-\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

const yuan = (fen: unknown) => (typeof fen === 'number' ? plainYuan(fen) : '');

export function toCsv(rows: readonly OutboxRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const p = r.payload as Record<string, any>;
    lines.push(
      [r.dedupe_key, r.case_id, p.year, p.risk, p.threshold?.id, yuan(p.threshold?.amountFen), yuan(p.yearlySelfPayFen), p.person?.idNumber,
        p.person?.name, p.person?.divisionCode, p.person?.householdCode, p.person?.phone, p.raisedAt, r.status].map(csvCell).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Who may take a department's list, which carries full ID numbers, names and
 * phones: the department's own liaison, or the bureau admin acting for the
 * department (audited as such). Returns the department acted for, if any.
 */
export function listAccessFor(staff: StaffContext, department: string): ListAccess {
  const dept = checkDepartment(department);
  const base = { department: dept, actor: actorOf(staff), divisionPrefix: staff.divisionCode };
  if (staff.role === 'department_liaison') {
    if (staff.department !== dept) throw forbidden('OTHER_DEPARTMENT', `a ${staff.department} liaison takes only its own department's list`);
    return { ...base, actingFor: null };
  }
  if (staff.role === 'bureau_admin') return { ...base, actingFor: dept };
  throw forbidden('NOT_DEPARTMENT_LIAISON', `only the ${dept} liaison (or the bureau admin acting for it) may take its list`);
}

/** A department list taken by its liaison, or by someone acting for the department (the admin, the CLI operator). */
export interface ListAccess {
  readonly department: Department;
  readonly actor: string;
  readonly divisionPrefix: string;
  readonly actingFor: Department | null;
}

/**
 * The list for a department (without an endpoint, or as a backup): CSV of its
 * pushes, with the id of the newest push it holds (`upTo`) for marking them
 * delivered later. Reading changes nothing; it is audited as unmasking.
 */
export async function downloadList(db: Db, access: ListAccess, all: boolean): Promise<{ csv: string; rows: number; upTo: number }> {
  const { department: dept, actingFor, actor } = access;
  return db.transaction(async (tx) => {
    const rows = await listForDepartment(tx, dept, !all, access.divisionPrefix);
    const personIds = [...new Set(rows.map((r) => Number((r.payload as { person?: { id?: unknown } }).person?.id)).filter(Number.isFinite))];
    await audit(tx, {
      actor, action: 'person.unmask', entity: 'department_list', entityId: dept,
      detail: { department: dept, rows: rows.length, all, personIds, ...(actingFor ? { actingFor } : {}) },
    });
    return { csv: toCsv(rows), rows: rows.length, upTo: rows.reduce((m, r) => Math.max(m, Number(r.id)), 0) };
  });
}

/**
 * The explicit step after a department took its list: its pending pushes up
 * to `upTo` (the id the download reported) count as delivered (channel
 * 'download'), and their cases move from raised to pushed. Newer pushes stay pending.
 */
export async function markListDelivered(db: Db, access: ListAccess, upTo: number, now = new Date()): Promise<{ department: Department; marked: number }> {
  const { department: dept, actingFor, actor } = access;
  return db.transaction(async (tx) => {
    const rows = (await listForDepartment(tx, dept, true, access.divisionPrefix)).filter((r) => Number(r.id) <= upTo);
    let marked = 0;
    for (const r of rows) {
      if (await markDelivered(tx, r.id, 'download', null, now)) {
        marked += 1;
        await markCasePushed(tx, r.case_id, dept, 'download', actor);
      }
    }
    await audit(tx, {
      actor, action: 'monitoring.mark_delivered', entity: 'department_list', entityId: dept,
      detail: { department: dept, marked, upTo, ...(actingFor ? { actingFor } : {}) },
    });
    return { department: dept, marked };
  });
}
