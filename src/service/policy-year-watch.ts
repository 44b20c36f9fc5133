/**
 * Says once when no policy covers the bureau's current year: at start (returned,
 * for `sanbao serve` to print among its start-up lines — not logged as well), and
 * again, through `warn`, only when the year turns (checked hourly) into an uncovered one.
 */
import { bureauYear } from '../domain/bureau-time.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { policyYearWarning } from '../domain/policy/year-coverage.ts';

export interface PolicyYearWatch {
  /** The warning given at start, if any (printed by `sanbao serve` beside the other start-up lines). */
  readonly warning: string | undefined;
  stop(): void;
}

export function watchPolicyYear(deps: {
  readonly policies: PolicyRegistry;
  readonly policyDir: string;
  readonly warn: (message: string) => void;
  readonly now?: () => Date;
  readonly intervalMs?: number;
}): PolicyYearWatch {
  const now = deps.now ?? (() => new Date());
  let checkedYear = bureauYear(now());
  const warning = policyYearWarning(deps.policies, deps.policyDir, now());
  const timer = setInterval(() => {
    const at = now();
    if (bureauYear(at) === checkedYear) return;
    checkedYear = bureauYear(at);
    const turned = policyYearWarning(deps.policies, deps.policyDir, at);
    if (turned) deps.warn(turned);
  }, deps.intervalMs ?? 3_600_000);
  timer.unref();
  return { warning, stop: () => clearInterval(timer) };
}
