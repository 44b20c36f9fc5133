/** The chronic and special (and rare) disease catalogues per region. */
import type { ChronicDisease } from '../../domain/catalogue/chronic-diseases.ts';
import type { ChronicClass, Scheme } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';

export async function replaceChronicDiseases(q: Queryable, region: string, importId: number, diseases: readonly ChronicDisease[]): Promise<void> {
  await q.query('DELETE FROM chronic_diseases WHERE region = $1', [region]);
  if (diseases.length === 0) return;
  const col = <T>(f: (d: ChronicDisease) => T) => diseases.map(f);
  await q.query(
    `INSERT INTO chronic_diseases (region, code, valid_from, valid_to, name, class, schemes, icd10, yearly_limit_fen, rare, import_id)
     SELECT $1, t.code, t.valid_from, t.valid_to, t.name, t.class, string_to_array(t.schemes, ' '), string_to_array(t.icd10, ' '), t.lim, t.rare, $2
     FROM unnest($3::text[], $4::date[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::boolean[])
       AS t(code, valid_from, valid_to, name, class, schemes, icd10, lim, rare)`,
    [
      region, importId, col((d) => d.code), col((d) => d.validFrom), col((d) => d.validTo), col((d) => d.name), col((d) => d.class),
      col((d) => d.schemes.join(' ')), col((d) => d.icd10.join(' ')), col((d) => d.yearlyLimit), col((d) => d.rare),
    ],
  );
}

interface DiseaseRow {
  region: string;
  code: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  class: ChronicClass;
  schemes: Scheme[];
  icd10: string[];
  yearly_limit_fen: number;
  rare: boolean;
}

function toDisease(r: DiseaseRow): ChronicDisease {
  return {
    region: r.region, code: r.code, name: r.name, class: r.class, schemes: r.schemes, icd10: r.icd10,
    yearlyLimit: Number(r.yearly_limit_fen), rare: r.rare, validFrom: r.valid_from, validTo: r.valid_to,
  };
}

const COLUMNS = `region, code, valid_from::text AS valid_from, valid_to::text AS valid_to, name, class, schemes, icd10, yearly_limit_fen, rare`;

export async function listChronicDiseases(
  q: Queryable,
  f: { region?: string | undefined; date?: string | undefined; scheme?: Scheme | undefined; code?: string | undefined } = {},
): Promise<ChronicDisease[]> {
  const rows = await q.query<DiseaseRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM chronic_diseases
     WHERE ($1::text IS NULL OR region = $1) AND ($2::date IS NULL OR (valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)))
       AND ($3::text IS NULL OR $3 = ANY(schemes)) AND ($4::text IS NULL OR code = $4)
     ORDER BY region, rare, code, valid_from`,
    [f.region ?? null, f.date ?? null, f.scheme ?? null, f.code ?? null],
  );
  return rows.map(toDisease);
}
