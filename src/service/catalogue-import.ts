/**
 * Code lists from files (CSV or XLSX through the shared reader): every row
 * checked; a file with bad rows is refused whole, each row named, unless the
 * caller asks to leave them out. Re-importing the same list changes nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalogue, describeRowProblems, readCatalogueRows, type RowProblem } from '../domain/catalogue/entries.ts';
import { CATALOGUE_KINDS, type CatalogueKindName } from '../domain/catalogue/kinds.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { listCatalogueEntries, upsertCatalogueEntries } from '../store/repositories/catalogue-codes.ts';
import { parseCsv, readTable, type TableFormat } from './tabular.ts';

/** The small illustrative lists shipped with Sanbao (`catalogues/`); a bureau imports the official ones. */
export const SHIPPED_CATALOGUE_DIR = resolve(fileURLToPath(new URL('../../catalogues', import.meta.url)));

export class CatalogueRejected extends DomainError {
  constructor(readonly problems: readonly RowProblem[]) {
    super('unprocessable', 'CATALOGUE_REJECTED', `code list refused, nothing imported: ${problems.length} bad row(s): ${describeRowProblems(problems)}`, 'file');
  }
}

export interface CatalogueImportResult {
  readonly kind: CatalogueKindName;
  readonly rows: number;
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly skipped: readonly RowProblem[];
}

export async function importCatalogue(
  db: Db,
  request: { kind: CatalogueKindName; content: Buffer; format: TableFormat; skipBadRows: boolean; actor: string },
): Promise<CatalogueImportResult> {
  const kind = CATALOGUE_KINDS[request.kind];
  const table = await readTable(request.content, request.format);
  const { entries, problems } = readCatalogueRows(kind, table);
  if (problems.some((p) => p.row === 1)) throw invalid('INVALID_CATALOGUE', describeRowProblems(problems), 'file');
  if (problems.length > 0 && !request.skipBadRows) throw new CatalogueRejected(problems);
  if (entries.length === 0) throw invalid('EMPTY_CATALOGUE', 'the file has no valid rows: nothing to import', 'file');
  return db.transaction(async (tx) => {
    const effect = await upsertCatalogueEntries(tx, kind.kind, entries);
    if (effect.added + effect.changed > 0) {
      await audit(tx, { actor: request.actor, action: 'catalogue.import', entity: 'catalogue', entityId: kind.kind, detail: { rows: entries.length, skipped: problems.length, ...effect } });
    }
    return { kind: request.kind, rows: entries.length, ...effect, skipped: problems };
  });
}

/** The list of a kind as held in the database. */
export async function loadCatalogue(q: Queryable, kindName: CatalogueKindName): Promise<Catalogue> {
  const kind = CATALOGUE_KINDS[kindName];
  return new Catalogue(kind, await listCatalogueEntries(q, kind.kind));
}

/** The shipped illustrative list of a kind (for the demo, tests and benchmarks). */
export function shippedCatalogue(kindName: CatalogueKindName, dir: string = SHIPPED_CATALOGUE_DIR): Catalogue {
  const kind = CATALOGUE_KINDS[kindName];
  const { entries, problems } = readCatalogueRows(kind, parseCsv(readFileSync(resolve(dir, `${kindName}.csv`), 'utf8')));
  if (problems.length > 0) throw new Error(`shipped ${kindName} list is broken: ${describeRowProblems(problems)}`);
  return new Catalogue(kind, entries);
}

/** Imports the shipped lists into a database (the demo county and tests start from them). */
export async function importShippedCatalogues(db: Db, actor = 'system'): Promise<void> {
  for (const name of Object.keys(CATALOGUE_KINDS) as CatalogueKindName[]) {
    await importCatalogue(db, { kind: name, content: readFileSync(resolve(SHIPPED_CATALOGUE_DIR, `${name}.csv`)), format: 'csv', skipBadRows: false, actor });
  }
}
