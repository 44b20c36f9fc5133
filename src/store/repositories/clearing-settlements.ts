/** Imported inter-provincial clearing lists: the batch (one per file) and its settlements. */
import type { ClearingRow } from '../../domain/out-of-area/clearing-rows.ts';
import type { Queryable } from '../db.ts';

export async function findBatchBySha(q: Queryable, sha256: string): Promise<{ id: number; rows: number } | undefined> {
  return (await q.query<{ id: number; rows: number }>('SELECT id::int AS id, rows FROM clearing_batches WHERE sha256 = $1', [sha256]))[0];
}

/** Serials of the rows already imported (by direction), among those given. */
export async function importedSerials(q: Queryable, serials: readonly string[]): Promise<Set<string>> {
  if (serials.length === 0) return new Set();
  const rows = await q.query<{ serial: string }>('SELECT serial FROM clearing_settlements WHERE serial = ANY($1::text[])', [serials]);
  return new Set(rows.map((r) => r.serial));
}

export async function insertBatch(
  q: Queryable,
  batch: { fileName: string; sha256: string; actor: string },
  rows: readonly (ClearingRow & { personId: number | null; maskedIdNumber: string })[],
): Promise<number> {
  const [b] = await q.query<{ id: number }>(
    'INSERT INTO clearing_batches (file_name, sha256, rows, imported_by) VALUES ($1, $2, $3, $4) RETURNING id::int AS id',
    [batch.fileName, batch.sha256, rows.length, batch.actor],
  );
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await q.query(
    `INSERT INTO clearing_settlements (batch_id, direction, serial, insured_region, treatment_region, facility_name, person_id, masked_id_number,
       visit_kind, settle_date, total_fen, fund_fen, account_fen)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::date[],
       $11::bigint[], $12::bigint[], $13::bigint[])`,
    [
      b!.id, col((r) => r.direction), col((r) => r.serial), col((r) => r.insuredRegion), col((r) => r.treatmentRegion), col((r) => r.facility),
      col((r) => r.personId), col((r) => r.maskedIdNumber), col((r) => r.visitKind), col((r) => r.date), col((r) => r.total), col((r) => r.fund),
      col((r) => r.account),
    ],
  );
  return b!.id;
}

export async function listBatches(q: Queryable): Promise<{ id: number; file_name: string; rows: number; imported_by: string; imported_at: Date }[]> {
  return q.query('SELECT id::int AS id, file_name, rows, imported_by, imported_at FROM clearing_batches ORDER BY id DESC LIMIT 100');
}

/** Person ids by ID number, for the ones in our register. */
export async function personIdsByIdNumber(q: Queryable, idNumbers: readonly string[]): Promise<Map<string, number>> {
  if (idNumbers.length === 0) return new Map();
  const rows = await q.query<{ id_number: string; id: number }>('SELECT id_number, id::int AS id FROM persons WHERE id_number = ANY($1::text[])', [idNumbers]);
  return new Map(rows.map((r) => [r.id_number, r.id]));
}
