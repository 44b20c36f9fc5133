/** The tax bureau's vouchers as imported, and the sums the reconciliation compares with Sanbao's payments. */
import type { TaxRow } from '../../domain/enrollment/tax-rows.ts';
import type { RowProblem } from '../../domain/register/table-columns.ts';
import type { Queryable } from '../db.ts';

export interface StoredVoucher {
  voucher_no: string;
  id_number: string;
  year: number;
  amount_fen: number;
  paid_on: string;
}

export async function vouchersByNumber(q: Queryable, numbers: readonly string[]): Promise<Map<string, StoredVoucher>> {
  const rows = await q.query<StoredVoucher & Record<string, unknown>>(
    'SELECT voucher_no, id_number, year, amount_fen, paid_on::text AS paid_on FROM tax_collections WHERE voucher_no = ANY($1::text[])',
    [numbers],
  );
  return new Map(rows.map((r) => [r.voucher_no, { ...r, amount_fen: Number(r.amount_fen) }]));
}

export async function insertTaxImport(
  q: Queryable,
  i: { fileName: string; sha256: string; rowsTotal: number; skipped: readonly RowProblem[]; actor: string },
  rows: readonly TaxRow[],
): Promise<number> {
  const [imp] = await q.query<{ id: number }>(
    `INSERT INTO tax_collection_imports (file_name, file_sha256, rows_total, rows_imported, skipped, imported_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [i.fileName, i.sha256, i.rowsTotal, rows.length, JSON.stringify(i.skipped), i.actor],
  );
  const id = Number(imp!.id);
  if (rows.length > 0) {
    await q.query(
      `INSERT INTO tax_collections (voucher_no, import_id, row_number, id_number, year, amount_fen, paid_on)
       SELECT t.voucher_no, $1, t.row_number, t.id_number, t.year, t.amount, t.paid_on
       FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::bigint[], $7::date[]) AS t(voucher_no, row_number, id_number, year, amount, paid_on)`,
      [id, rows.map((r) => r.voucherNo), rows.map((r) => r.row), rows.map((r) => r.idNumber), rows.map((r) => r.year), rows.map((r) => r.amount), rows.map((r) => r.paidOn)],
    );
  }
  return id;
}

export interface ReconcileRow {
  id_number: string;
  person_id: number | null;
  division_code: string | null;
  tax_fen: number | null;
  tax_vouchers: number;
  sanbao_fen: number | null;
  sanbao_payments: number;
}

/**
 * Per person, for a year: the tax bureau's sum and Sanbao's own (the
 * individual payments not reversed), inside a division — a voucher for an ID
 * number the register does not hold is listed wherever it is.
 */
export async function reconcileSums(q: Queryable, year: number, division: string): Promise<ReconcileRow[]> {
  const rows = await q.query<ReconcileRow & Record<string, unknown>>(
    `WITH tax AS (
       SELECT id_number, sum(amount_fen) AS amount, count(*)::int AS n FROM tax_collections WHERE year = $1 GROUP BY id_number),
     sb AS (
       SELECT p.id_number, sum(pay.amount_fen) AS amount, count(*)::int AS n
       FROM payments pay JOIN persons p ON p.id = pay.person_id
       WHERE pay.year = $1 AND pay.reversed_at IS NULL AND pay.kind = 'individual' AND p.division_code LIKE $2 || '%'
       GROUP BY p.id_number)
     SELECT COALESCE(tax.id_number, sb.id_number) AS id_number, p.id AS person_id, p.division_code,
       tax.amount AS tax_fen, COALESCE(tax.n, 0) AS tax_vouchers, sb.amount AS sanbao_fen, COALESCE(sb.n, 0) AS sanbao_payments
     FROM tax FULL JOIN sb ON sb.id_number = tax.id_number
     LEFT JOIN persons p ON p.id_number = COALESCE(tax.id_number, sb.id_number)
     WHERE p.id IS NULL OR p.division_code LIKE $2 || '%'
     ORDER BY p.division_code NULLS FIRST, 1`,
    [year, division],
  );
  return rows.map((r) => ({
    ...r,
    person_id: r.person_id === null ? null : Number(r.person_id),
    tax_fen: r.tax_fen === null ? null : Number(r.tax_fen),
    sanbao_fen: r.sanbao_fen === null ? null : Number(r.sanbao_fen),
  }));
}
