/**
 * `sanbao catalogue import|list --kind diagnoses|procedures`: the code lists
 * (ICD-10 diagnoses, ICD-9-CM-3 procedures). The item catalogues (drugs,
 * services, consumables) and chronic diseases are in catalogue-command.ts, which hands these kinds here.
 */
import { describeRowProblems } from '../domain/catalogue/entries.ts';
import { CATALOGUE_KINDS, isCatalogueKindName, type CatalogueKindName } from '../domain/catalogue/kinds.ts';
import { importCatalogue } from '../service/catalogue-import.ts';
import { formatOfFile } from '../service/tabular.ts';
import { listCatalogueEntries } from '../store/repositories/catalogue-codes.ts';
import { options } from './args.ts';
import { withDatabase } from './database.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = `sanbao catalogue import --kind ${Object.keys(CATALOGUE_KINDS).join('|')} FILE [--skip-bad-rows] | list --kind K [--prefix P] [--json]`;

function kindOf(value: string | boolean | undefined): CatalogueKindName {
  if (typeof value !== 'string' || !isCatalogueKindName(value)) {
    throw new UsageError(`--kind must be one of ${Object.keys(CATALOGUE_KINDS).join(', ')} (usage: ${USAGE})`);
  }
  return value;
}


export async function codeListCommand(io: Io, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'import') {
    const { values, positionals } = options(rest, { kind: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' } }, USAGE);
    const kind = kindOf(values.kind);
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError(`catalogue import needs one FILE (usage: ${USAGE})`);
    const format = formatOfFile(file);
    const content = readInputFile(file);
    return withDatabase(async (db) => {
      const r = await importCatalogue(db, { kind, content, format, skipBadRows: values['skip-bad-rows'] ?? false, actor: 'cli' });
      io.out(`${kind}: ${r.rows} rows read, ${r.added} added, ${r.changed} changed, ${r.unchanged} unchanged${r.skipped.length ? `; ${r.skipped.length} bad rows left out: ${describeRowProblems(r.skipped)}` : ''}`);
      return EXIT_OK;
    });
  }
  if (sub === 'list') {
    const { values } = options(rest, { kind: { type: 'string' }, prefix: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
    const kind = kindOf(values.kind);
    const prefix = values.prefix;
    if (prefix !== undefined && !/^[0-9A-Za-z.]{1,16}$/.test(prefix)) throw new UsageError('--prefix is the start of a code: letters, digits and dots');
    return withDatabase(async (db) => {
      const entries = await listCatalogueEntries(db, CATALOGUE_KINDS[kind].kind, prefix ? { prefix } : {});
      if (values.json) io.out(JSON.stringify(entries, null, 2));
      else {
        for (const e of entries) {
          const validity = `${e.validFrom ?? '…'}–${e.validTo ?? '…'}`;
          io.out(`${e.code.padEnd(14)} ${validity.padEnd(23)} ${(e.flags.join('|') || '-').padEnd(14)} ${e.nameZh}${e.nameEn ? ` (${e.nameEn})` : ''}`);
        }
        io.out(`${entries.length} ${kind}`);
      }
      return EXIT_OK;
    });
  }
  throw new UsageError(`usage: ${USAGE}`);
}
