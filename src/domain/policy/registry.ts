/** Reads policy files from a folder: one file per region and year. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy } from './compile.ts';
import type { Policy } from './types.ts';

/** The folder of reference policies shipped with Sanbao. */
export const REFERENCE_POLICY_DIR = resolve(fileURLToPath(new URL('../../../policies', import.meta.url)));

const POLICY_FILE = /\.(ya?ml|json)$/i;

export class PolicyRegistry {
  private readonly byId = new Map<string, Policy>();
  /** forDivision's answers by year and division (a registry is never changed: a reload makes a new one). */
  private readonly byDivision = new Map<string, Policy | undefined>();

  constructor(policies: Iterable<Policy>) {
    for (const policy of policies) {
      const existing = this.byId.get(policy.id);
      if (existing) throw new Error(`policy "${policy.id}" is defined twice: ${existing.source} and ${policy.source}`);
      this.byId.set(policy.id, policy);
    }
  }

  get(id: string): Policy | undefined {
    return this.byId.get(id);
  }

  list(): Policy[] {
    return [...this.byId.values()].sort((a, b) => a.region.code.localeCompare(b.region.code) || a.year - b.year);
  }

  /**
   * The policy covering a division (6 to 12-digit GB/T 2260 code) in a year: a
   * province code (xx0000) covers its province, a prefecture code (xxxx00) its
   * prefecture, a county code its county; the most specific policy wins.
   */
  forDivision(divisionCode: string, year: number): Policy | undefined {
    // Asked twice per bill (the patient's division, the facility's); the registry never changes, so the answer is kept.
    const key = `${year}:${divisionCode}`;
    if (this.byDivision.has(key)) return this.byDivision.get(key);
    const found = this.findForDivision(divisionCode, year);
    if (this.byDivision.size >= 10_000) this.byDivision.clear();
    this.byDivision.set(key, found);
    return found;
  }

  private findForDivision(divisionCode: string, year: number): Policy | undefined {
    let best: Policy | undefined;
    let bestLength = 0;
    for (const p of this.byId.values()) {
      if (p.year !== year) continue;
      const prefix = regionPrefix(p.region.code);
      if (divisionCode.startsWith(prefix) && prefix.length > bestLength) {
        best = p;
        bestLength = prefix.length;
      }
    }
    return best;
  }
}

/** The meaningful prefix of a 6-digit region code: 540000 → 54, 540100 → 5401, 513330 → 513330. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code.slice(0, 6);
}

/** Reads one policy file; throws PolicyError naming the file and field. */
export function readPolicyFile(path: string): Policy {
  return compilePolicy(readFileSync(path, 'utf8'), path);
}

/** Reads every policy file of a folder (defaults to the reference policies). */
export function loadPolicies(dir: string = REFERENCE_POLICY_DIR): PolicyRegistry {
  const files = readdirSync(dir).filter((f) => POLICY_FILE.test(f)).sort();
  return new PolicyRegistry(files.map((f) => readPolicyFile(join(dir, f))));
}
