/**
 * Whether any loaded policy covers the bureau's current year. Without one, nobody
 * can be enrolled for it, every bill dated in it is refused, and its monthly
 * monitoring run does not run. The service says so once at start (and once when the
 * year turns), with what to do — never as a warning every job repeats.
 */
import { bureauDate } from '../bureau-time.ts';
import type { PolicyRegistry } from './registry.ts';

/**
 * The one warning for a current year (Beijing time) no policy covers: the years
 * the loaded policies do cover, where the year's file goes and how to check it.
 * Undefined when a policy covers this year.
 */
export function policyYearWarning(policies: PolicyRegistry, policyDir: string, now: Date): string | undefined {
  const today = bureauDate(now);
  const year = Number(today.slice(0, 4));
  const loaded = policies.list();
  if (loaded.some((p) => p.year === year)) return undefined;
  const covered = loaded.length === 0 ? 'no policy is loaded' : `the policies loaded cover ${[...new Set(loaded.map((p) => p.year))].sort().join(', ')} (${loaded.map((p) => p.id).join(', ')})`;
  return (
    `no policy covers ${year} (today is ${today}, Beijing time; ${covered}). ` +
    `Nobody can be enrolled for ${year}, so bills dated ${year} are refused (422), and the monthly monitoring run of ${year} does not run; ` +
    `earlier years work as before. Add the bureau's ${year} policy file to ${policyDir} (or set SANBAO_POLICY_DIR), ` +
    `check it with: npx sanbao policy check FILE — then restart the service.`
  );
}
