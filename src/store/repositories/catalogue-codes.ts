/** Code lists (diagnoses, procedures, …): one row per kind and code. */
import type { CatalogueEntry } from '../../domain/catalogue/entries.ts';
import type { Queryable } from '../db.ts';

interface CodeRow {
  code: string;
  name_zh: string;
  name_en: string | null;
  valid_from: string | null;
  valid_to: string | null;
  flags: string[];
}

const COLUMNS = `code, name_zh, name_en, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, flags`;

const toEntry = (r: CodeRow): CatalogueEntry => ({
  code: r.code, nameZh: r.name_zh, nameEn: r.name_en, validFrom: r.valid_from, validTo: r.valid_to, flags: r.flags,
});

const BATCH = 500;

/** Inserts or replaces entries; returns how many were new and how many changed. */
export async function upsertCatalogueEntries(q: Queryable, kind: string, entries: readonly CatalogueEntry[]): Promise<{ added: number; changed: number; unchanged: number }> {
  let added = 0;
  let changed = 0;
  for (let i = 0; i < entries.length; i += BATCH) {
    const part = entries.slice(i, i + BATCH);
    const rows = await q.query<{ inserted: boolean; changed: boolean }>(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::text[])
           AS t(code, name_zh, name_en, valid_from, valid_to, flags)
       ), old AS (
         SELECT c.code, (c.name_zh, c.name_en, c.valid_from, c.valid_to, c.flags) IS DISTINCT FROM
                (i.name_zh, i.name_en, i.valid_from, i.valid_to, string_to_array(i.flags, '|')) AS differs
         FROM catalogue_codes c JOIN input i USING (code) WHERE c.kind = $1
       ), up AS (
         INSERT INTO catalogue_codes (kind, code, name_zh, name_en, valid_from, valid_to, flags)
         SELECT $1, code, name_zh, name_en, valid_from, valid_to, coalesce(string_to_array(flags, '|'), '{}') FROM input
         ON CONFLICT (kind, code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
           valid_from = excluded.valid_from, valid_to = excluded.valid_to, flags = excluded.flags, imported_at = now()
         WHERE (catalogue_codes.name_zh, catalogue_codes.name_en, catalogue_codes.valid_from, catalogue_codes.valid_to, catalogue_codes.flags)
           IS DISTINCT FROM (excluded.name_zh, excluded.name_en, excluded.valid_from, excluded.valid_to, excluded.flags)
         RETURNING code
       )
       SELECT (old.code IS NULL) AS inserted, coalesce(old.differs, false) AS changed FROM up LEFT JOIN old USING (code)`,
      [
        kind,
        part.map((e) => e.code),
        part.map((e) => e.nameZh),
        part.map((e) => e.nameEn),
        part.map((e) => e.validFrom),
        part.map((e) => e.validTo),
        part.map((e) => (e.flags.length ? e.flags.join('|') : '')),
      ],
    );
    for (const r of rows) {
      if (r.inserted) added++;
      else if (r.changed) changed++;
    }
  }
  return { added, changed, unchanged: entries.length - added - changed };
}

export async function listCatalogueEntries(q: Queryable, kind: string, filter: { prefix?: string; limit?: number } = {}): Promise<CatalogueEntry[]> {
  const rows = await q.query<CodeRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM catalogue_codes WHERE kind = $1 AND ($2::text IS NULL OR code LIKE $2 || '%') ORDER BY code LIMIT $3`,
    [kind, filter.prefix ?? null, filter.limit ?? 100_000],
  );
  return rows.map(toEntry);
}

export async function countCatalogueEntries(q: Queryable, kind: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM catalogue_codes WHERE kind = $1', [kind]);
  return row?.n ?? 0;
}
