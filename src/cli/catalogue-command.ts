/**
 * `sanbao catalogue import|check|list`: the medical-insurance catalogues
 * (items: drugs, service items, consumables; chronic: chronic/special and rare
 * diseases) from CSV or XLSX files, one region per file; `--kind diagnoses|procedures`
 * goes to the code lists (catalogue-codes-command.ts). Callers of the same services as the API.
 */
import { basename } from 'node:path';
import { ITEM_CLASSES, ITEM_KINDS, type ItemClass, type ItemKind } from '../domain/catalogue/items.ts';
import { describeProblems } from '../domain/catalogue/table.ts';
import { formatPercent } from '../domain/money.ts';
import { SCHEMES, type Scheme } from '../domain/vocabulary.ts';
import { CATALOGUE_KINDS, catalogueFileFacts, checkCatalogueFile, importCatalogue, type CatalogueKind } from '../service/insurance-catalogue-import.ts';
import { formatOfFile } from '../service/tabular.ts';
import { listChronicDiseases } from '../store/repositories/catalogue-chronic.ts';
import { listItems } from '../store/repositories/catalogue-items.ts';
import { options } from './args.ts';
import { withDatabase } from './database.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';
import { isCatalogueKindName } from '../domain/catalogue/kinds.ts';
import { codeListCommand } from './catalogue-codes-command.ts';

const USAGE = `sanbao catalogue import|list --kind diagnoses|procedures …  (the code lists)
  sanbao catalogue import FILE [--kind items|chronic] [--region national|CODE] [--skip-bad-rows]
  sanbao catalogue check FILE [--kind items|chronic] [--region national|CODE]
  sanbao catalogue list [--kind items|chronic] [--region R] [--date YYYY-MM-DD | --all] [--item-kind K] [--class A|B|C] [--scheme resident|employee] [--format json|table]`;

function fileArgs(positionals: string[], values: { kind?: string | boolean | undefined; region?: string | boolean | undefined }) {
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`give one catalogue file (usage: ${USAGE})`);
  const facts = catalogueFileFacts(file);
  const kind = (typeof values.kind === 'string' ? values.kind : facts.kind) ?? 'items';
  if (!(CATALOGUE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${CATALOGUE_KINDS.join(', ')}`);
  const region = typeof values.region === 'string' ? values.region : facts.region;
  if (!region) throw new UsageError('give --region national or a 6-digit division code (or name the file like items-540000.csv)');
  const content = readInputFile(file);
  return { kind: kind as CatalogueKind, region, fileName: basename(file), format: formatOfFile(file), content };
}

export async function catalogueCommand(io: Io, args: string[]): Promise<number> {
  const kindAt = args.indexOf('--kind');
  if (kindAt >= 0 && isCatalogueKindName(args[kindAt + 1] ?? '')) return codeListCommand(io, args);
  const [sub, ...rest] = args;
  const { values, positionals } = options(rest, {
    kind: { type: 'string' }, region: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' }, date: { type: 'string' }, all: { type: 'boolean' },
    'item-kind': { type: 'string' }, class: { type: 'string' }, scheme: { type: 'string' }, format: { type: 'string' },
  }, USAGE);
  switch (sub) {
    case 'check': {
      const file = fileArgs(positionals, values);
      const check = await checkCatalogueFile(file);
      if (check.problems.length > 0) {
        throw new UsageError(`${file.fileName}: ${check.problems.length} bad row(s) of ${check.rowsTotal}: ${describeProblems(check.problems)}`);
      }
      io.out(`${file.fileName}: ${check.rowsTotal} row(s), all valid (${check.kind}, region ${check.region})`);
      return EXIT_OK;
    }
    case 'import': {
      const file = fileArgs(positionals, values);
      const progress = progressBar();
      progress.update('catalogue', 0, 1);
      return withDatabase(async (db) => {
        const result = await importCatalogue(db, { ...file, skipBadRows: values['skip-bad-rows'] === true, actor: 'cli' }).then(
          (r) => (progress.update('catalogue', 1, 1), progress.finish(), r),
          (error: unknown) => {
            progress.abandon();
            throw error;
          },
        );
        if (result.alreadyImported) {
          io.out(`${file.fileName}: already loaded for ${result.region} (import #${result.importId}); nothing changed`);
        } else {
          io.out(`${file.fileName}: loaded ${result.rowsLoaded} ${result.kind} entr${result.rowsLoaded === 1 ? 'y' : 'ies'} for ${result.region} (import #${result.importId})` +
            (result.problems.length > 0 ? `; skipped ${result.problems.length}: ${describeProblems(result.problems)}` : ''));
        }
        return EXIT_OK;
      });
    }
    case 'list':
      return listCommand(io, values);
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}

type ListValues = Record<string, string | boolean | undefined>;

async function listCommand(io: Io, values: ListValues): Promise<number> {
  const kind = typeof values.kind === 'string' ? values.kind : 'items';
  if (!(CATALOGUE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${CATALOGUE_KINDS.join(', ')}`);
  const format = typeof values.format === 'string' ? values.format : 'table';
  if (format !== 'json' && format !== 'table') throw new UsageError('--format must be json or table');
  const date = values.all === true ? undefined : typeof values.date === 'string' ? values.date : new Date().toISOString().slice(0, 10);
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError('--date must be a date as YYYY-MM-DD');
  const region = typeof values.region === 'string' ? values.region : undefined;
  const scheme = (typeof values.scheme === 'string' ? values.scheme : 'resident') as Scheme;
  if (!SCHEMES.includes(scheme)) throw new UsageError(`--scheme must be one of ${SCHEMES.join(', ')}`);
  const itemKind = values['item-kind'];
  if (itemKind !== undefined && !(ITEM_KINDS as readonly unknown[]).includes(itemKind)) throw new UsageError(`--item-kind must be one of ${ITEM_KINDS.join(', ')}`);
  const cls = values.class;
  if (cls !== undefined && !(ITEM_CLASSES as readonly unknown[]).includes(cls)) throw new UsageError('--class must be A, B or C');
  return withDatabase(async (db) => {
    if (kind === 'chronic') {
      const diseases = await listChronicDiseases(db, { region, date });
      if (format === 'json') {
        io.out(JSON.stringify(diseases.map((d) => ({
          region: d.region, code: d.code, name: d.name, class: d.class, schemes: d.schemes, icd10: d.icd10, yearlyLimit: d.yearlyLimit,
          rare: d.rare, validFrom: d.validFrom, validTo: d.validTo,
        }))));
      } else {
        for (const d of diseases) {
          io.out(`${d.region.padEnd(8)} ${d.code.padEnd(8)} ${d.class} ${d.schemes.join('+').padEnd(17)} ${d.icd10.join(' ').padEnd(16)} ${String(d.yearlyLimit).padStart(9)} ${d.validFrom}–${d.validTo ?? ''} ${d.rare ? 'rare ' : ''}${d.name}`);
        }
      }
      return EXIT_OK;
    }
    const items = await listItems(db, { region, date, kind: itemKind as ItemKind | undefined, class: cls as ItemClass | undefined });
    if (format === 'json') {
      io.out(JSON.stringify(items.map((i) => ({
        code: i.code, name: i.name, kind: i.kind, class: i.class, selfPayFirst: formatPercent(i.selfPayFirst[scheme]), priceCap: i.priceCap,
      }))));
    } else {
      for (const i of items) {
        io.out(`${i.region.padEnd(8)} ${i.code.padEnd(18)} ${i.kind.padEnd(13)} ${i.class} ${formatPercent(i.selfPayFirst[scheme]).padStart(4)} ${String(i.priceCap ?? '-').padStart(8)} ${i.validFrom}–${i.validTo ?? ''} ${i.name}`);
      }
    }
    return EXIT_OK;
  });
}
