/** `sanbao quote`, `sanbao policies`, `sanbao policy check FILE`. */
import { existsSync } from 'node:fs';
import { formatYuan } from '../domain/money.ts';
import { parseQuote, quote } from '../domain/engine/quote.ts';
import { loadPolicies, readPolicyFile } from '../domain/policy/registry.ts';
import { EXIT_OK, parseJson, UsageError, type Io } from './io.ts';

export async function quoteCommand(io: Io, policyDir?: string): Promise<number> {
  const request = parseQuote(parseJson(await io.stdin(), 'quote'));
  const settlement = quote(loadPolicies(policyDir), request);
  io.out(JSON.stringify(settlement, null, 2));
  return EXIT_OK;
}

export function policiesCommand(io: Io, policyDir?: string, json = false): number {
  const policies = loadPolicies(policyDir).list();
  if (json) {
    io.out(JSON.stringify(policies.map((p) => ({ id: p.id, region: p.region, year: p.year, name: p.name })), null, 2));
    return EXIT_OK;
  }
  for (const p of policies) {
    const tier = p.enrollment.tiers[0];
    io.out(`${p.id.padEnd(12)} ${p.region.code} ${String(p.year)}  contribution ${tier ? formatYuan(tier.contribution) : '-'} yuan  ${p.name.en}`);
  }
  return EXIT_OK;
}

export function policyCheckCommand(io: Io, file: string | undefined): number {
  if (!file) throw new UsageError('policy check: name the policy file to check');
  if (!existsSync(file)) throw new UsageError(`policy check: no file ${file}`);
  const policy = readPolicyFile(file);
  // Periods were checked for overlaps and gaps when the file was read; name them when the rules change in the year.
  const periods = policy.periods.length > 1 ? `; rules from ${policy.periods.map((p) => p.from).join(', ')} by ${policy.ruleDate} date` : '';
  io.out(`${file}: ok (${policy.id}, ${policy.region.name}, ${policy.year})${periods}`);
  return EXIT_OK;
}
