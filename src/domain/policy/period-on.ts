/** Which of a policy's rule periods is in force on a date (no parsing: the engine imports only this). */
import type { RulePeriod } from './types.ts';

/** The period in force on a date (inside the policy's year); the last one starting on or before it. */
export function periodOn(periods: readonly RulePeriod[], date: string): RulePeriod {
  let found = periods[0]!;
  for (let i = 1; i < periods.length; i++) if (periods[i]!.from <= date) found = periods[i]!;
  return found;
}
