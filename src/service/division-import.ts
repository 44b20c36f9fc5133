/**
 * Importing a county's divisions (townships and villages, with their Chinese
 * and Tibetan names) from CSV or XLSX: every row checked first; a file with
 * bad rows is refused whole, naming each, unless the caller asks to leave them
 * out. One transaction. Importing the same file again changes nothing; a file
 * with new names renames (each rename audited with the names before and after).
 */
import { DomainError, invalid } from '../domain/errors.ts';
import { checkDivisionTable } from '../domain/register/division-rows.ts';
import { describeRowProblems, TableFormatError, type RowProblem } from '../domain/register/table-columns.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { allDivisionCodes, divisionsByCode, insertDivision, renameDivision } from '../store/repositories/divisions.ts';
import { readTable, type TableFormat } from './tabular.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface DivisionImportRequest {
  readonly fileName: string;
  readonly format: TableFormat;
  readonly content: Buffer;
  /** The staff member's division: rows outside it are bad rows. null: any (the command line). */
  readonly scope: string | null;
  readonly skipBadRows: boolean;
  readonly dryRun: boolean;
  readonly actor: string;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DivisionImportResult {
  readonly dryRun: boolean;
  readonly rowsTotal: number;
  readonly rowsImported: number;
  readonly added: number;
  readonly renamed: number;
  readonly unchanged: number;
  readonly skipped: readonly RowProblem[];
  /** What the file holds (or would hold), parents first: for the console's preview. */
  readonly rows: readonly { row: number; code: string; name: string; nameBo: string | null; level: number; change: 'add' | 'rename' | 'same' }[];
}

/** A table of divisions refused because of bad rows: every row number and reason. */
export class TableRejected extends DomainError {
  constructor(readonly what: string, readonly problems: readonly RowProblem[]) {
    super('unprocessable', 'TABLE_REJECTED', `${what} refused, nothing imported: ${problems.length} bad row(s): ${describeRowProblems(problems)}`, 'file');
  }
}

export async function importDivisions(db: Db, request: DivisionImportRequest): Promise<DivisionImportResult> {
  const progress = request.onProgress ?? (() => undefined);
  const table = await readTable(request.content, request.format);
  return db.transaction(async (tx) => {
    // One import at a time: two clerks importing at once cannot interleave.
    await lockInSchema(tx, 'divisions.import');
    let check;
    try {
      check = checkDivisionTable(table, await allDivisionCodes(tx), request.scope);
    } catch (error) {
      if (error instanceof TableFormatError) throw invalid('INVALID_TABLE', error.message, 'file');
      throw error;
    }
    progress('checked', check.rowsTotal, check.rowsTotal);
    if (check.problems.length > 0 && !request.skipBadRows) throw new TableRejected('division file', check.problems);
    if (check.entries.length === 0) throw invalid('EMPTY_TABLE', 'the file has no valid rows: nothing to import', 'file');
    const existing = await divisionsByCode(tx, check.entries.map((e) => e.code));
    // The plan first: what each row adds or renames. A dry run returns it without writing (nor taking the audit log's lock).
    const plan = check.entries.map((e) => {
      const before = existing.get(e.code);
      if (before && before.level !== e.level) throw invalid('INVALID_TABLE', `row ${e.row}: ${e.code} is already a division of level ${before.level}`, 'file');
      const after = { name: e.name, name_bo: e.nameBo ?? before?.name_bo ?? null, name_en: e.nameEn ?? before?.name_en ?? null };
      const change: 'add' | 'rename' | 'same' = !before
        ? 'add'
        : before.name !== after.name || before.name_bo !== after.name_bo || before.name_en !== after.name_en ? 'rename' : 'same';
      return { entry: e, before, after, change };
    });
    const added = plan.filter((p) => p.change === 'add').length;
    const renamed = plan.filter((p) => p.change === 'rename').length;
    const result: DivisionImportResult = {
      dryRun: request.dryRun, rowsTotal: check.rowsTotal, rowsImported: check.entries.length, added, renamed,
      unchanged: check.entries.length - added - renamed, skipped: check.problems,
      rows: plan.map((p) => ({ row: p.entry.row, code: p.entry.code, name: p.entry.name, nameBo: p.after.name_bo, level: p.entry.level, change: p.change })),
    };
    if (request.dryRun) return result;
    for (const [i, { entry: e, before, after, change }] of plan.entries()) {
      if (change === 'add') {
        await insertDivision(tx, { code: e.code, ...after, level: e.level, parent_code: e.parentCode });
        await audit(tx, { actor: request.actor, action: 'division.create', entity: 'division', entityId: e.code, detail: { after } });
      } else if (change === 'rename') {
        await renameDivision(tx, e.code, after);
        await audit(tx, {
          actor: request.actor, action: 'division.update', entity: 'division', entityId: e.code,
          detail: { before: { name: before!.name, name_bo: before!.name_bo, name_en: before!.name_en }, after },
        });
      }
      if (i % 500 === 0) progress('rows', i, plan.length);
    }
    progress('rows', plan.length, plan.length);
    if (added + renamed > 0) {
      await audit(tx, {
        actor: request.actor, action: 'division.import', entity: 'division_file', entityId: request.fileName.slice(0, 200),
        detail: { rows: check.rowsTotal, added, renamed, skipped: check.problems.length },
      });
    }
    return result;
  });
}
