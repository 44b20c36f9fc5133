/** The item catalogues (drugs, service items, consumables) per region, and their imports. */
import type { CatalogueItem, ItemClass, ItemKind } from '../../domain/catalogue/items.ts';
import type { RowProblem } from '../../domain/catalogue/table.ts';
import type { HospitalLevel } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';

const CHUNK = 5_000;

export interface CatalogueImportRow {
  id: number;
  kind: 'items' | 'chronic';
  region: string;
  file_name: string;
  file_sha256: string;
  rows_total: number;
  rows_loaded: number;
  skipped: RowProblem[];
  imported_by: string;
  imported_at: Date;
}

export async function insertCatalogueImport(
  q: Queryable,
  i: { kind: 'items' | 'chronic'; region: string; fileName: string; sha256: string; rowsTotal: number; rowsLoaded: number; skipped: readonly RowProblem[]; actor: string },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO catalogue_imports (kind, region, file_name, file_sha256, rows_total, rows_loaded, skipped, imported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [i.kind, i.region, i.fileName, i.sha256, i.rowsTotal, i.rowsLoaded, JSON.stringify(i.skipped), i.actor],
  );
  return Number(row!.id);
}

export async function listCatalogueImports(q: Queryable, limit = 100): Promise<CatalogueImportRow[]> {
  return q.query<CatalogueImportRow & Record<string, unknown>>(
    `SELECT id, kind, region, file_name, file_sha256, rows_total, rows_loaded, skipped, imported_by, imported_at
     FROM catalogue_imports ORDER BY id DESC LIMIT $1`,
    [limit],
  );
}

/** The latest import of a region's list of a kind (the one in force). */
export async function latestCatalogueImport(q: Queryable, kind: 'items' | 'chronic', region: string): Promise<CatalogueImportRow | undefined> {
  const rows = await q.query<CatalogueImportRow & Record<string, unknown>>(
    `SELECT id, kind, region, file_name, file_sha256, rows_total, rows_loaded, skipped, imported_by, imported_at
     FROM catalogue_imports WHERE kind = $1 AND region = $2 ORDER BY id DESC LIMIT 1`,
    [kind, region],
  );
  return rows[0];
}

/** Replaces a region's item list with these entries. */
export async function replaceItems(q: Queryable, region: string, importId: number, items: readonly CatalogueItem[]): Promise<void> {
  await q.query('DELETE FROM catalogue_items WHERE region = $1', [region]);
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const col = <T>(f: (e: CatalogueItem) => T) => chunk.map(f);
    await q.query(
      `INSERT INTO catalogue_items (region, code, valid_from, valid_to, name, kind, class, self_pay_first_resident_bp, self_pay_first_employee_bp,
         price_cap_fen, unit, min_level, min_age, max_age, sex, diagnoses, max_per_day, max_per_stay, import_id)
       SELECT $1, t.code, t.valid_from, t.valid_to, t.name, t.kind, t.class, t.spf_r, t.spf_e, t.cap, t.unit, t.min_level, t.min_age, t.max_age, t.sex,
         CASE WHEN t.diagnoses = '' THEN '{}'::text[] ELSE string_to_array(t.diagnoses, ' ') END, t.per_day, t.per_stay, $2
       FROM unnest($3::text[], $4::date[], $5::date[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::bigint[], $12::text[],
         $13::smallint[], $14::smallint[], $15::smallint[], $16::text[], $17::text[], $18::int[], $19::int[])
         AS t(code, valid_from, valid_to, name, kind, class, spf_r, spf_e, cap, unit, min_level, min_age, max_age, sex, diagnoses, per_day, per_stay)`,
      [
        region, importId,
        col((e) => e.code), col((e) => e.validFrom), col((e) => e.validTo), col((e) => e.name), col((e) => e.kind), col((e) => e.class),
        col((e) => e.selfPayFirst.resident), col((e) => e.selfPayFirst.employee), col((e) => e.priceCap), col((e) => e.unit),
        col((e) => e.restrictions.minLevel ?? null), col((e) => e.restrictions.minAge ?? null), col((e) => e.restrictions.maxAge ?? null),
        col((e) => e.restrictions.sex ?? null), col((e) => e.restrictions.diagnoses.join(' ')),
        col((e) => e.restrictions.maxPerDay ?? null), col((e) => e.restrictions.maxPerStay ?? null),
      ],
    );
  }
}

interface ItemRow {
  region: string;
  code: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  kind: ItemKind;
  class: ItemClass;
  self_pay_first_resident_bp: number;
  self_pay_first_employee_bp: number;
  price_cap_fen: number | null;
  unit: string;
  min_level: number | null;
  min_age: number | null;
  max_age: number | null;
  sex: 'M' | 'F' | null;
  diagnoses: string[];
  max_per_day: number | null;
  max_per_stay: number | null;
}

const ITEM_COLUMNS = `region, code, valid_from::text AS valid_from, valid_to::text AS valid_to, name, kind, class,
  self_pay_first_resident_bp, self_pay_first_employee_bp, price_cap_fen, unit, min_level, min_age, max_age, sex, diagnoses, max_per_day, max_per_stay`;

function toItem(r: ItemRow): CatalogueItem {
  const opt = (v: number | null) => (v === null ? undefined : Number(v));
  return {
    region: r.region,
    code: r.code,
    name: r.name,
    kind: r.kind,
    class: r.class,
    selfPayFirst: { resident: Number(r.self_pay_first_resident_bp), employee: Number(r.self_pay_first_employee_bp) },
    priceCap: r.price_cap_fen === null ? null : Number(r.price_cap_fen),
    unit: r.unit,
    restrictions: {
      minLevel: opt(r.min_level) as HospitalLevel | undefined,
      minAge: opt(r.min_age),
      maxAge: opt(r.max_age),
      sex: r.sex ?? undefined,
      diagnoses: r.diagnoses ?? [],
      maxPerDay: opt(r.max_per_day),
      maxPerStay: opt(r.max_per_stay),
    },
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

/** Every entry, of every region and period, of these codes (the caller picks the one that applies). */
export async function itemsByCodes(q: Queryable, codes: readonly string[]): Promise<CatalogueItem[]> {
  if (codes.length === 0) return [];
  const rows = await q.query<ItemRow & Record<string, unknown>>(`SELECT ${ITEM_COLUMNS} FROM catalogue_items WHERE code = ANY($1::text[])`, [
    [...new Set(codes)],
  ]);
  return rows.map(toItem);
}

export interface ItemFilter {
  region?: string | undefined;
  /** Only entries valid on this date. */
  date?: string | undefined;
  kind?: ItemKind | undefined;
  class?: ItemClass | undefined;
  /** Code or name containing this text. */
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export async function listItems(q: Queryable, f: ItemFilter = {}): Promise<CatalogueItem[]> {
  const rows = await q.query<ItemRow & Record<string, unknown>>(
    `SELECT ${ITEM_COLUMNS} FROM catalogue_items
     WHERE ($1::text IS NULL OR region = $1) AND ($2::date IS NULL OR (valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)))
       AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR class = $4)
       AND ($5::text IS NULL OR strpos(code, $5) > 0 OR strpos(name, $5) > 0)
     ORDER BY region = 'national' DESC, region, code, valid_from LIMIT $6 OFFSET $7`,
    [f.region ?? null, f.date ?? null, f.kind ?? null, f.class ?? null, f.q ?? null, f.limit ?? 100_000, f.offset ?? 0],
  );
  return rows.map(toItem);
}

/** How many entries each region holds. */
export async function countItemsByRegion(q: Queryable): Promise<{ region: string; items: number }[]> {
  const rows = await q.query<{ region: string; items: number }>(`SELECT region, count(*)::int AS items FROM catalogue_items GROUP BY region ORDER BY region`);
  return rows;
}
