/**
 * Gathers the settle requests that arrive while a batch is in flight and
 * settles them together (settle-batch.ts). A batch starts as soon as the one
 * before it has committed, with whatever has arrived by then; it never waits
 * to fill, so a lone client sees the one-bill path's latency (a batch of one
 * is settled by that path). Two requests for the same patient, or with the
 * same facility and transaction id, never share a batch: the later one goes
 * into a later batch, in arrival order.
 */
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { settleBatch, type BatchItem } from './settle-batch.ts';
import { settleBill, type SettleOutcome, type SettleRequest, type SettlementDeps } from './settlement-service.ts';

export interface SettleBatcherOptions {
  /** The most bills in one batch (default 32). 1: every bill alone, as before group commit. */
  readonly maxBatch?: number;
  /**
   * Batches in flight at once (default 1): more split the waiting requests into
   * small batches, each paying a batch's fixed cost (about 1.7 ms of database CPU
   * whatever its size). Two batches never hold the same transaction.
   * bench:settle on the idle machine, PostgreSQL, three alternate rounds of
   * 2 (twice as many when few wait) against 1 (the same): settlements per
   * CPU-second 353/475/378 against 511/537/574 with 8 clients, 870/654/884
   * against 1,009/860/1,278 with 32 (docs/settle-performance.md, 2026-11-28).
   */
  readonly inFlight?: number;
  /**
   * Batches in flight at once while few requests wait (a quarter of maxBatch or
   * fewer; default twice inFlight): with few clients each waits for less, with
   * many the batches stay large. bench:settle, 8 and 32 clients, alternate runs:
   * ratios 0.18/0.13 against 0.10/0.11 with 8, 0.26/0.27 against 0.22/0.24 with 32.
   */
  readonly inFlightWhenFew?: number;
}

export interface SettleBatcher {
  settle(facility: FacilityRow, request: SettleRequest): Promise<SettleOutcome>;
}

interface Waiting extends BatchItem {
  /** keysOf's answer, worked out once on arrival (takeBatch reads it at every pass over the queue). */
  readonly keys: readonly [string, string];
  resolve(outcome: SettleOutcome): void;
  reject(error: unknown): void;
}

/** What two requests of batches in flight at once must not share: the patient as the hospital named them, and the transaction. */
function keysOf(item: BatchItem | Waiting): readonly [string, string] {
  return 'keys' in item ? item.keys : keysOfRequest(item);
}

function keysOfRequest(item: BatchItem): readonly [string, string] {
  const { request } = item;
  const patient = 'idNumber' in request.patient ? `i:${request.patient.idNumber.toUpperCase()}` : `q:${request.patient.qrToken}`;
  return [patient, `t:${item.facility.id}:${request.transactionId}`];
}

/**
 * Takes the next batch off the queue: up to `max` requests, no patient and no
 * transaction twice, none that a batch in flight holds (`busy`), in arrival order.
 */
export function takeBatch<T extends BatchItem>(queue: T[], max: number, busy: ReadonlySet<string> = new Set()): T[] {
  const batch: T[] = [];
  const taken = new Set<string>(busy);
  let kept = 0;
  for (const item of queue) {
    const keys = keysOf(item);
    if (batch.length < max && !keys.some((k) => taken.has(k))) batch.push(item);
    // Left for a later batch; a request after it for the same patient must not overtake it.
    else queue[kept++] = item;
    for (const k of keys) taken.add(k);
  }
  queue.length = kept;
  return batch;
}

export function settleBatcher(deps: SettlementDeps, options: SettleBatcherOptions = {}): SettleBatcher {
  const max = Math.max(1, options.maxBatch ?? 32);
  const slots = Math.max(1, options.inFlight ?? 1);
  const slotsWhenFew = Math.max(slots, options.inFlightWhenFew ?? 2 * slots);
  const queue: Waiting[] = [];
  let running = 0;
  /**
   * The transactions of the batches in flight: a retry of one waits for a later batch (and replays).
   * A patient of a batch in flight may be in the next one: the database serializes the two on the
   * patient's accumulator row, as it does two bills settled alone.
   */
  const held = new Set<string>();

  async function run(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await settleBill(deps, only.facility, only.request).then(only.resolve, only.reject);
      return;
    }
    const results = await settleBatch(deps, batch);
    results.forEach((r, k) => (r.ok ? batch[k]!.resolve(r.outcome) : batch[k]!.reject(r.error)));
  }

  function pump(): void {
    // Few waiting (a quarter of a batch or less): latency matters more than amortising, so more batches in flight, small ones.
    while (queue.length > 0 && (running < slots || (running < slotsWhenFew && queue.length <= Math.max(2, max >> 2)))) {
      const batch = takeBatch(queue, max, held);
      if (batch.length === 0) return;
      running += 1;
      const keys = batch.map((w) => w.keys[1]);
      for (const k of keys) held.add(k);
      run(batch)
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          running -= 1;
          for (const k of keys) held.delete(k);
          pump();
        });
    }
  }

  return {
    settle(facility, request) {
      if (max === 1) return settleBill(deps, facility, request);
      return new Promise<SettleOutcome>((resolve, reject) => {
        queue.push({ facility, request, keys: keysOfRequest({ facility, request }), resolve, reject });
        pump();
      });
    },
  };
}
