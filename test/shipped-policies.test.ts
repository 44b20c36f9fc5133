/**
 * The policies shipped in policies/ (what a bureau edits): each loads, and
 * `sanbao policy check` passes on it. Every other test uses its own copies
 * under test/fixtures/policies, so an edit here never breaks them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { Io } from '../src/cli/io.ts';
import { loadPolicies, REFERENCE_POLICY_DIR } from '../src/domain/policy/registry.ts';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line: string) => void stdout.push(line),
    err: (line: string) => void stderr.push(line),
    stdin: async () => '',
  };
}

const files = readdirSync(REFERENCE_POLICY_DIR).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();

describe('the shipped policies', () => {
  it('are there, and load together as one registry', () => {
    expect(files.length).toBeGreaterThan(0);
    const registry = loadPolicies(REFERENCE_POLICY_DIR);
    expect(registry.list()).toHaveLength(files.length);
    for (const p of registry.list()) expect(p.from <= p.to).toBe(true);
  });

  it.each(files)('%s passes sanbao policy check', async (file) => {
    const io = capture();
    const path = join(REFERENCE_POLICY_DIR, file);
    const code = await main(['policy', 'check', path], io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/: ok \(/);
  });
});
