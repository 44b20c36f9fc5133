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

  /** The policy of a region (6-digit code prefix) for a year, if any. */
  forRegion(regionCode: string, year: number): Policy | undefined {
    return this.list().find((p) => p.year === year && regionCode.startsWith(p.region.code.replace(/0+$/, '')));
  }
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
