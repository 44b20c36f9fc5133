/**
 * Reconciliation with hospitals (对账). The bureau's totals of a day or a
 * month per scheme and clearing type (3201), compared with the hospital's;
 * on a mismatch, the settlement-by-settlement difference (3202) and a record
 * staff follow to resolution (open → explained → resolved). The national
 * interface's 3201/3202 handlers call `reconcile` and `bureauStatement`.
 */
import { createHash } from 'node:crypto';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import {
  canMove,
  CLR_TYPE,
  compareDetails,
  compareTotals,
  INSUTYPE,
  parseHospitalDetails,
  parseHospitalTotals,
  type DetailDifference,
  type DetailLine,
  type ReconciliationStatus,
  type TotalsComparison,
  type TotalsLine,
} from '../domain/ledger/reconcile.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import {
  bureauDetails,
  bureauTotals,
  findReconciliation,
  findReconciliationByRequest,
  insertReconciliation,
  listReconciliations,
  setReconciliationStatus,
  type BureauTotalsRow,
  type ReconciliationRow,
} from '../store/repositories/reconciliations.ts';

export type { DetailDifference, TotalsComparison, TotalsLine } from '../domain/ledger/reconcile.ts';

const ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A period of whole days in China: from ≤ to, at most a year. */
export function checkPeriod(from: unknown, to: unknown): { from: string; to: string } {
  for (const [v, f] of [[from, 'from'], [to, 'to']] as const) {
    if (typeof v !== 'string' || !ISO.test(v) || Number.isNaN(Date.parse(v))) throw invalid('INVALID_DATE', `${f} must be a date such as 2025-06-01`, f);
  }
  const a = from as string;
  const b = to as string;
  if (b < a) throw invalid('INVALID_PERIOD', 'to is before from', 'to');
  if (Date.parse(b) - Date.parse(a) > 366 * 86_400_000) throw invalid('INVALID_PERIOD', 'a period is at most a year', 'to');
  return { from: a, to: b };
}

/** The first and last day of a month "2025-06". */
export function monthPeriod(month: unknown): { from: string; to: string } {
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid('INVALID_MONTH', 'month must be such as 2025-06', 'month');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The bureau's rows as 3201 lines (codes from the national code sets). */
export function totalsLines(rows: readonly BureauTotalsRow[]): TotalsLine[] {
  const byKey = new Map<string, TotalsLine>();
  for (const r of rows) {
    const insutype = INSUTYPE[r.scheme];
    const clr_type = CLR_TYPE[r.kind];
    const k = `${insutype}/${clr_type}`;
    const was = byKey.get(k);
    byKey.set(k, {
      insutype, clr_type,
      fixmedins_setl_cnt: (was?.fixmedins_setl_cnt ?? 0) + r.count,
      medfee_sumamt: (was?.medfee_sumamt ?? 0) + r.total,
      fund_pay_sumamt: (was?.fund_pay_sumamt ?? 0) + r.funds,
      acct_pay: (was?.acct_pay ?? 0) + r.acct,
    });
  }
  return [...byKey.values()].sort((a, b) => (`${a.insutype}/${a.clr_type}` < `${b.insutype}/${b.clr_type}` ? -1 : 1));
}

/** The bureau's side for a facility and period: 3201 totals and 3202 details. */
export async function bureauStatement(q: Queryable, facilityId: number, from: string, to: string): Promise<{ totals: TotalsLine[]; details: DetailLine[] }> {
  const period = checkPeriod(from, to);
  const totals = totalsLines(await bureauTotals(q, period.from, period.to, facilityId));
  const details = (await bureauDetails(q, facilityId, period.from, period.to)).map((d) => ({
    setl_id: d.transaction_id, refd_setl_flag: d.reversal ? ('1' as const) : ('0' as const), medfee_sumamt: d.total, fund_pay_sumamt: d.funds, acct_pay: d.acct,
  }));
  return { totals, details };
}

/** The bureau's totals of every facility for a period, in one pass (the monthly run over all hospitals). */
export async function bureauTotalsByFacility(q: Queryable, from: string, to: string): Promise<Map<number, TotalsLine[]>> {
  const period = checkPeriod(from, to);
  const rows = await bureauTotals(q, period.from, period.to, null);
  const by = new Map<number, BureauTotalsRow[]>();
  for (const r of rows) by.set(r.facility_id, [...(by.get(r.facility_id) ?? []), r]);
  return new Map([...by].map(([id, rs]) => [id, totalsLines(rs)]));
}

export interface ReconcileRequest {
  readonly requestId: string;
  readonly from: string;
  readonly to: string;
  /** 3201 lines, amounts in fen. */
  readonly totals: unknown;
  /** Optional 3202 lines: with them, the difference is settlement by settlement against the hospital's own. */
  readonly details?: unknown;
}

export interface ReconciliationResult {
  readonly id: number;
  readonly facility: { readonly id: number; readonly code: string; readonly name: string };
  readonly requestId: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly status: ReconciliationStatus;
  readonly lines: readonly TotalsComparison[];
  readonly differences: readonly (DetailDifference | DetailLine)[];
  readonly note: string | null;
  readonly followedBy: string | null;
  readonly submittedAt: string;
}

export function present(r: ReconciliationRow): ReconciliationResult {
  return {
    id: r.id, facility: { id: r.facility_id, code: r.facility_code, name: r.facility_name }, requestId: r.request_id,
    period: { from: r.period_from, to: r.period_to }, status: r.status, lines: r.lines as TotalsComparison[],
    differences: r.differences as DetailDifference[], note: r.note, followedBy: r.followed_by, submittedAt: new Date(r.submitted_at).toISOString(),
  };
}

/**
 * Compares a hospital's totals with the bureau's and records the outcome.
 * Idempotent on the hospital's request id: the same request answers the same
 * record; other figures under the same id are refused.
 */
export async function reconcile(db: Db, facility: FacilityRow, request: ReconcileRequest, actor: string): Promise<{ result: ReconciliationResult; replayed: boolean }> {
  if (typeof request.requestId !== 'string' || !/^[\w.:-]{1,64}$/.test(request.requestId)) {
    throw invalid('INVALID_REQUEST_ID', 'requestId is 1 to 64 letters, digits or . : - _', 'requestId');
  }
  const period = checkPeriod(request.from, request.to);
  const hospital = parseHospitalTotals(request.totals);
  const hospitalDetails = request.details === undefined ? null : parseHospitalDetails(request.details);
  const hash = createHash('sha256').update(JSON.stringify({ period, hospital, hospitalDetails })).digest('hex');
  return db.transaction(async (tx) => {
    const existing = await findReconciliationByRequest(tx, facility.id, request.requestId);
    if (existing) {
      if (existing.request_hash !== hash) throw conflict('IDEMPOTENCY_CONFLICT', `reconciliation ${request.requestId} was submitted with other figures`, 'requestId');
      return { result: present(existing), replayed: true };
    }
    const bureau = await bureauStatement(tx, facility.id, period.from, period.to);
    const lines = compareTotals(bureau.totals, hospital);
    const matchedTotals = lines.every((l) => l.matched);
    // Details: against the hospital's when it sent them; otherwise, on a mismatch, the bureau's own lines for the hospital to check.
    const differences = hospitalDetails ? compareDetails(bureau.details, hospitalDetails) : matchedTotals ? [] : bureau.details;
    const status: ReconciliationStatus = matchedTotals && (hospitalDetails === null || differences.length === 0) ? 'matched' : 'open';
    const id = await insertReconciliation(tx, {
      facility_id: facility.id, request_id: request.requestId, request_hash: hash, period_from: period.from, period_to: period.to,
      status, lines, differences, submitted_by: actor,
    });
    await audit(tx, {
      actor, action: 'reconciliation.submit', entity: 'reconciliation', entityId: id,
      detail: { facility: facility.code, from: period.from, to: period.to, status, lines: lines.filter((l) => !l.matched).length, differences: differences.length },
    });
    return { result: present((await findReconciliation(tx, id))!), replayed: false };
  });
}

/** Staff follow a mismatch: explained (with the reason), then resolved. Each step audited. */
export async function followUp(db: Db, id: number, to: ReconciliationStatus, note: string, actor: string, divisionPrefix?: string): Promise<ReconciliationResult> {
  if (typeof note !== 'string' || note.trim().length === 0 || note.length > 2000) throw invalid('INVALID_NOTE', 'a note (1 to 2,000 characters) says what was found', 'note');
  return db.transaction(async (tx) => {
    const row = await findReconciliation(tx, id, true);
    if (!row || (divisionPrefix && !(await inDivision(tx, row.facility_id, divisionPrefix)))) throw notFound('UNKNOWN_RECONCILIATION', `no reconciliation ${id}`, 'id');
    if (!canMove(row.status, to)) throw conflict('INVALID_TRANSITION', `a ${row.status} reconciliation cannot become ${to}`, 'status');
    await setReconciliationStatus(tx, id, to, note.trim(), actor);
    await audit(tx, { actor, action: 'reconciliation.follow_up', entity: 'reconciliation', entityId: id, detail: { from: row.status, to, note: note.trim() } });
    return present((await findReconciliation(tx, id))!);
  });
}

async function inDivision(q: Queryable, facilityId: number, prefix: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM facilities WHERE id = $1 AND division_code LIKE $2 || \'%\'', [facilityId, prefix]);
  return rows.length > 0;
}

export async function listForStaff(db: Db, f: { status?: string | undefined; facilityId?: number | undefined; divisionPrefix?: string; limit: number; offset: number }) {
  return (await listReconciliations(db, f)).map(present);
}

export async function findForFacility(db: Db, facility: FacilityRow, id: number): Promise<ReconciliationResult> {
  const row = await findReconciliation(db, id);
  if (!row || row.facility_id !== facility.id) throw notFound('UNKNOWN_RECONCILIATION', `no reconciliation ${id} of this facility`, 'id');
  return present(row);
}
