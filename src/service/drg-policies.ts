/** DRG payment policies from files (`drg/policies/*.yaml`), one per region and year. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { compileDrgPolicy, DrgPolicyError, type DrgPolicy } from '../domain/drg/drg-policy.ts';
import { invalid } from '../domain/errors.ts';

export const SHIPPED_DRG_POLICY_DIR = resolve(fileURLToPath(new URL('../../drg/policies', import.meta.url)));

export function drgPolicy(idOrPath: string, dir: string = SHIPPED_DRG_POLICY_DIR): DrgPolicy {
  const path = /^[a-z0-9][a-z0-9-]{1,40}$/.test(idOrPath) && existsSync(resolve(dir, `${idOrPath}.yaml`)) ? resolve(dir, `${idOrPath}.yaml`) : idOrPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw invalid('UNKNOWN_DRG_POLICY', `no DRG policy "${idOrPath}" (a file, or the id of one in ${dir})`, 'policy');
  }
  try {
    return compileDrgPolicy(parseYaml(text), path);
  } catch (error) {
    if (error instanceof DrgPolicyError) throw invalid('INVALID_DRG_POLICY', error.message, 'policy');
    throw invalid('INVALID_DRG_POLICY', `DRG policy ${path}: ${(error as Error).message.split('\n')[0]}`, 'policy');
  }
}

/** The shipped DRG policies: id, name and year of each. */
export function listDrgPolicies(dir: string = SHIPPED_DRG_POLICY_DIR): { id: string; name: string; year: number; table: string }[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => drgPolicy(resolve(dir, f)))
    .map((p) => ({ id: p.id, name: p.name, year: p.year, table: p.table }));
}
