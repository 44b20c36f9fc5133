/** Designated hospitals and pharmacies (定点医药机构) and their API keys. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db.ts';

export interface FacilityRow {
  id: number;
  code: string;
  name: string;
  /** The name in Tibetan script, where the register has one. */
  name_bo: string | null;
  kind: 'hospital' | 'pharmacy' | 'clinic';
  level: 0 | 1 | 2 | 3;
  division_code: string;
  api_key_prefix: string | null;
  active: boolean;
}

const COLUMNS = 'id, code, name, name_bo, kind, level, division_code, api_key_prefix, active';

/** The channel the facilities' trigger notifies at commit (migration 202611290900); its payload is the schema. */
const FACILITY_CHANGED = 'sanbao_facility_changed';

/**
 * Calls onChange after a facility of this schema was changed by any process,
 * and when a change may have been missed (the listening connection was made
 * again). Returns how to stop; undefined when the database cannot listen.
 */
export async function listenForFacilityChanges(db: Db, onChange: () => void): Promise<(() => Promise<void>) | undefined> {
  if (!db.listen) return undefined;
  const [row] = await db.query<{ s: string }>('SELECT current_schema() AS s');
  return db.listen(FACILITY_CHANGED, (payload) => {
    if (payload === null || payload === row!.s) onChange();
  });
}

/** API keys are random; only their SHA-256 is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(facilityCode: string): string {
  return `sb_${facilityCode.toLowerCase()}_${randomBytes(24).toString('base64url')}`;
}

export async function findFacilityByApiKey(q: Queryable, key: string): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM facilities WHERE api_key_hash = $1 AND active`,
    [hashApiKey(key)],
  );
  return rows[0];
}

/** The facility a key belongs to, active or not (a disabled one is told apart from a wrong key). */
export async function findFacilityByApiKeyAnyState(q: Queryable, key: string): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM facilities WHERE api_key_hash = $1`, [hashApiKey(key)]);
  return rows[0];
}

export async function findFacilityByCode(q: Queryable, code: string): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM facilities WHERE code = $1`, [code]);
  return rows[0];
}

export async function listFacilities(q: Queryable): Promise<FacilityRow[]> {
  return q.query<FacilityRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM facilities ORDER BY code`);
}

/** Creates a facility with the given key (or a new random one); returns its id and key. */
export async function insertFacility(
  q: Queryable,
  f: { code: string; name: string; kind?: FacilityRow['kind']; level: number; divisionCode: string; apiKey?: string },
): Promise<{ id: number; apiKey: string }> {
  const apiKey = f.apiKey ?? newApiKey(f.code);
  const rows = await q.query<{ id: number }>(
    `INSERT INTO facilities (code, name, kind, level, division_code, api_key_hash, api_key_prefix)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [f.code, f.name, f.kind ?? 'hospital', f.level, f.divisionCode, hashApiKey(apiKey), apiKey.slice(0, 12)],
  );
  return { id: rows[0]!.id, apiKey };
}

export async function setFacilityLevel(q: Queryable, code: string, level: number): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`UPDATE facilities SET level = $2 WHERE code = $1 RETURNING ${COLUMNS}`, [code, level]);
  return rows[0];
}

export async function setFacilityNameBo(q: Queryable, code: string, nameBo: string | null): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`UPDATE facilities SET name_bo = $2 WHERE code = $1 RETURNING ${COLUMNS}`, [code, nameBo]);
  return rows[0];
}

export async function setFacilityActive(q: Queryable, code: string, active: boolean): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`UPDATE facilities SET active = $2 WHERE code = $1 RETURNING ${COLUMNS}`, [code, active]);
  return rows[0];
}

/** Replaces a facility's key; the old one stops working (within the key cache's 30 s in a running service). */
export async function replaceFacilityKey(q: Queryable, code: string, key: string): Promise<FacilityRow | undefined> {
  const rows = await q.query<FacilityRow & Record<string, unknown>>(
    `UPDATE facilities SET api_key_hash = $2, api_key_prefix = $3 WHERE code = $1 RETURNING ${COLUMNS}`,
    [code, hashApiKey(key), key.slice(0, 12)],
  );
  return rows[0];
}
