/**
 * `sanbao division …` and `sanbao household import …`: setting up a real
 * county without the demo — its divisions, then its household register —
 * through the same services as the console.
 */
import { basename } from 'node:path';
import { importDivisions } from '../service/division-import.ts';
import { importHouseholds } from '../service/household-import.ts';
import { formatOfFile } from '../service/tabular.ts';
import { listDivisions } from '../store/repositories/divisions.ts';
import { divisionOf, options } from './args.ts';
import { withDatabase } from './database.ts';
import { CLI_ACTOR } from './enrollment-commands.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

const DIVISION_USAGE = 'sanbao division import FILE [--dry-run] [--skip-bad-rows] | sanbao division list [--division CODE]';
const HOUSEHOLD_USAGE = 'sanbao household import FILE [--dry-run] [--skip-bad-rows] [--correct-register]';


/** Runs an import with a progress bar that gives way to the one error line when the import is refused. */
async function withProgress<T>(work: (onProgress: (stage: string, done: number, total: number) => void) => Promise<T>): Promise<T> {
  const progress = progressBar();
  try {
    const result = await work((stage, done, total) => progress.update(stage, done, total));
    progress.finish();
    return result;
  } catch (error) {
    progress.abandon();
    throw error;
  }
}

export async function divisionCommand(io: Io, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = options(rest, { division: { type: 'string' } }, DIVISION_USAGE);
    return withDatabase(async (db) => {
      for (const d of await listDivisions(db, divisionOf(values.division) ?? null)) {
        io.out(`${'  '.repeat(d.level - 1)}${d.code}  ${d.name}${d.name_bo ? `  ${d.name_bo}` : ''}${d.name_en ? `  (${d.name_en})` : ''}`);
      }
      return EXIT_OK;
    });
  }
  if (sub !== 'import') throw new UsageError(`usage: ${DIVISION_USAGE}`);
  const { values, positionals } = options(rest, { 'dry-run': { type: 'boolean' }, 'skip-bad-rows': { type: 'boolean' } }, DIVISION_USAGE);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`give one file (usage: ${DIVISION_USAGE})`);
  const format = formatOfFile(file);
  const content = readInputFile(file);
  return withDatabase(async (db) => {
    const r = await withProgress((onProgress) => importDivisions(db, {
      fileName: basename(file), format, content, scope: null, skipBadRows: values['skip-bad-rows'] === true, dryRun: values['dry-run'] === true,
      actor: CLI_ACTOR, onProgress,
    }));
    io.out(`${r.dryRun ? 'dry run, nothing written: ' : ''}${r.rowsImported} of ${r.rowsTotal} rows: ${r.added} divisions added, ${r.renamed} renamed, ${r.unchanged} unchanged`);
    for (const p of r.skipped) io.out(`  skipped row ${p.row}: ${p.reason}`);
    return EXIT_OK;
  });
}

export async function householdImportCommand(io: Io, args: string[]): Promise<number> {
  const { values, positionals } = options(args, {
    'dry-run': { type: 'boolean' }, 'skip-bad-rows': { type: 'boolean' }, 'correct-register': { type: 'boolean' },
  }, HOUSEHOLD_USAGE);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`give one file (usage: ${HOUSEHOLD_USAGE})`);
  const format = formatOfFile(file);
  const content = readInputFile(file);
  return withDatabase(async (db) => {
    const r = await withProgress((onProgress) => importHouseholds(db, {
      fileName: basename(file), format, content, scope: null, skipBadRows: values['skip-bad-rows'] === true, dryRun: values['dry-run'] === true,
      correctRegister: values['correct-register'] === true, actor: CLI_ACTOR, onProgress,
    }));
    io.out(`${r.dryRun ? 'dry run, nothing written: ' : ''}${r.rowsImported} of ${r.rowsTotal} rows: ${r.householdsAdded} households added` +
      `${r.householdsMoved ? `, ${r.householdsMoved} moved` : ''}, ${r.personsAdded} people added, ${r.personsChanged} changed, ${r.unchanged} unchanged`);
    for (const p of r.skipped) io.out(`  skipped row ${p.row}: ${p.reason}`);
    return EXIT_OK;
  });
}
