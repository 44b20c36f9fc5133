/**
 * Group commit: bills for different people settled together in one
 * transaction — one statement locks every person's accumulators (in person-id
 * order), one reads every context, the engine runs for each bill, one
 * statement writes them all, one COMMIT. Each bill is computed, written and
 * answered by the same code as a bill settled alone (settle-compute.ts).
 *
 * A bill that cannot be settled in the batch is settled alone after the batch
 * commits, by the one-bill path: an unknown person, a retry (its first answer
 * is replayed there), a second bill of a person already in the batch (bills of
 * one person serialize), a payment from personal accounts (it locks accounts,
 * outside the batch's lock order). A bill the checks refuse (not enrolled, no
 * policy, a bad line) is refused alone, with the error the one-bill path
 * gives. When the batch's transaction fails as a whole (a closed year, a
 * transaction id settled meanwhile by another process, a deadlock), nothing of
 * it is written and every bill is settled alone, one after another.
 */
import { DomainError } from '../domain/errors.ts';
import { lastStatement } from '../store/db.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { dropUnusedAccumulators } from '../store/repositories/settle-batch-context.ts';
import { lockAndReadBatch } from '../store/repositories/settle-batch-lock.ts';
import { rulesHeldFor } from '../store/repositories/review-rules-version.ts';
import type { SettleContext } from '../store/repositories/settle-writes.ts';
import { writeSettlements } from '../store/repositories/settle-batch-writes.ts';
import { HISTORY_DAYS } from './claim-review.ts';
import { checkAccountRequest } from './personal-account-pay.ts';
import { realtimeThresholdsRecorded } from './realtime-thresholds.ts';
import { afterWrite, finishSettle, nothingAfterWrite, prepareSettle, yearOf, type PreparedSettle } from './settle-compute.ts';
import { requestHash, requireEnrolledContext, settleBill, type SettleOutcome, type SettleRequest, type SettlementDeps } from './settlement-service.ts';

export interface BatchItem {
  readonly facility: FacilityRow;
  readonly request: SettleRequest;
}

/** Each bill's answer or its error, in the order given. */
export type BatchResult = { ok: true; outcome: SettleOutcome } | { ok: false; error: unknown };

/** Settles a batch of bills (at most one per person and per facility's transaction id); never throws. */
export async function settleBatch(deps: SettlementDeps, items: readonly BatchItem[]): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = items.map(() => undefined);
  const alone: number[] = [];
  const hashes = items.map((it, i) => {
    try {
      checkAccountRequest(it.request);
      return requestHash(it.request);
    } catch (error) {
      results[i] = { ok: false, error };
      return '';
    }
  });
  const batched: number[] = [];
  items.forEach((it, i) => {
    if (results[i]) return;
    if (it.request.acctUsedFlag === true) alone.push(i);
    else batched.push(i);
  });
  let failed = false;
  if (batched.length > 1) {
    try {
      // The thresholds real time judges each year's bills with, recorded before its first bill of the year commits (once per process and year).
      for (const year of new Set(batched.map((i) => yearOf(items[i]!.request.visit.date)))) {
        const recording = realtimeThresholdsRecorded(deps, year);
        if (recording) await recording;
      }
      const done = await deps.db.transaction((tx) => settleTogether(deps, tx, items, batched, hashes));
      for (const [i, r] of done.results) results[i] = r;
      alone.push(...done.alone);
    } catch {
      // Nothing of the batch was written: each bill on its own, as if it had come alone.
      failed = true;
    }
  } else {
    alone.push(...batched);
  }
  const rest = failed ? [...batched, ...alone] : alone;
  for (const i of rest.sort((a, b) => a - b)) {
    try {
      results[i] = { ok: true, outcome: await settleBill(deps, items[i]!.facility, items[i]!.request) };
    } catch (error) {
      results[i] = { ok: false, error };
    }
  }
  return results.map((r) => r!);
}

/** Inside the batch's transaction: the bills settled here, and those left to settle alone. */
async function settleTogether(
  deps: SettlementDeps,
  tx: Parameters<Parameters<SettlementDeps['db']['transaction']>[0]>[0],
  items: readonly BatchItem[],
  batched: readonly number[],
  hashes: readonly string[],
): Promise<{ results: Map<number, BatchResult>; alone: number[] }> {
  const results = new Map<number, BatchResult>();
  const alone: number[] = [];
  const locked = await lockAndReadBatch(tx, batched.map((i) => {
    const r = items[i]!.request;
    return { patient: r.patient, year: yearOf(r.visit.date), facilityId: items[i]!.facility.id, transactionId: r.transactionId, visitDate: r.visit.date };
  }), HISTORY_DAYS, rulesHeldFor(deps.db));
  const seen = new Set<number>();
  const here: { i: number; personId: number; born: boolean; context: SettleContext }[] = [];
  batched.forEach((i, k) => {
    const bill = locked.get(k);
    // Unknown or not enrolled: the one-bill path refuses it. A person twice (an ID number and a QR token): the second waits for the first.
    if (bill?.context === undefined || seen.has(bill.personId)) return void alone.push(i);
    seen.add(bill.personId);
    here.push({ i, personId: bill.personId, born: bill.born, context: bill.context });
  });
  const prepared: { i: number; p: PreparedSettle }[] = [];
  const unused: { personId: number; year: number }[] = [];
  for (const { i, personId, born, context } of here) {
    const { facility, request } = items[i]!;
    // A retry: the one-bill path replays the first answer (or refuses a different request).
    if (context.existing) {
      alone.push(i);
      if (born) unused.push({ personId, year: yearOf(request.visit.date) });
      continue;
    }
    try {
      requireEnrolledContext(context, yearOf(request.visit.date));
      prepared.push({ i, p: await prepareSettle(deps, tx, facility, request, context, hashes[i]!) });
    } catch (error) {
      // The checks' refusals concern this bill alone; anything else (the database's) ends the batch.
      if (!(error instanceof DomainError)) throw error;
      results.set(i, { ok: false, error });
      if (born) unused.push({ personId, year: yearOf(request.visit.date) });
    }
  }
  await dropUnusedAccumulators(tx, unused);
  if (prepared.length > 0) {
    // The alerts, their cases and pushes in the write statement (finishSettle reinstates one the person had already, if withdrawn).
    const alerts = prepared.flatMap(({ p }, k) => p.result.alerts.map((alert) => ({ bill: k, personId: p.person.id, year: p.write.year, alert })));
    // Nothing to send after the write for any bill: the write carries the COMMIT (one round trip less).
    const last = prepared.every(({ i, p }) => nothingAfterWrite(p, items[i]!.facility, items[i]!.request));
    const { written, raised } = await writeSettlements(last ? lastStatement(tx) : tx, prepared.map(({ p }) => p), alerts);
    const after = afterWrite(deps, tx, last);
    for (const [k, { i, p }] of prepared.entries()) {
      results.set(i, { ok: true, outcome: await finishSettle(deps, after, items[i]!.facility, items[i]!.request, p, { ...written[k]!, raised }) });
    }
  }
  return { results, alone };
}
