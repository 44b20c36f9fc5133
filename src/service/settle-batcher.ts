/**
 * Gathers the settle requests that arrive while a batch is in flight and
 * settles them together (settle-batch.ts). A batch starts as soon as a slot is
 * free, with whatever has arrived by then, except just after a burst: when
 * fewer requests wait than the last batches answered (clients in a loop send
 * their next bill as soon as they have their answer), it waits up to
 * `gatherMs` for them to come, so one batch holds them instead of a batch of
 * one and then another of the rest. A lone client never waits (one answered,
 * one expected). A batch of one is settled by the one-bill path. Two requests
 * for the same patient, or with the same facility and transaction id, never
 * share a batch: the later one goes into a later batch, in arrival order.
 */
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { settleBatch, type BatchItem } from './settle-batch.ts';
import { settleBill, type SettleOutcome, type SettleRequest, type SettlementDeps } from './settlement-service.ts';

export interface SettleBatcherOptions {
  /** The most bills in one batch (default 32). 1: every bill alone, as before group commit. */
  readonly maxBatch?: number;
  /**
   * Batches in flight at once (default 2): while one waits for its COMMIT to
   * reach the disk, the next locks, computes and writes. More split the waiting
   * requests into small batches, each paying a batch's fixed cost (about 1.7 ms
   * of database CPU whatever its size). Two batches never hold the same transaction.
   */
  readonly inFlight?: number;
  /**
   * The longest a request waits for the others the last batches lead us to
   * expect (default 2 ms; 0: never waits). bench:settle, 8 clients, PostgreSQL,
   * alternate rounds on the idle machine: 921/956 settle/s with it against
   * 645/811 without (docs/settle-performance.md, 2026-11-28).
   */
  readonly gatherMs?: number;
}

export interface SettleBatcher {
  settle(facility: FacilityRow, request: SettleRequest): Promise<SettleOutcome>;
}

interface Waiting extends BatchItem {
  /** performance.now() on arrival. */
  readonly at: number;
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
  const slots = Math.max(1, options.inFlight ?? 2);
  const gatherMs = Math.max(0, options.gatherMs ?? 2);
  const queue: Waiting[] = [];
  let running = 0;
  /**
   * The transactions of the batches in flight: a retry of one waits for a later batch (and replays).
   * A patient of a batch in flight may be in the next one: the database serializes the two on the
   * patient's accumulator row, as it does two bills settled alone.
   */
  const held = new Set<string>();
  /** Bills in the batches in flight. */
  let runningBills = 0;
  /** How many requests the clients are expected to send together: those answered by the batch that last committed and those still in flight then. */
  let expected = 1;
  let gathering: NodeJS.Timeout | null = null;

  async function run(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await settleBill(deps, only.facility, only.request).then(only.resolve, only.reject);
      return;
    }
    const results = await settleBatch(deps, batch);
    results.forEach((r, k) => (r.ok ? batch[k]!.resolve(r.outcome) : batch[k]!.reject(r.error)));
  }

  /** Whether to wait a little longer for the requests the last batches lead us to expect. */
  function stillGathering(): boolean {
    if (gatherMs === 0 || queue.length >= Math.min(expected, max)) return false;
    const left = queue[0]!.at + gatherMs - performance.now();
    if (left <= 0) return false;
    gathering ??= setTimeout(() => {
      gathering = null;
      pump();
    }, left);
    return true;
  }

  function pump(): void {
    while (queue.length > 0 && running < slots && !stillGathering()) {
      const batch = takeBatch(queue, max, held);
      if (batch.length === 0) return;
      if (gathering) {
        clearTimeout(gathering);
        gathering = null;
      }
      running += 1;
      runningBills += batch.length;
      const keys = batch.map((w) => w.keys[1]);
      for (const k of keys) held.add(k);
      run(batch)
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          running -= 1;
          runningBills -= batch.length;
          expected = batch.length + runningBills;
          for (const k of keys) held.delete(k);
          pump();
        });
    }
  }

  return {
    settle(facility, request) {
      if (max === 1) return settleBill(deps, facility, request);
      return new Promise<SettleOutcome>((resolve, reject) => {
        queue.push({ facility, request, keys: keysOfRequest({ facility, request }), at: performance.now(), resolve, reject });
        pump();
      });
    },
  };
}
