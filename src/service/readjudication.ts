/**
 * Re-adjudication in the store (issue 11): run inside the transaction of a
 * reversal or a correction, after the person's accumulator row is locked (the
 * same lock settlements take, so bills of this person wait and other people's
 * bills run on). It settles the person's later bills of the year again in their
 * order, records each per-fund difference as an adjustment entry on the bill it
 * corrects, recovers assistance paid on application on a reversed bill, sets the
 * accumulators to what the year now adds up to, and withdraws or reinstates
 * alerts so that exactly the alerts the surviving bills justify stand.
 */
import { continuityOf } from './enrollment-cover.ts';
import { readjudicate, type BillChange, type LedgerBill, type Readjudication } from '../domain/engine/readjudicate.ts';
import { EMPTY_YEAR_TO_DATE, YEAR_TO_DATE_FIELDS, type IdentitySpan, type YearToDate } from '../domain/engine/types.ts';
import { unprocessable } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { FUNDS, type Fund } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { addToYearToDate, readSupplementaryYearToDate, readYearToDate, writeSupplementaryYearToDate } from '../store/repositories/accumulators.ts';
import { insertTierDifferences, tierPaymentsOf } from '../store/repositories/supplementary-tier-payments.ts';
import {
  insertAdjustments,
  insertReadjudication,
  ledgerOf,
  type LedgerRow,
  type NewAdjustment,
} from '../store/repositories/adjustments.ts';
import { alertsOfPersonYear, moveAlert, reinstateAlert, withdrawAlert } from '../store/repositories/alert-withdrawals.ts';
import { raiseAlert } from '../store/repositories/alerts.ts';
import { applicationItemsOf, exceptionsOnBills } from '../store/repositories/assistance.ts';
import { addCaseEvent } from '../store/repositories/cases.ts';
import { exceptionShares } from '../domain/engine/case-by-case.ts';
import { audit } from '../store/repositories/audit.ts';
import { findPersonById, identitiesOf, toSpans, type PersonRow } from '../store/repositories/persons.ts';
import { restoreExcessSpends } from './personal-account-pay.ts';
import { billFunds, postAssistanceGrant, postBillChange } from './ledger-posting.ts';

export interface ReadjudicationOutcome {
  readonly readjudicationId: number;
  /** Entries written: one per bill whose figures changed, and one per recovered assistance payment. */
  readonly entries: number;
  readonly alerts: { readonly withdrawn: number; readonly reinstated: number; readonly raised: number };
}

function toLedgerBill(
  policies: PolicyRegistry,
  person: PersonRow,
  spans: IdentitySpan[],
  row: LedgerRow,
  continuity: { yearsInsured: number; claimFreeYears: number },
): LedgerBill {
  const policy = policies.get(row.policy_id);
  if (!policy) throw unprocessable('NO_POLICY', `policy ${row.policy_id} of settlement ${row.transaction_id} is no longer loaded`, 'transactionId');
  return {
    id: row.id,
    policy,
    input: {
      // The person as recorded now, identities on each bill's visit date: a correction applies what is known today.
      person: { scheme: person.scheme, identities: spans, status: person.employment_status },
      visit: {
        kind: row.visit_kind,
        level: row.visit_level,
        // The engine's dates and category as the first settlement had them (an inpatient's visit date is its admission).
        date: row.bill_date ?? row.visit_date,
        ...(row.visit_kind === 'inpatient' ? { admissionDate: row.visit_date } : {}),
        ...(row.chronic_category !== null ? { chronicCategory: row.chronic_category } : {}),
        outOfArea: row.out_of_area,
        filed: row.filed,
        majorIllness: row.major_illness,
        chronicClass: row.chronic_class ?? undefined,
      },
      amounts: { total: row.total_fen, compliant: row.compliant_fen },
      // The continuous-enrolment rewards the bill was settled with (cover held: the bill was settled).
      ...(policy.enrollment.rewards ? { continuity } : {}),
    },
    figures: { funds: row.funds, selfPay: row.self_pay, ytdDelta: row.ytd_delta },
  };
}

const nonZero = (e: { funds: Record<Fund, number>; selfPay: number; ytdDelta: YearToDate }) =>
  e.selfPay !== 0 || FUNDS.some((f) => e.funds[f] !== 0) || YEAR_TO_DATE_FIELDS.some((f) => e.ytdDelta[f] !== 0);

/**
 * Settles the year again after `change` to one of the person's settled bills
 * (still marked settled when this runs). The caller holds the accumulator lock
 * and marks the bill reversed (or records the correction) in the same transaction.
 */
export async function readjudicateInStore(
  tx: Queryable,
  policies: PolicyRegistry,
  args: { personId: number; year: number; change: BillChange; changeRef: string; actor: string; request?: Record<string, unknown> },
): Promise<ReadjudicationOutcome & { result: Readjudication }> {
  const { personId, year, change } = args;
  const [person, identities, rows, current, currentTiers] = [
    await findPersonById(tx, personId),
    await identitiesOf(tx, personId),
    await ledgerOf(tx, personId, year),
    await readYearToDate(tx, personId, year),
    await readSupplementaryYearToDate(tx, personId, year),
  ];
  if (!person) throw new Error(`readjudicate: person ${personId} not found`);
  const spans = toSpans(identities);
  const continuity = await continuityOf(tx, personId, year);
  const index = rows.findIndex((r) => r.id === change.id);
  if (index < 0) throw new Error(`readjudicate: settlement ${change.id} is not a settled bill of person ${personId} in ${year}`);
  const tierPayments = await tierPaymentsOf(tx, rows.map((r) => r.id));
  // Assistance paid on application on the changed bill and the later ones: recovered with a reversed bill, computed again on the others.
  const items = await applicationItemsOf(tx, rows.slice(index).map((r) => r.id));
  const bills = rows.map((r) => ({
    ...toLedgerBill(policies, person, spans, r, continuity),
    tiers: tierPayments.get(r.id) ?? {},
    applications: items.filter((i) => i.settlement_id === r.id).map((i) => ({ applicationId: i.application_id, pool: i.pool, ratio: i.ratio_bp, paid: i.paid_fen })),
  }));

  const result = readjudicate({ current, earlier: bills.slice(0, index), from: bills.slice(index), change, currentTiers });

  const move = { ...EMPTY_YEAR_TO_DATE };
  for (const f of YEAR_TO_DATE_FIELDS) move[f] = result.yearToDate[f] - current[f];
  await addToYearToDate(tx, personId, year, move, 1);
  await writeSupplementaryYearToDate(tx, personId, year, result.supplementaryYearToDate ?? {});

  const readjudicationId = await insertReadjudication(tx, {
    personId, year, settlementId: change.id, change: change.kind, changeRef: args.changeRef, actor: args.actor, request: args.request,
  });
  await insertTierDifferences(tx, readjudicationId, result.bills.map((b) => ({ settlementId: b.id, tiers: b.tierDifference })));
  const entries: NewAdjustment[] = [];
  const byId = new Map(bills.map((b) => [b.id, b]));
  for (const b of result.bills) {
    const e = { funds: b.difference.funds, selfPay: b.difference.selfPay, ytdDelta: b.difference.ytdDelta };
    const old = byId.get(b.id)!.input.amounts;
    const total = b.settlement.total - old.total;
    const compliant = b.settlement.compliant - old.compliant;
    if (nonZero(e) || total !== 0 || compliant !== 0) {
      entries.push({ settlementId: b.id, kind: 'readjudication', ...e, total, compliant, steps: b.settlement.steps, applicationId: null });
    }
  }
  // An application's payment that changed: recovered (< 0, 追回) or paid more (> 0, 补付), on the bill it was paid on.
  const applicationChanges = result.applications.filter((a) => a.after !== a.before);
  for (const a of applicationChanges) {
    const amount = a.after - a.before;
    const funds = { basic: 0, critical: 0, assistance: amount, supplementary: 0, tilt: 0 };
    const ytdDelta = { ...EMPTY_YEAR_TO_DATE, [a.pool === 'major' ? 'assistanceMajor' : 'assistance']: amount };
    entries.push({ settlementId: a.billId, kind: 'assistance_recovery', funds, selfPay: 0, total: 0, compliant: 0, ytdDelta, steps: null, applicationId: a.applicationId });
  }
  const reviews = await caseByCase(tx, { change, readjudicationId, bills: rows.slice(index).map((r) => r.id), entries });
  await insertAdjustments(tx, readjudicationId, personId, year, entries);
  for (const r of reviews) {
    await addCaseEvent(tx, { caseId: r.caseId, actor: 'system', action: 'assistance.exception_review', detail: { ...r.detail, readjudicationId, ref: args.changeRef } });
  }
  await postLedger(tx, { readjudicationId, personId, year, change, actor: args.actor, rows, result, entries });

  const alerts = await reconcileAlerts(tx, personId, year, result, { readjudicationId, settlementId: change.id, ref: args.changeRef });
  // A bill whose patient part shrank gives back to the personal accounts what they paid beyond it.
  await restoreExcessSpends(tx, policies, result.bills.map((b) => ({ id: b.id, settlement: b.settlement, policyId: byId.get(b.id)!.policy.id })), args.actor, args.changeRef);

  // The change's own audit entry names the re-adjudication; this one lists what it changed, when it changed anything.
  if (entries.length > 0 || alerts.withdrawn + alerts.reinstated + alerts.raised > 0) await audit(tx, {
    actor: args.actor,
    action: 'settlement.readjudicate',
    entity: 'readjudication',
    entityId: readjudicationId,
    detail: {
      personId, year, settlementId: change.id, change: change.kind, ref: args.changeRef,
      bills: result.bills.map((b) => ({ settlementId: b.id, funds: b.difference.funds, selfPay: b.difference.selfPay })).filter((b) => nonZero({ ...b, ytdDelta: EMPTY_YEAR_TO_DATE })),
      applications: applicationChanges.map((a) => ({ applicationId: a.applicationId, settlementId: a.billId, pool: a.pool, before: a.before, after: a.after })),
      alerts,
    },
  });
  return { readjudicationId, entries: entries.length, alerts, result };
}

/**
 * Case-by-case (一事一议) approvals on the changed bill and the later ones: what an approval paid on a
 * reversed bill becomes a recovery entry (added to `entries`); an approval on a bill whose figures or
 * application payment changed stays, and its case gets an event for the reviewer (returned).
 */
async function caseByCase(
  tx: Queryable,
  a: { change: BillChange; readjudicationId: number; bills: readonly number[]; entries: NewAdjustment[] },
): Promise<{ caseId: number; detail: Record<string, unknown> }[]> {
  const changed = new Set(a.entries.map((e) => e.settlementId));
  const reviews: { caseId: number; detail: Record<string, unknown> }[] = [];
  for (const application of await exceptionsOnBills(tx, a.bills)) {
    const flagged = new Map<number, number[]>();
    for (const share of exceptionShares(application.items, application.exceptions)) {
      if (a.change.kind === 'reversal' && share.settlementId === a.change.id) {
        const recovered = application.recovered
          .filter((r) => r.exceptionId === share.exceptionId && r.settlementId === share.settlementId)
          .reduce((t, r) => t + r.amount, 0);
        const amount = share.amount - recovered;
        if (amount <= 0) continue;
        a.entries.push({
          settlementId: share.settlementId, kind: 'exception_recovery', funds: { basic: 0, critical: 0, assistance: -amount, supplementary: 0, tilt: 0 },
          selfPay: 0, total: 0, compliant: 0, ytdDelta: { ...EMPTY_YEAR_TO_DATE }, steps: null, applicationId: application.application_id, exceptionId: share.exceptionId,
        });
      } else if (changed.has(share.settlementId)) {
        flagged.set(share.exceptionId, [...(flagged.get(share.exceptionId) ?? []), share.settlementId]);
      }
    }
    for (const [exceptionId, settlementIds] of flagged) {
      reviews.push({
        caseId: application.case_id,
        detail: { reason: 'a bill the approval was paid on changed: review it', exceptionId, applicationId: application.application_id, settlementIds, settlementId: a.change.id },
      });
    }
  }
  return reviews;
}

/** Exactly the alerts the year's surviving bills justify stand afterwards. */
async function reconcileAlerts(
  tx: Queryable,
  personId: number,
  year: number,
  result: Readjudication,
  cause: { readjudicationId: number; settlementId: number; ref: string },
): Promise<ReadjudicationOutcome['alerts']> {
  const justified = new Map(result.alerts.map((a) => [a.alert.threshold, a]));
  const existing = await alertsOfPersonYear(tx, personId, year);
  const detail = { reason: 'settlement reversed or corrected', readjudicationId: cause.readjudicationId, settlementId: cause.settlementId, ref: cause.ref };
  const counts = { withdrawn: 0, reinstated: 0, raised: 0 };
  for (const a of existing) {
    const now = justified.get(a.threshold_id);
    justified.delete(a.threshold_id);
    if (!now) {
      if (a.withdrawn_at === null) {
        await withdrawAlert(tx, a, 'system', detail);
        counts.withdrawn += 1;
      }
    } else if (a.withdrawn_at !== null) {
      await reinstateAlert(tx, a, { settlementId: now.billId, yearlySelfPay: now.alert.yearlySelfPay }, 'system', detail);
      counts.reinstated += 1;
    } else if (a.settlement_id !== now.billId) {
      // Still justified, now by another bill (the reversed one, or an earlier bill's removal moved the crossing later).
      await moveAlert(tx, a.id, { settlementId: now.billId, yearlySelfPay: now.alert.yearlySelfPay });
    }
  }
  // A threshold the year now crosses that it never did before (a later bill's patient part grew).
  for (const a of justified.values()) {
    if ((await raiseAlert(tx, { personId, year, alert: a.alert, settlementId: a.billId, source: 'realtime' })) !== null) counts.raised += 1;
  }
  return counts;
}

/** The fund ledger (issue 14): each changed bill moves to its new figures, a reversed bill to nothing, recovered assistance back. */
async function postLedger(
  tx: Queryable,
  a: { readjudicationId: number; personId: number; year: number; change: BillChange; actor: string; rows: LedgerRow[]; result: Readjudication; entries: NewAdjustment[] },
): Promise<void> {
  const facilityOf = new Map(a.rows.map((r) => [r.id, r.facility_id]));
  const ref = { personId: a.personId, year: a.year, actor: a.actor };
  if (a.change.kind === 'reversal') {
    await postBillChange(tx, { ...ref, kind: 'reversal', source: `settlement:${a.change.id}`, settlementId: a.change.id, facilityId: facilityOf.get(a.change.id)!, target: null });
  }
  const changed = new Set(a.entries.filter((e) => e.kind === 'readjudication').map((e) => e.settlementId));
  for (const b of a.result.bills) {
    if (!changed.has(b.id)) continue;
    await postBillChange(tx, {
      ...ref, kind: 'readjudication', source: `readjudication:${a.readjudicationId}:settlement:${b.id}`, settlementId: b.id,
      facilityId: facilityOf.get(b.id)!, target: billFunds(b.settlement.funds, b.settlement.steps),
    });
  }
  for (const e of a.entries) {
    if (e.kind === 'readjudication') continue;
    const what = e.kind === 'exception_recovery' ? `exception:${e.exceptionId}` : `application:${e.applicationId}`;
    await postAssistanceGrant(tx, {
      kind: 'assistance_recovery', source: `readjudication:${a.readjudicationId}:${what}:settlement:${e.settlementId}`,
      personId: a.personId, year: a.year, amount: e.funds.assistance, actor: a.actor, settlementId: e.settlementId,
    });
  }
}
