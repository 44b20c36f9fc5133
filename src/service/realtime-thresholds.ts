/**
 * Real time records the thresholds it judges a year's bills with, once per
 * process (per database and loaded policies) and year, before the first bill
 * of that year it settles commits: the monthly run trusts real time's alerts
 * only for a year where every set recorded is its own
 * (store/repositories/realtime-thresholds.ts, docs/monitoring-run.md).
 */
import * as crypto from 'node:crypto';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { recordRealtimeThresholds } from '../store/repositories/realtime-thresholds.ts';
import { runThresholds } from './monitoring-run.ts';

/** Per database and registry (a reload makes a new one), the years recorded (true) or being recorded. */
const recorded = new WeakMap<Db, WeakMap<PolicyRegistry, Map<number, Promise<void> | true>>>();

/**
 * Resolves once the thresholds this process applies to the year's bills are recorded; undefined (nothing to wait
 * for) when they were already, which is every bill but the first of a year. A failed recording is tried again by the
 * next bill.
 */
export function realtimeThresholdsRecorded(deps: { readonly db: Db; readonly policies: PolicyRegistry }, year: number): Promise<void> | undefined {
  let byRegistry = recorded.get(deps.db);
  if (!byRegistry) recorded.set(deps.db, (byRegistry = new WeakMap()));
  let years = byRegistry.get(deps.policies);
  if (!years) byRegistry.set(deps.policies, (years = new Map()));
  const state = years.get(year);
  if (state === true) return undefined;
  if (state) return state;
  const thresholds = runThresholds(deps.policies, year);
  // No policy for the year: the bill is refused; nothing judged.
  if (thresholds.length === 0) return undefined;
  const json = JSON.stringify(thresholds);
  const hash = crypto.createHash('sha256').update(json).digest('hex');
  const done = recordRealtimeThresholds(deps.db, year, hash, json).then(
    () => void years.set(year, true),
    (error: unknown) => {
      years.delete(year);
      throw error;
    },
  );
  years.set(year, done);
  return done;
}
