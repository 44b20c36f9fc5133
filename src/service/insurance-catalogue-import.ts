/**
 * Loading a catalogue file (CSV or XLSX) for a region: every row checked
 * first; a file with bad rows, duplicate codes or overlapping validity is
 * refused whole with each row named, unless the caller asks to leave them out.
 * The region's list of that kind is replaced in one transaction, and audited.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkChronicTable } from '../domain/catalogue/chronic-diseases.ts';
import { checkItemTable } from '../domain/catalogue/item-rows.ts';
import { CatalogueFormatError, describeProblems, isRegion, type RowProblem } from '../domain/catalogue/table.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { replaceChronicDiseases } from '../store/repositories/catalogue-chronic.ts';
import { insertCatalogueImport, latestCatalogueImport } from '../store/repositories/catalogue-items.ts';
import { formatOfFile, readTable, type TableFormat } from './tabular.ts';
import { replaceItems } from '../store/repositories/catalogue-items.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export const CATALOGUE_KINDS = ['items', 'chronic'] as const;
export type CatalogueKind = (typeof CATALOGUE_KINDS)[number];

/** The catalogues shipped with Sanbao (illustrative; a bureau loads the real lists). */
export const REFERENCE_CATALOGUE_DIR = resolve(fileURLToPath(new URL('../../catalogues', import.meta.url)));

/** Largest catalogue file accepted, checked before it is unpacked or parsed (the national drug list is ~5 MB as CSV). */
export const MAX_CATALOGUE_BYTES = 64 * 1024 * 1024;

export interface CatalogueFile {
  readonly kind: CatalogueKind;
  readonly region: string;
  readonly fileName: string;
  readonly format: TableFormat;
  readonly content: Buffer;
}

export interface CatalogueCheck {
  readonly kind: CatalogueKind;
  readonly region: string;
  readonly rowsTotal: number;
  readonly rowsValid: number;
  readonly problems: readonly RowProblem[];
}

export interface CatalogueImportResult extends CatalogueCheck {
  readonly importId: number | null;
  readonly rowsLoaded: number;
  /** The same file was the last one loaded for the region: nothing changed. */
  readonly alreadyImported: boolean;
}

export class CatalogueRejected extends DomainError {
  constructor(readonly problems: readonly RowProblem[]) {
    super('unprocessable', 'CATALOGUE_REJECTED', `catalogue refused, nothing loaded: ${problems.length} bad row(s): ${describeProblems(problems)}`, 'file');
  }
}

/** Kind and region from a file named like the shipped ones: items-national.csv, chronic-540100.xlsx. */
export function catalogueFileFacts(name: string): { kind?: CatalogueKind; region?: string } {
  const m = /(?:^|[\\/])(items|chronic)-(national|\d{6})[^\\/]*\.(csv|xlsx|txt)$/i.exec(name);
  return m ? { kind: m[1]!.toLowerCase() as CatalogueKind, region: m[2]! } : {};
}

async function checkRows(file: CatalogueFile) {
  if (!(CATALOGUE_KINDS as readonly string[]).includes(file.kind)) throw invalid('UNKNOWN_KIND', `kind must be one of ${CATALOGUE_KINDS.join(', ')}`, 'kind');
  if (!isRegion(file.region)) throw invalid('INVALID_REGION', `region "${file.region}" is neither national nor a 6-digit division code`, 'region');
  if (file.content.length > MAX_CATALOGUE_BYTES) {
    throw invalid('FILE_TOO_LARGE', `the file is ${file.content.length} bytes, above the ${MAX_CATALOGUE_BYTES} accepted`, 'file');
  }
  const table = await readTable(file.content, file.format);
  try {
    return file.kind === 'items' ? checkItemTable(table, file.region) : checkChronicTable(table, file.region);
  } catch (error) {
    if (error instanceof CatalogueFormatError) throw invalid('INVALID_CATALOGUE', error.message, 'file');
    throw error;
  }
}

/** Checks a file without loading it. */
export async function checkCatalogueFile(file: CatalogueFile): Promise<CatalogueCheck> {
  const check = await checkRows(file);
  return { kind: file.kind, region: file.region, rowsTotal: check.rowsTotal, rowsValid: check.entries.length, problems: check.problems };
}

export async function importCatalogue(
  db: Db,
  file: CatalogueFile & { readonly skipBadRows: boolean; readonly actor: string },
): Promise<CatalogueImportResult> {
  const check = await checkRows(file);
  if (check.problems.length > 0 && !file.skipBadRows) throw new CatalogueRejected(check.problems);
  if (check.entries.length === 0) throw invalid('EMPTY_CATALOGUE', 'the catalogue has no valid rows: nothing to load', 'file');
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  const base = { kind: file.kind, region: file.region, rowsTotal: check.rowsTotal, rowsValid: check.entries.length, problems: check.problems };
  return db.transaction(async (tx) => {
    // Two loads of the same region's list serialize: the later one wins whole.
    await lockInSchema(tx, `catalogue:${file.kind}:${file.region}`);
    const latest = await latestCatalogueImport(tx, file.kind, file.region);
    if (latest && latest.file_sha256 === sha256 && latest.rows_loaded === check.entries.length) {
      return { ...base, importId: Number(latest.id), rowsLoaded: 0, alreadyImported: true };
    }
    const importId = await insertCatalogueImport(tx, {
      kind: file.kind, region: file.region, fileName: file.fileName, sha256, rowsTotal: check.rowsTotal,
      rowsLoaded: check.entries.length, skipped: check.problems, actor: file.actor,
    });
    if (file.kind === 'items') await replaceItems(tx, file.region, importId, check.entries as Parameters<typeof replaceItems>[3]);
    else await replaceChronicDiseases(tx, file.region, importId, check.entries as Parameters<typeof replaceChronicDiseases>[3]);
    await audit(tx, {
      actor: file.actor, action: 'catalogue.import', entity: 'catalogue', entityId: importId,
      detail: { kind: file.kind, region: file.region, file: file.fileName, rows: check.rowsTotal, loaded: check.entries.length, skipped: check.problems.length },
    });
    return { ...base, importId, rowsLoaded: check.entries.length, alreadyImported: false };
  });
}

/** Loads every shipped catalogue file (the demo, and a fresh service that has none). */
export async function importReferenceCatalogues(db: Db, actor = 'system', dir = REFERENCE_CATALOGUE_DIR): Promise<CatalogueImportResult[]> {
  const out: CatalogueImportResult[] = [];
  for (const name of readdirSync(dir).sort()) {
    const facts = catalogueFileFacts(name);
    if (!facts.kind || !facts.region) continue;
    const path = join(dir, name);
    out.push(await importCatalogue(db, {
      kind: facts.kind, region: facts.region, fileName: name, format: formatOfFile(name), content: readFileSync(path), skipBadRows: false, actor,
    }));
  }
  return out;
}
