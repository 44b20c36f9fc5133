/**
 * Monthly clearing of hospitals (清算) and the year end. A month is cleared
 * once per hospital, after it is over; a later change reaches the next
 * clearing as a new entry (a reversal, an adjustment, a deduction), never as
 * an edit. Each clearing posts its journal and is audited in one transaction.
 */
import { clearMonth, clearYearEnd } from '../domain/ledger/clearing.ts';
import { clearingPosting, type FundAmounts } from '../domain/ledger/posting.ts';
import { NO_CLEARING_TERMS, type ClearingTerms } from '../domain/policy/clearing-terms.ts';
import { conflict, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { parsePercent, MoneyError, type BasisPoints } from '../domain/money.ts';
import type { Policy } from '../domain/policy/types.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { pgErrorCode, UNIQUE_VIOLATION, type Db, type Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  drgDifferences,
  findClearing,
  insertClearing,
  insertClearingDeductions,
  monthFlows,
  unclearedDeductions,
  yearOfClearings,
  type ClearingRow,
  type DeductionRow,
  type FlowRow,
} from '../store/repositories/clearings.ts';
import { findFacilityByCode, listFacilities, type FacilityRow } from '../store/repositories/facilities.ts';
import { insertJournal } from '../store/repositories/ledger.ts';
import { monthPeriod } from './reconciliation.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface ClearingDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

/**
 * The clearing terms for a facility in a year: its region's policy of that
 * year, or, until that is loaded, the latest earlier one (terms carry over).
 */
export function termsFor(policies: PolicyRegistry, divisionCode: string, year: number): { policy: Policy | null; terms: ClearingTerms } {
  for (let y = year; y >= year - 5; y--) {
    const p = policies.forDivision(divisionCode, y);
    if (p) return { policy: p, terms: p.clearing };
  }
  return { policy: null, terms: NO_CLEARING_TERMS };
}

function byKind(flows: readonly FlowRow[], kind: FlowRow['kind']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of flows) if (f.kind === kind && f.amount !== 0) out[f.fund] = (out[f.fund] ?? 0) + f.amount;
  return out;
}

export interface ClearMonthRequest {
  readonly month: string;
  /** One facility's code; all facilities with anything to clear when absent. */
  readonly facility?: string | undefined;
  readonly actor: string;
  /** The business day (China) the clearing is made on: the month must be over. */
  readonly today: string;
}

export interface ClearMonthResult {
  readonly cleared: ClearingRow[];
  /** Facilities whose month was already cleared (only when clearing all). */
  readonly alreadyCleared: string[];
}

/** Clears a month: one facility (refused when already cleared), or every facility with anything to clear. */
export async function clearMonthFor(deps: ClearingDeps, r: ClearMonthRequest): Promise<ClearMonthResult> {
  const period = monthPeriod(r.month);
  if (r.today <= period.to) throw unprocessable('MONTH_NOT_OVER', `${r.month} is not over yet: it is cleared from ${nextDay(period.to)} on`, 'month');
  const year = Number(r.month.slice(0, 4));
  try {
    return await deps.db.transaction(async (tx) => {
      let only: FacilityRow | undefined;
      if (r.facility !== undefined) {
        only = await findFacilityByCode(tx, r.facility);
        if (!only) throw notFound('UNKNOWN_FACILITY', `no facility ${r.facility}`, 'facility');
      }
      const facilityId = only?.id ?? null;
      // One clearing run at a time for a month: a second waits, then finds the month cleared.
      await lockInSchema(tx, `clearing:${r.month}`);
      const [flows, deductions, drg, facilities, done] = [
        await monthFlows(tx, period.from, period.to, facilityId),
        await unclearedDeductions(tx, period.to, facilityId),
        await drgDifferences(tx, r.month, facilityId),
        only ? [only] : await listFacilities(tx),
        new Set((await tx.query<{ facility_id: string }>("SELECT facility_id::text FROM clearings WHERE kind = 'monthly' AND period = $1", [r.month])).map((x) => Number(x.facility_id))),
      ];
      if (only && done.has(only.id)) throw conflict('MONTH_CLEARED', `${r.month} of ${only.code} is already cleared: a correction is a new entry in a later clearing`, 'month');
      const active = new Set([...flows.map((f) => f.facility_id), ...deductions.map((d) => d.facility_id), ...drg.map((d) => d.facility_id)]);
      const cleared: ClearingRow[] = [];
      const alreadyCleared: string[] = [];
      for (const facility of facilities) {
        if (!only && !active.has(facility.id)) continue;
        if (done.has(facility.id)) {
          alreadyCleared.push(facility.code);
          continue;
        }
        const mine = flows.filter((f) => f.facility_id === facility.id);
        const flags = deductions.filter((d) => d.facility_id === facility.id);
        const drgOf = drg.find((d) => d.facility_id === facility.id);
        cleared.push(await clearOne(deps, tx, { facility, month: r.month, year, mine, flags, drg: drgOf ?? null, actor: r.actor }));
      }
      return { cleared, alreadyCleared };
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('MONTH_CLEARED', `${r.month} is already cleared`, 'month');
    throw error;
  }
}

async function clearOne(
  deps: ClearingDeps,
  tx: Queryable,
  a: { facility: FacilityRow; month: string; year: number; mine: FlowRow[]; flags: DeductionRow[]; drg: { discharges: number; difference: number } | null; actor: string },
): Promise<ClearingRow> {
  const { policy, terms } = termsFor(deps.policies, a.facility.division_code, a.year);
  const settlements = byKind(a.mine, 'settlement');
  const reversals = byKind(a.mine, 'reversal');
  const adjustments = byKind(a.mine, 'readjudication');
  const reviewDeductions = a.flags.reduce((t, f) => t + f.amount, 0);
  const c = clearMonth({ settlements, reversals, adjustments, reviewDeductions, drgDifference: a.drg?.difference ?? 0, depositRate: terms.qualityDeposit });
  const id = await insertClearing(tx, {
    facility_id: a.facility.id, kind: 'monthly', period: a.month, year: a.year, policy_id: policy?.id ?? null, bills: c.bills,
    detail: { settlements, reversals, adjustments, reviewFlags: a.flags.map((f) => ({ id: f.flag_id, amount: f.amount })), drgDischarges: a.drg?.discharges ?? 0, gross: c.gross },
    review_deductions: c.reviewDeductions, drg_difference: c.drgDifference, deposit_rate_bp: terms.qualityDeposit, deposit_withheld: c.depositWithheld,
    deposit_released: 0, deposit_forfeited: 0, over_budget: 0, payments: c.payments, net_fen: c.net, cleared_by: a.actor,
  });
  await insertClearingDeductions(tx, id, a.flags);
  await postClearing(tx, id, a.facility.id, a.year, a.actor, c);
  await audit(tx, {
    actor: a.actor, action: 'clearing.month', entity: 'clearing', entityId: id,
    detail: { facility: a.facility.code, month: a.month, net: c.net, deductions: c.reviewDeductions, drg: c.drgDifference, withheld: c.depositWithheld },
  });
  return (await findClearing(tx, id))!;
}

async function postClearing(tx: Queryable, id: number, facilityId: number, year: number, actor: string, c: Parameters<typeof clearingPosting>[0]): Promise<void> {
  await insertJournal(tx, { kind: 'clearing', source: `clearing:${id}`, facilityId, year, actor, lines: clearingPosting(c) });
}

/** Parses an assessment score "92.5%" / 92 into basis points (0–100 %). */
export function parseAssessment(input: unknown): BasisPoints {
  try {
    if (typeof input !== 'string' && typeof input !== 'number') throw new MoneyError('missing');
    return parsePercent(input);
  } catch {
    throw invalid('INVALID_ASSESSMENT', 'the assessment is a score from 0 to 100 %, such as "92.5%"', 'assessment');
  }
}

/**
 * The year end of one hospital: its withheld deposit released by its
 * assessment, spending above its budget taken back. Once a year, after it.
 */
export async function clearYearEndFor(
  deps: ClearingDeps,
  r: { facility: string; year: number; assessment: unknown; actor: string; today: string },
): Promise<ClearingRow> {
  const assessment = parseAssessment(r.assessment);
  if (!Number.isInteger(r.year) || r.year < 2000 || r.year > 2100) throw invalid('INVALID_YEAR', 'year must be such as 2025', 'year');
  if (r.today <= `${r.year}-12-31`) throw unprocessable('YEAR_NOT_OVER', `${r.year} is not over yet`, 'year');
  try {
    return await deps.db.transaction(async (tx) => {
      const facility = await findFacilityByCode(tx, r.facility);
      if (!facility) throw notFound('UNKNOWN_FACILITY', `no facility ${r.facility}`, 'facility');
      const existing = await tx.query("SELECT 1 FROM clearings WHERE facility_id = $1 AND kind = 'year_end' AND period = $2", [facility.id, String(r.year)]);
      if (existing.length > 0) throw conflict('YEAR_CLEARED', `${r.year} of ${facility.code} already had its year-end clearing`, 'year');
      const { policy, terms } = termsFor(deps.policies, facility.division_code, r.year);
      const held = await yearOfClearings(tx, facility.id, r.year);
      const budget = terms.facilityBudgets.get(facility.code) ?? null;
      const y = clearYearEnd({ depositHeld: held.withheld, assessment, spent: held.gross, budget });
      const id = await insertClearing(tx, {
        facility_id: facility.id, kind: 'year_end', period: String(r.year), year: r.year, policy_id: policy?.id ?? null, bills: {},
        detail: { months: held.months, depositHeld: held.withheld, assessment, spent: held.gross, budget },
        review_deductions: 0, drg_difference: 0, deposit_rate_bp: 0, deposit_withheld: 0, deposit_released: y.depositReleased,
        deposit_forfeited: y.depositForfeited, over_budget: y.overBudget, payments: y.payments as FundAmounts, net_fen: y.net, cleared_by: r.actor,
      });
      await postClearing(tx, id, facility.id, r.year, r.actor, y);
      await audit(tx, {
        actor: r.actor, action: 'clearing.year_end', entity: 'clearing', entityId: id,
        detail: { facility: facility.code, year: r.year, assessment, released: y.depositReleased, forfeited: y.depositForfeited, overBudget: y.overBudget, net: y.net },
      });
      return (await findClearing(tx, id))!;
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('YEAR_CLEARED', `${r.year} of ${r.facility} already had its year-end clearing`, 'year');
    throw error;
  }
}

function nextDay(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Today in China (UTC+8), the business day clearings are made on. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
