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
}

export interface SettleBatcher {
  settle(facility: FacilityRow, request: SettleRequest): Promise<SettleOutcome>;
}

interface Waiting extends BatchItem {
  resolve(outcome: SettleOutcome): void;
  reject(error: unknown): void;
}

/** The key two requests of one batch must not share: the patient as the hospital named them. */
function patientKey(request: SettleRequest): string {
  return 'idNumber' in request.patient ? `i:${request.patient.idNumber.toUpperCase()}` : `q:${request.patient.qrToken}`;
}

/** Takes the next batch off the queue: up to `max` requests, no patient and no transaction id twice, in arrival order. */
export function takeBatch<T extends BatchItem>(queue: T[], max: number): T[] {
  const batch: T[] = [];
  const patients = new Set<string>();
  const transactions = new Set<string>();
  let kept = 0;
  for (const item of queue) {
    const patient = patientKey(item.request);
    const transaction = `${item.facility.id}:${item.request.transactionId}`;
    if (batch.length < max && !patients.has(patient) && !transactions.has(transaction)) {
      batch.push(item);
      patients.add(patient);
      transactions.add(transaction);
    } else {
      // Left for a later batch; a request after it for the same patient must not overtake it.
      patients.add(patient);
      transactions.add(transaction);
      queue[kept++] = item;
    }
  }
  queue.length = kept;
  return batch;
}

export function settleBatcher(deps: SettlementDeps, options: SettleBatcherOptions = {}): SettleBatcher {
  const max = Math.max(1, options.maxBatch ?? 32);
  const queue: Waiting[] = [];
  let busy = false;

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
    if (busy || queue.length === 0) return;
    busy = true;
    const batch = takeBatch(queue, max);
    run(batch)
      .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
      .finally(() => {
        busy = false;
        pump();
      });
  }

  return {
    settle(facility, request) {
      if (max === 1) return settleBill(deps, facility, request);
      return new Promise<SettleOutcome>((resolve, reject) => {
        queue.push({ facility, request, resolve, reject });
        pump();
      });
    },
  };
}
