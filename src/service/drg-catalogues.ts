/**
 * The code lists and group table the DRG services work with. Code lists come
 * from the database (imported by `sanbao catalogue import`), read again at
 * most once a minute, so a busy HIS does not reload them for every abstract.
 */
import type { Catalogues } from '../domain/drg/quality.ts';
import type { GroupTable } from '../domain/drg/table.ts';
import type { Queryable } from '../store/db.ts';
import { loadCatalogue } from './catalogue-import.ts';
import type { DrgPolicy } from '../domain/drg/drg-policy.ts';
import { drgPolicy, SHIPPED_DRG_POLICY_DIR } from './drg-policies.ts';
import { groupTable } from './drg-tables.ts';

export interface DrgContext {
  catalogues(): Promise<Catalogues>;
  table(idOrPath?: string): GroupTable;
  /** A DRG policy by id, from the context's folder of DRG policies. */
  policy(id: string): DrgPolicy;
  readonly policyDir: string;
}

export function drgContext(q: Queryable, options: { ttlMs?: number; defaultTable?: string; policyDir?: string } = {}): DrgContext {
  const { ttlMs = 60_000, defaultTable, policyDir = SHIPPED_DRG_POLICY_DIR } = options;
  let cached: { value: Catalogues; until: number } | null = null;
  const tables = new Map<string, GroupTable>();
  return {
    policyDir,
    policy: (id) => drgPolicy(id, policyDir),
    async catalogues() {
      const now = Date.now();
      if (cached && cached.until > now) return cached.value;
      const value = { diagnoses: await loadCatalogue(q, 'diagnoses'), procedures: await loadCatalogue(q, 'procedures') };
      cached = { value, until: now + ttlMs };
      return value;
    },
    table(idOrPath = defaultTable) {
      const key = idOrPath ?? '';
      let t = tables.get(key);
      if (!t) {
        t = groupTable(idOrPath);
        tables.set(key, t);
      }
      return t;
    },
  };
}
