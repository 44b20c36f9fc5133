/**
 * `sanbao demo [--size small|full] [--seed N] [--year Y]`: a synthetic county
 * shaped like Dege, reproducible from its seed, loaded into the configured
 * database (DATABASE_URL, or PGlite in SANBAO_DATA_DIR) with demo staff.
 */
import { loadDemo } from '../demo/demo.ts';
import { FULL_DEMO, SMALL_DEMO } from '../demo/generate.ts';
import { hasPersons } from '../demo/load.ts';
import { DEMO_PASSWORD } from '../demo/staff.ts';
import { loadPolicies } from '../domain/policy/registry.ts';
import { options } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

const USAGE = 'sanbao demo [--size small|full] [--seed N] [--year Y]';

export async function demoCommand(io: Io, args: string[], policyDir: string | undefined): Promise<number> {
  const { values, positionals } = options(args, { size: { type: 'string' }, seed: { type: 'string' }, year: { type: 'string' } }, USAGE);
  if (positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const size = values.size ?? 'small';
  if (size !== 'small' && size !== 'full') throw new UsageError(`--size must be small or full, not "${size}"`);
  const base = size === 'full' ? FULL_DEMO : SMALL_DEMO;
  const seed = values.seed === undefined ? base.seed : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('--seed must be a whole number');
  const year = values.year === undefined ? base.year : Number(values.year);
  if (!/^\d{4}$/.test(String(year))) throw new UsageError('--year must be a year such as 2025');
  const policies = loadPolicies(policyDir);
  const demo = { ...base, seed, year };
  return withDatabase(async (db) => {
    if (await hasPersons(db)) {
      throw new UsageError('the database already holds people: the demo loads only into an empty one (set SANBAO_DATA_DIR to a new folder, or another DATABASE_URL)');
    }
    const started = performance.now();
    const progress = progressBar();
    const { county, bills } = await loadDemo(db, policies, demo, (stage, done, total) => progress.update(stage, done, total)).finally(() =>
      progress.finish(),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(`demo county ${demo.countyName} (${size}, seed ${seed}, ${year}): ${county.persons.length.toLocaleString('en')} people in ` +
      `${county.households.length.toLocaleString('en')} households, ${demo.townships} townships, ${county.identities.length.toLocaleString('en')} identities, ${bills} bills settled (${seconds} s)`);
    io.out(`demo staff: admin, clerk, station1, civil, rural, auditor — password ${DEMO_PASSWORD}`);
    io.out(`next: sanbao report coverage --year ${year}   |   sanbao campaign status --year ${year}   |   npm start`);
    return EXIT_OK;
  }, { mayCreate: true });
}
