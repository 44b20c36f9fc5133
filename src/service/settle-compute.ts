/**
 * The part of a settlement between reading its context and committing, shared
 * by the one-bill path (settlement-service.ts) and group commit
 * (settle-batch.ts): the engine's result and what to write (prepareSettle),
 * then alerts, claim review, the personal accounts and the answer once the
 * settlement row exists (finishSettle). One rule, one place: a bill settled
 * alone or in a batch is computed, written and answered by the same code.
 */
import { settle } from '../domain/engine/settle.ts';
import { billDates } from '../domain/engine/bill-dates.ts';
import type { Settlement, Visit, YearToDate } from '../domain/engine/types.ts';
import type { Policy } from '../domain/policy/types.ts';
import type { BillFacts } from '../domain/catalogue/bill-step.ts';
import type { PricedLine } from '../domain/catalogue/pricing.ts';
import type { JournalLine } from '../domain/ledger/posting.ts';
import { unprocessable } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { deltaOf } from '../store/repositories/accumulators.ts';
import { reinstateWithdrawn } from '../store/repositories/alert-withdrawals.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { toSpans, type PersonRow } from '../store/repositories/persons.ts';
import { writeSettlement, type SettleContext, type SettlementWrite } from '../store/repositories/settle-writes.ts';
import type { BillWrite } from '../store/repositories/settlement-bills.ts';
import type { SettlementRow } from '../store/repositories/settlements.ts';
import { billStep, explainBill, priceBillLines, type PricedAmounts } from './itemised-bill.ts';
import { chronicTerms } from './chronic-settlement.ts';
import { mayFlagOnSettle, reviewOnSettle } from './claim-review.ts';
import { payFromAccounts } from './personal-account-pay.ts';
import { settlementJournal } from './ledger-posting.ts';
import type { BillRequest, SettleOutcome, SettleRequest, SettlementDeps } from './settlement-service.ts';

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The policy of the person's division for the visit's year, and the engine's visit. */
export function resolve(
  deps: SettlementDeps,
  facility: FacilityRow,
  person: PersonRow,
  request: BillRequest,
  filed: boolean,
): { policy: Policy; visit: Visit } {
  const year = yearOf(request.visit.date);
  const policy = deps.policies.forDivision(person.division_code, year);
  if (!policy) {
    throw unprocessable('NO_POLICY', `no policy covers division ${person.division_code} in ${year}`, 'visit.date');
  }
  // Out of area: the facility is outside the region of the person's policy (就医地 ≠ 参保地);
  // filed: an active out-of-area filing (异地就医备案) covers the visit date — the record, not the hospital, says so.
  // An emergency out of area counts as filed: nobody files before an ambulance (national rule, 视同已备案).
  const home = deps.policies.forDivision(facility.division_code, year);
  const visit: Visit = {
    kind: request.visit.kind,
    level: facility.level,
    ...billDates(request.visit),
    outOfArea: home?.id !== policy.id,
    filed: filed || request.visit.emergency === true,
    majorIllness: request.visit.majorIllness ?? false,
    chronicClass: request.visit.chronicClass,
    chronicCategory: request.visit.chronicCategory,
  };
  return { policy, visit };
}

/** What a bill's lines are checked against besides the catalogue: the patient, the hospital's level, the diagnosis, the stay. */
export function billFacts(person: PersonRow, facility: FacilityRow, request: BillRequest): BillFacts {
  return {
    scheme: person.scheme, kind: request.visit.kind, level: facility.level, sex: person.sex, birthDate: person.birth_date,
    diagnosis: request.visit.diagnosis ?? null, admission: request.visit.date, discharge: request.visit.dischargeDate ?? null,
  };
}

/** A settlement computed and ready to write: the rows, and what the answer needs afterwards. */
export interface PreparedSettle {
  readonly write: SettlementWrite;
  readonly bill: BillWrite;
  readonly lines: readonly PricedLine[];
  readonly journal: readonly JournalLine[];
  readonly person: PersonRow;
  readonly policy: Policy;
  readonly visit: Visit;
  readonly result: Settlement;
  readonly before: YearToDate;
  readonly priced: PricedAmounts;
  readonly context: SettleContext;
}

/** The engine's settlement of the bill on the locked context; reads only the chronic approvals and the catalogue. */
export async function prepareSettle(
  deps: SettlementDeps,
  tx: Queryable,
  facility: FacilityRow,
  request: SettleRequest,
  context: SettleContext,
  hash: string,
): Promise<PreparedSettle> {
  const { person } = context;
  const year = yearOf(request.visit.date);
  const resolved = resolve(deps, facility, person, request, context.filed);
  const { policy } = resolved;
  // A chronic visit: the approved disease sets the class, and its yearly limit what the engine has left (before is adjusted, so the delta stays exact).
  const chronic = await chronicTerms(tx, person, policy, resolved.visit, request.visit.diagnosis, context.yearToDate);
  const { visit, yearToDate: before } = chronic;
  const priced = await priceBillLines(tx, facility.division_code, person.scheme, request);
  const result = settle(policy, {
    person: { scheme: person.scheme, identities: toSpans(context.identities), status: person.employment_status },
    visit,
    amounts: priced.amounts,
    bill: billStep(priced, billFacts(person, facility, request)),
    yearToDate: before,
    supplementaryYearToDate: context.supplementaryYearToDate,
    coverFrom: context.coverFrom,
    continuity: policy.enrollment.rewards ? context.continuity : undefined,
  });
  const write: SettlementWrite = {
    facilityId: facility.id,
    facilityCode: facility.code,
    transactionId: request.transactionId,
    requestHash: hash,
    personId: person.id,
    year,
    // The hospital's visit (admission) and discharge dates, and the engine's bill date beside them.
    visit: { ...visit, visitDate: request.visit.date, diagnosis: request.visit.diagnosis, dischargeDate: request.visit.dischargeDate },
    settlement: result,
    ytdDelta: deltaOf(before, result.yearToDate),
  };
  const bill: BillWrite = {
    personId: person.id, facilityId: facility.id, kind: visit.kind, admissionDate: request.visit.date,
    dischargeDate: request.visit.dischargeDate ?? null, diagnosis: request.visit.diagnosis ?? null, verification: priced.verification,
    declaredCompliant: request.amounts?.compliant ?? null, aboveCap: priced.priced?.aboveCap ?? 0, excluded: priced.priced?.excluded ?? 0,
    selfPayFirst: priced.priced?.selfPayFirst ?? 0,
    chronic: chronic.chronic && { ...chronic.chronic, fund: result.yearToDate.chronicFund - before.chronicFund },
  };
  // The journal: what each fund now owes the facility (issue 14).
  const journal = settlementJournal(result.funds, result.steps);
  return { write, bill, lines: priced.priced?.lines ?? [], journal, person, policy, visit, result, before, priced, context };
}

/** Writes one prepared settlement in one statement (the one-bill path). */
export function writePrepared(tx: Queryable, p: PreparedSettle): Promise<{ id: number; settled_at: Date; raised: ReadonlySet<string> }> {
  return writeSettlement(tx, p.write, p.bill, p.lines, p.journal);
}

/**
 * Where finishSettle's statements go: the transaction, unless the write carried its
 * COMMIT (nothingAfterWrite said none would follow); then, should one come all the
 * same, it runs on its own rather than fail a bill already committed.
 */
export function afterWrite(deps: SettlementDeps, tx: Queryable, last: boolean): Queryable {
  return last && tx.queryAndCommit ? deps.db : tx;
}

/** What claim review looks at, the settlement's id aside. */
function reviewInput(p: PreparedSettle, facility: FacilityRow, request: SettleRequest) {
  const { person, visit, result, priced: bill } = p;
  return {
    bill: {
      personId: person.id, facilityId: facility.id, kind: visit.kind, admission: request.visit.date,
      discharge: request.visit.dischargeDate ?? null, diagnosis: request.visit.diagnosis ?? null, compliant: result.compliant,
      sex: person.sex, birthDate: person.birth_date, level: facility.level,
    },
    lines: (bill.priced?.lines ?? []).map((l, i) => ({ ...l, item: bill.items[i]! })),
  };
}

/**
 * Whether finishSettle will send no statement, so the write statement may carry the
 * transaction's COMMIT (`lastStatement`): no alert (one the person had may be a
 * withdrawn one to reinstate), no payment from personal accounts, no claim-review
 * flag possible.
 */
export function nothingAfterWrite(p: PreparedSettle, facility: FacilityRow, request: SettleRequest): boolean {
  if (p.result.alerts.length > 0 || request.acctUsedFlag === true) return false;
  const review = reviewInput(p, facility, request);
  return !mayFlagOnSettle(review.bill, review.lines, p.context);
}

/**
 * After the settlement row and its alerts are written, in the same
 * transaction: an alert to reinstate, claim review's flags, the personal accounts' payment; and the answer.
 */
export async function finishSettle(
  deps: SettlementDeps,
  tx: Queryable,
  facility: FacilityRow,
  request: SettleRequest,
  p: PreparedSettle,
  /** The write statement inserted the bill's alerts; `raised`: those it inserted ("personId:threshold"), the others existed already. */
  written: { id: number; settled_at: Date; raised: ReadonlySet<string> },
): Promise<SettleOutcome> {
  const { person, policy, visit, result, write } = p;
  const year = write.year;
  // An alert the person had already for the year and threshold may be a withdrawn one to reinstate (rare).
  for (const alert of result.alerts) {
    if (!written.raised.has(`${person.id}:${alert.threshold}`)) await reinstateWithdrawn(tx, person.id, year, alert, written.id);
  }
  // Claim review flags the bill for the bureau; it never blocks the patient's settlement.
  const review = reviewInput(p, facility, request);
  await reviewOnSettle(tx, { ...review.bill, settlementId: written.id }, review.lines, p.context);
  // The personal accounts pay after the funds, at the patient's choice, in this same transaction.
  const account = await payFromAccounts(tx, deps.policies, {
    settlementId: written.id, patient: person, year, settlement: result, request, actor: `facility:${facility.code}`, ref: request.transactionId,
  });
  const settlement: SettlementRow = {
    id: written.id,
    facility_id: facility.id,
    facility_code: facility.code,
    facility_name: facility.name,
    transaction_id: request.transactionId,
    request_hash: write.requestHash,
    person_id: person.id,
    year,
    policy_id: policy.id,
    visit_kind: visit.kind,
    visit_level: visit.level,
    visit_date: request.visit.date,
    total_fen: result.total,
    compliant_fen: result.compliant,
    funds_fen: result.total - result.selfPay,
    self_pay_compliant: result.selfPayCompliant,
    self_pay_excluded: result.selfPayExcluded,
    self_pay: result.selfPay,
    above_cap_fen: result.aboveCap,
    steps: [...result.steps, ...(account.steps as unknown as Settlement['steps'])],
    ytd_delta: write.ytdDelta,
    status: 'settled',
    reversal_id: null,
    reversed_at: null,
    settled_at: written.settled_at,
    funds: result.funds,
  };
  return { settlement, replayed: false, alerts: result.alerts, bill: explainBill(p.priced), account: account.part, patient: person };
}
