/**
 * `sanbao year …` run in this process on a test's database, as main runs it:
 * what it printed, and its exit code (a refused command: 2, one line on stderr).
 *
 *   const c = yearCli({ db: t.db, policies });
 *   expect(await c.run('archive', '2025')).toBe(2);
 *   expect(c.err).toEqual(['sanbao: YEAR_CURRENT: …']);
 */
import { yearCommand } from '../../src/cli/year-command.ts';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import type { Db } from '../../src/store/db.ts';
import { memoryIo, runCommand } from './cli.ts';

export function yearCli(deps: { db: Db; policies: PolicyRegistry }): { out: string[]; err: string[]; run: (...argv: string[]) => Promise<number> } {
  const { io, out, err } = memoryIo();
  return { out, err, run: (...argv) => runCommand(io, () => yearCommand(io, argv, undefined, deps)) };
}
