/**
 * The tax bureau's collection file imported and reconciled with Sanbao's own
 * payments: every row checked (a file with bad rows refused whole, naming
 * each, unless the caller asks to leave them out), size capped before it is
 * unpacked (tabular.ts), one transaction, audited. The same voucher again
 * changes nothing; a voucher number seen before with other figures is a bad row.
 */
import { createHash } from 'node:crypto';
import { checkTaxRows, reconcileStatus, type ReconcileStatus, type TaxRow } from '../domain/enrollment/tax-rows.ts';
import { invalid } from '../domain/errors.ts';
import type { Fen } from '../domain/money.ts';
import { maskIdNumber } from '../domain/privacy.ts';
import { TableFormatError, type RowProblem } from '../domain/register/table-columns.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { insertTaxImport, reconcileSums, vouchersByNumber } from '../store/repositories/tax-collections.ts';
import { TableRejected } from './division-import.ts';
import { today } from './enrollment-payments.ts';
import { readTable, type TableFormat } from './tabular.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface TaxImportRequest {
  readonly fileName: string;
  readonly format: TableFormat;
  readonly content: Buffer;
  readonly skipBadRows: boolean;
  readonly dryRun: boolean;
  readonly actor: string;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export interface TaxImportResult {
  readonly importId: number | null;
  readonly dryRun: boolean;
  readonly rowsTotal: number;
  /** New vouchers stored. */
  readonly imported: number;
  /** Vouchers already imported with the same figures: nothing changed. */
  readonly alreadyImported: number;
  readonly amount: Fen;
  readonly years: readonly number[];
  readonly skipped: readonly RowProblem[];
}

export async function importTaxCollections(db: Db, r: TaxImportRequest): Promise<TaxImportResult> {
  const progress = r.onProgress ?? (() => undefined);
  const table = await readTable(r.content, r.format);
  progress('read', table.length, table.length);
  let check;
  try {
    check = checkTaxRows(table, today());
  } catch (error) {
    if (error instanceof TableFormatError) throw invalid('INVALID_TABLE', error.message, 'file');
    throw error;
  }
  return db.transaction(async (tx) => {
    await lockInSchema(tx, 'tax_collections.import');
    const known = await vouchersByNumber(tx, check.rows.map((v) => v.voucherNo));
    const problems = [...check.problems];
    const fresh: TaxRow[] = [];
    let again = 0;
    for (const v of check.rows) {
      const before = known.get(v.voucherNo);
      if (!before) fresh.push(v);
      else if (before.id_number === v.idNumber && Number(before.year) === v.year && before.amount_fen === v.amount && before.paid_on === v.paidOn) again += 1;
      else problems.push({ row: v.row, reason: `voucher ${v.voucherNo} was imported before with other figures` });
    }
    problems.sort((a, b) => a.row - b.row);
    progress('checked', check.rowsTotal, check.rowsTotal);
    if (problems.length > 0 && !r.skipBadRows) throw new TableRejected('tax collection file', problems);
    if (check.rowsTotal === 0) throw invalid('EMPTY_TABLE', 'the file has no rows: nothing to import', 'file');
    const base = {
      dryRun: r.dryRun, rowsTotal: check.rowsTotal, imported: fresh.length, alreadyImported: again,
      amount: fresh.reduce((a, v) => a + v.amount, 0), years: [...new Set(check.rows.map((v) => v.year))].sort(), skipped: problems,
    };
    if (r.dryRun || fresh.length === 0) return { ...base, importId: null };
    const sha256 = createHash('sha256').update(r.content).digest('hex');
    const importId = await insertTaxImport(tx, { fileName: r.fileName, sha256, rowsTotal: check.rowsTotal, skipped: problems, actor: r.actor }, fresh);
    progress('stored', fresh.length, fresh.length);
    await audit(tx, {
      actor: r.actor, action: 'tax_collection.import', entity: 'tax_collection_import', entityId: importId,
      detail: { file: r.fileName, rows: check.rowsTotal, imported: fresh.length, alreadyImported: again, amount: base.amount, skipped: problems.length },
    });
    return { ...base, importId };
  });
}

export interface ReconcileLine {
  readonly status: ReconcileStatus;
  readonly personId: number | null;
  /** Masked unless the caller may unmask. */
  readonly idNumber: string;
  readonly divisionCode: string | null;
  readonly tax: Fen | null;
  readonly sanbao: Fen | null;
  /** Tax minus Sanbao (0 when matched). */
  readonly difference: Fen;
}

export interface Reconciliation {
  readonly year: number;
  readonly division: string;
  readonly counts: Readonly<Record<ReconcileStatus, number>>;
  readonly totals: { readonly tax: Fen; readonly sanbao: Fen };
  /** Everything but the matched, which only count. */
  readonly lines: readonly ReconcileLine[];
}

/** Matched / only in the tax file / only in Sanbao / amount differs, per person for a year and division. */
export async function reconcile(db: Db, r: { year: number; division: string; unmask: boolean }): Promise<Reconciliation> {
  const rows = await reconcileSums(db, r.year, r.division);
  const counts: Record<ReconcileStatus, number> = { matched: 0, only_in_tax: 0, only_in_sanbao: 0, amount_differs: 0 };
  const lines: ReconcileLine[] = [];
  let tax = 0;
  let sanbao = 0;
  for (const row of rows) {
    const status = reconcileStatus(row.tax_fen, row.sanbao_fen);
    counts[status] += 1;
    tax += row.tax_fen ?? 0;
    sanbao += row.sanbao_fen ?? 0;
    if (status === 'matched') continue;
    lines.push({
      status, personId: row.person_id, idNumber: r.unmask ? row.id_number : maskIdNumber(row.id_number), divisionCode: row.division_code,
      tax: row.tax_fen, sanbao: row.sanbao_fen, difference: (row.tax_fen ?? 0) - (row.sanbao_fen ?? 0),
    });
  }
  return { year: r.year, division: r.division, counts, totals: { tax, sanbao }, lines };
}
