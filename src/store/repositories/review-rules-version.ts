/**
 * The claim-review rules as the settle statements read them, without sending
 * them on every bill: each statement reads the rules' version — every rule's id
 * and the transaction that wrote its row version (xmin), in id order — and the
 * rules themselves only when that version is not the one the caller already
 * holds. Any change to a rule (insert, update, delete) commits a row version
 * with another xmin, or removes an id, so the version read in the statement's
 * snapshot differs whenever the rules the statement would read differ: a rule
 * switched off still counts from the next bill, as when the rules were read
 * every time. The rules as JSON cost the server about 0.15 ms a statement
 * (docs/settle-performance.md) and the service their parsing.
 *
 * The rules held are kept per database handle (a WeakMap keyed by the caller's
 * Db): two databases never share them, even with equal versions.
 */
import type { StoredRule } from './review-flags.ts';

/** The rules a caller holds and their version; `version` undefined: none held yet. */
export interface RulesHeld {
  version: string | null | undefined;
  rules: StoredRule[];
}

const HELD = new WeakMap<object, RulesHeld>();

/** The rules held for this database handle (made empty on first use). */
export function rulesHeldFor(db: object): RulesHeld {
  let held = HELD.get(db);
  if (held === undefined) HELD.set(db, (held = { version: undefined, rules: [] }));
  return held;
}

/** A CTE `rv` holding the rules' version (in the statement's snapshot). */
export const RULES_VERSION_CTE = `rv AS (SELECT string_agg(r.id || ':' || r.xmin::text, ',' ORDER BY r.id) AS v FROM review_rules r)`;

/**
 * What a statement asks for: `param`, the version held when it is sent (or
 * '#none': every version has a colon), and `rulesOf`, the rules its row stands
 * for — those it sent (then held from now on), or the ones held when it was sent
 * (two statements in flight may each change what is held meanwhile).
 */
export function askRules(held: RulesHeld | undefined): { param: string; rulesOf: (row: Record<string, unknown>) => StoredRule[] } {
  const sent = held === undefined ? undefined : { version: held.version, rules: held.rules };
  return {
    param: sent?.version ?? '#none',
    rulesOf: (row) => {
      const version = (row.rules_version as string | null | undefined) ?? null;
      if (row.rules !== null && row.rules !== undefined) {
        const rules = row.rules as StoredRule[];
        if (held) {
          held.version = version;
          held.rules = rules;
        }
        return rules;
      }
      // Not sent: the version was the one held (never NULL: with an empty rule table the version is NULL and '[]' is sent).
      if (sent === undefined || version === null || sent.version !== version) throw new Error('claim-review rules not sent although their version is not the one held');
      return sent.rules;
    },
  };
}
