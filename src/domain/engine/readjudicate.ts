/**
 * Re-adjudication (重新结算): when a bill of the year is reversed or corrected,
 * every later bill of the person's year is settled again, in its original
 * order, from the accumulators as they stood before the changed bill. The
 * difference between what a bill stands at and what it is now due, fund by
 * fund, is what the funds pay more (补付) or recover (追回) on that bill.
 * Pure: bills and accumulators in, new figures and differences out.
 */
import { conflict } from '../errors.ts';
import type { BasisPoints, Fen } from '../money.ts';
import type { Policy } from '../policy/types.ts';
import { FUNDS } from '../vocabulary.ts';
import { alertsFor } from './alerts.ts';
import { identitiesOn } from './identities.ts';
import { rulesFor, settle } from './settle.ts';
import { applicationDue, assistanceCapLeft, type AssistancePool } from './tiers/assistance.ts';
import {
  EMPTY_YEAR_TO_DATE,
  supplementaryByTier,
  YEAR_TO_DATE_FIELDS,
  type Alert,
  type Amounts,
  type Funds,
  type Settlement,
  type SettlementInput,
  type YearToDate,
} from './types.ts';

/** What a bill stands at: each fund, the patient's part, and what it added to each accumulator. */
export interface BillFigures {
  readonly funds: Funds;
  readonly selfPay: Fen;
  readonly ytdDelta: YearToDate;
}

/** A settled bill of the year, as re-adjudication needs it. */
export interface LedgerBill {
  readonly id: number;
  readonly policy: Policy;
  /** The bill as settled: person, visit and amounts (the year-to-date is the ledger's). */
  readonly input: Omit<SettlementInput, 'yearToDate'>;
  /** What it stands at now: its settlement plus every adjustment made to it so far. */
  readonly figures: BillFigures;
  /** What each supplementary tier stands at on it (absent: none paid), when the ledger keeps tiers. */
  readonly tiers?: Readonly<Record<string, Fen>> | undefined;
  /** Assistance paid on application on it, item by item, as it stands now (the application's ratio, pool and payment). */
  readonly applications?: readonly ApplicationItem[] | undefined;
}

/** One application's payment on one bill. */
export interface ApplicationItem {
  readonly applicationId: number;
  readonly pool: AssistancePool;
  readonly ratio: BasisPoints;
  readonly paid: Fen;
}

/** An application's payment on a bill before and after the change: after − before is paid more (> 0) or recovered (< 0). */
export interface ApplicationChange {
  readonly billId: number;
  readonly applicationId: number;
  readonly pool: AssistancePool;
  readonly before: Fen;
  readonly after: Fen;
}

export type BillChange =
  | { readonly kind: 'reversal'; readonly id: number }
  | { readonly kind: 'correction'; readonly id: number; readonly amounts: Amounts };

export interface BillReadjudication {
  readonly id: number;
  readonly before: BillFigures;
  readonly after: BillFigures;
  /** after − before: positive, the fund pays more (补付); negative, it recovers (追回). */
  readonly difference: BillFigures;
  /** The bill settled again: its new steps are its explanation. */
  readonly settlement: Settlement;
  /** after − before, by supplementary tier (only the tiers that changed). */
  readonly tierDifference: Readonly<Record<string, Fen>>;
}

export interface Readjudication {
  /** The accumulators before the changed bill. */
  readonly start: YearToDate;
  /** The changed bill (a correction) and every later one, in order; unchanged ones included. */
  readonly bills: readonly BillReadjudication[];
  /** The reversed bill's figures, removed from the year. */
  readonly removed: BillFigures | null;
  /**
   * Every application payment on the changed bill and the later ones: on a reversed bill it is recovered
   * whole (after 0); on a bill settled again it is computed again by the same function as at approval, on
   * the bill's new figures, within the caps the year leaves at that bill.
   */
  readonly applications: readonly ApplicationChange[];
  /** The accumulators at the end of the year's bills. */
  readonly yearToDate: YearToDate;
  /** Each supplementary tier's year at the end (only when `currentTiers` was given). */
  readonly supplementaryYearToDate: Readonly<Record<string, Fen>> | undefined;
  /** Every alert the year's bills justify (earlier ones included), with the bill whose self-pay crossed the threshold. */
  readonly alerts: readonly { readonly billId: number; readonly alert: Alert }[];
}

/** a + sign × b, field by field. */
export function addYearToDate(a: YearToDate, b: Partial<YearToDate>, sign: 1 | -1 = 1): YearToDate {
  const out = { ...EMPTY_YEAR_TO_DATE };
  for (const f of YEAR_TO_DATE_FIELDS) out[f] = a[f] + sign * (b[f] ?? 0);
  return out;
}

export function figuresOf(before: YearToDate, s: Settlement): BillFigures {
  return { funds: { ...s.funds }, selfPay: s.selfPay, ytdDelta: addYearToDate(s.yearToDate, before, -1) };
}

export function figuresDifference(after: BillFigures, before: BillFigures): BillFigures {
  const funds = {} as Funds;
  for (const fund of FUNDS) funds[fund] = after.funds[fund] - before.funds[fund];
  return { funds, selfPay: after.selfPay - before.selfPay, ytdDelta: addYearToDate(after.ytdDelta, before.ytdDelta, -1) };
}

export function isZero(d: BillFigures): boolean {
  return d.selfPay === 0 && FUNDS.every((f) => d.funds[f] === 0) && YEAR_TO_DATE_FIELDS.every((f) => d.ytdDelta[f] === 0);
}

/** The alerts a sequence of bills raises, each by the bill that takes the yearly self-pay over a threshold, on its visit date's identities. */
export function alertsOfBills(
  bills: readonly { readonly id: number; readonly policy: Policy; readonly input: Omit<SettlementInput, 'yearToDate'>; readonly selfPay: Fen }[],
  selfPayBefore: Fen = 0,
): { billId: number; alert: Alert }[] {
  const out: { billId: number; alert: Alert }[] = [];
  let running = selfPayBefore;
  for (const b of bills) {
    const identities = identitiesOn(b.input.person.identities, b.input.visit.date);
    for (const alert of alertsFor(identities, b.policy.monitoring, running, running + b.selfPay)) out.push({ billId: b.id, alert });
    running += b.selfPay;
  }
  return out;
}

/**
 * Settles the year again after a change to one bill.
 *
 * `current` is the person's accumulators now; `earlier` the year's bills before
 * the changed one (left as they are); `from` the changed bill and every later
 * one, in their original order. `withdrawn` is any other amount leaving the
 * accumulators with the change (assistance paid on application on a reversed
 * bill). The start is `current` less everything `from` added and `withdrawn`:
 * the accumulators exactly as the changed bill found them.
 */
export function readjudicate(args: {
  readonly current: YearToDate;
  readonly earlier: readonly LedgerBill[];
  readonly from: readonly LedgerBill[];
  readonly change: BillChange;
  readonly withdrawn?: Partial<YearToDate> | undefined;
  /** Each supplementary tier's year now (the bills' `tiers` are then what each tier stands at on them). */
  readonly currentTiers?: Readonly<Record<string, Fen>> | undefined;
}): Readjudication {
  const { current, earlier, from, change } = args;
  if (from[0]?.id !== change.id) throw new Error(`readjudicate: the first bill of "from" must be the changed bill ${change.id}`);
  let start = addYearToDate(current, args.withdrawn ?? {}, -1);
  for (const b of from) {
    start = addYearToDate(start, b.figures.ytdDelta, -1);
    // An application's payment on a bill counts in the year right after that bill.
    for (const a of b.applications ?? []) start[poolField(a.pool)] -= a.paid;
  }
  for (const f of YEAR_TO_DATE_FIELDS) {
    if (start[f] < 0) {
      throw conflict('LEDGER_MISMATCH', `accumulator ${f} would start below zero (${start[f]}): the year's bills do not add up to the accumulators`, 'transactionId');
    }
  }

  // Each tier's year as the changed bill found it; the engine counts on it only when the tiers account for the whole fund.
  const tiers = args.currentTiers === undefined ? undefined : { ...args.currentTiers };
  if (tiers) for (const b of from) addTiers(tiers, b.tiers, -1);
  const keptByTier = (fundYear: Fen) => tiers !== undefined && tiersAccountFor(tiers, fundYear);

  const alerts = alertsOfBills(earlier.map((b) => ({ ...b, selfPay: b.figures.selfPay })));
  const bills: BillReadjudication[] = [];
  let ytd = start;
  let removed: BillFigures | null = null;
  const applications: ApplicationChange[] = [];
  for (const b of from) {
    if (change.kind === 'reversal' && b.id === change.id) {
      removed = b.figures;
      for (const a of b.applications ?? []) applications.push({ billId: b.id, applicationId: a.applicationId, pool: a.pool, before: a.paid, after: 0 });
      continue;
    }
    const input = change.kind === 'correction' && b.id === change.id ? { ...b.input, amounts: change.amounts } : b.input;
    const settlement = settle(b.policy, { ...input, yearToDate: ytd, supplementaryYearToDate: keptByTier(ytd.supplementary) ? { ...tiers } : undefined });
    const after = figuresOf(ytd, settlement);
    const paid = supplementaryByTier(settlement);
    if (tiers) addTiers(tiers, paid, 1);
    const tierDifference = { ...paid };
    addTiers(tierDifference, b.tiers, -1);
    for (const id of Object.keys(tierDifference)) if (tierDifference[id] === 0) delete tierDifference[id];
    bills.push({ id: b.id, before: b.figures, after, difference: figuresDifference(after, b.figures), settlement, tierDifference });
    for (const alert of settlement.alerts) alerts.push({ billId: b.id, alert });
    ytd = settlement.yearToDate;
    if (b.applications !== undefined && b.applications.length > 0) {
      ytd = { ...ytd };
      const rule = rulesFor(b.policy, input.visit).benefits.assistance;
      const { funds } = settlement;
      for (const a of b.applications) {
        const { due } = applicationDue({ compliant: settlement.compliant, basic: funds.basic, critical: funds.critical, assistance: funds.assistance, selfPayCompliant: settlement.selfPayCompliant }, a.ratio);
        const paid = Math.min(due, assistanceCapLeft(rule, ytd, a.pool));
        ytd[poolField(a.pool)] += paid;
        applications.push({ billId: b.id, applicationId: a.applicationId, pool: a.pool, before: a.paid, after: paid });
      }
    }
  }
  if (tiers) for (const id of Object.keys(tiers)) if (tiers[id] === 0) delete tiers[id];
  return { start, bills, removed, applications, yearToDate: ytd, supplementaryYearToDate: tiers, alerts };
}

const poolField = (pool: AssistancePool): 'assistance' | 'assistanceMajor' => (pool === 'major' ? 'assistanceMajor' : 'assistance');

/** into += sign × what, tier by tier. */
function addTiers(into: Record<string, Fen>, what: Readonly<Record<string, Fen>> | undefined, sign: 1 | -1): void {
  if (what) for (const [id, fen] of Object.entries(what)) into[id] = (into[id] ?? 0) + sign * fen;
}

/** The tiers account for every fen of the fund's year, none below zero: each tier's cap can count on its own year. */
export function tiersAccountFor(tiers: Readonly<Record<string, Fen>>, fundYear: Fen): boolean {
  let sum = 0;
  for (const id in tiers) {
    if (tiers[id]! < 0) return false;
    sum += tiers[id]!;
  }
  return sum === fundYear;
}
