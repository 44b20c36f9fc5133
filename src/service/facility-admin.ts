/**
 * Designated hospitals and pharmacies (定点医药机构), administered from the CLI
 * and the bureau admin's console alike: add, change level, disable, enable,
 * rotate the key. A key is shown once, when made; only its hash is stored.
 * Every change is audited.
 */
import { coversDivision } from '../domain/access.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import { facilityCodeProblem } from '../domain/facility-code.ts';
import { HOSPITAL_LEVELS } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  findFacilityByCode, insertFacility, listFacilities, newApiKey, replaceFacilityKey, setFacilityActive, setFacilityLevel, setFacilityNameBo, type FacilityRow,
} from '../store/repositories/facilities.ts';
import { divisionExists } from '../store/repositories/staff.ts';

export const FACILITY_KINDS = ['hospital', 'pharmacy', 'clinic'] as const;

/** Who acts: the command line (everywhere) or a bureau admin (inside their division). */
export interface FacilityAdministrator {
  readonly actor: string;
  readonly divisionCode: string | null;
}

export interface FacilityView {
  code: string;
  name: string;
  nameBo: string | null;
  kind: FacilityRow['kind'];
  level: number;
  divisionCode: string;
  active: boolean;
  keyPrefix: string | null;
}

const view = (f: FacilityRow): FacilityView => ({
  code: f.code, name: f.name, nameBo: f.name_bo, kind: f.kind, level: f.level, divisionCode: f.division_code, active: f.active, keyPrefix: f.api_key_prefix,
});

function checkLevel(level: number): void {
  if (!(HOSPITAL_LEVELS as readonly number[]).includes(level)) throw invalid('INVALID_LEVEL', 'level must be 0, 1, 2 or 3', 'level');
}

function inScope(admin: FacilityAdministrator, divisionCode: string): boolean {
  return admin.divisionCode === null || coversDivision({ divisionCode: admin.divisionCode }, divisionCode);
}

async function facilityInScope(q: Queryable, admin: FacilityAdministrator, code: string): Promise<FacilityRow> {
  const f = await findFacilityByCode(q, code);
  if (!f || !inScope(admin, f.division_code)) throw notFound('UNKNOWN_FACILITY', `no facility ${code}`, 'code');
  return f;
}

export async function listFacilityViews(q: Queryable, admin: FacilityAdministrator): Promise<FacilityView[]> {
  return (await listFacilities(q)).filter((f) => inScope(admin, f.division_code)).map(view);
}

export async function addFacility(
  q: Queryable,
  admin: FacilityAdministrator,
  f: { code: string; name: string; level: number; divisionCode: string; kind?: string },
): Promise<{ facility: FacilityView; apiKey: string }> {
  const codeProblem = facilityCodeProblem(f.code, f.divisionCode);
  if (codeProblem) throw invalid('INVALID_CODE', codeProblem, 'code');
  const name = f.name.trim();
  if (!name || name.length > 100) throw invalid('INVALID_NAME', 'a facility name of 1–100 characters is required', 'name');
  checkLevel(f.level);
  const kind = (f.kind ?? 'hospital') as FacilityRow['kind'];
  if (!FACILITY_KINDS.includes(kind)) throw invalid('INVALID_KIND', `kind must be ${FACILITY_KINDS.join(', ')}`, 'kind');
  if (!(await divisionExists(q, f.divisionCode))) throw invalid('UNKNOWN_DIVISION', `no division ${f.divisionCode}`, 'divisionCode');
  if (!inScope(admin, f.divisionCode)) throw forbidden('OUTSIDE_DIVISION', `division ${f.divisionCode} is outside your area (${admin.divisionCode})`);
  if (await findFacilityByCode(q, f.code)) throw conflict('FACILITY_EXISTS', `facility ${f.code} exists already`, 'code');
  const made = await insertFacility(q, { code: f.code, name, level: f.level, divisionCode: f.divisionCode, kind });
  await audit(q, { actor: admin.actor, action: 'facility.create', entity: 'facility', entityId: made.id, detail: { code: f.code, level: f.level, division: f.divisionCode } });
  return { facility: view((await findFacilityByCode(q, f.code))!), apiKey: made.apiKey };
}

export async function changeFacilityLevel(q: Queryable, admin: FacilityAdministrator, code: string, level: number): Promise<FacilityView> {
  checkLevel(level);
  const before = await facilityInScope(q, admin, code);
  const after = (await setFacilityLevel(q, code, level))!;
  await audit(q, { actor: admin.actor, action: 'facility.set_level', entity: 'facility', entityId: before.id, detail: { code, from: before.level, to: level } });
  return view(after);
}

/** Sets (or clears, with null) the facility's Tibetan name: Tibetan script only, as for people and divisions. */
export async function setFacilityTibetanName(q: Queryable, admin: FacilityAdministrator, code: string, nameBo: string | null): Promise<FacilityView> {
  const name = nameBo?.trim() || null;
  if (name !== null && (name.length > 100 || !/^[\u0F00-\u0FFF\s]+$/.test(name))) throw invalid('INVALID_NAME_BO', 'the Tibetan name is not Tibetan script', 'nameBo');
  const before = await facilityInScope(q, admin, code);
  const after = (await setFacilityNameBo(q, code, name))!;
  await audit(q, { actor: admin.actor, action: 'facility.set_name_bo', entity: 'facility', entityId: before.id, detail: { code, from: before.name_bo, to: name } });
  return view(after);
}

export async function setFacilityEnabled(q: Queryable, admin: FacilityAdministrator, code: string, enabled: boolean): Promise<FacilityView> {
  const before = await facilityInScope(q, admin, code);
  if (before.active === enabled) return view(before);
  const after = (await setFacilityActive(q, code, enabled))!;
  await audit(q, { actor: admin.actor, action: enabled ? 'facility.enable' : 'facility.disable', entity: 'facility', entityId: before.id, detail: { code } });
  return view(after);
}

export async function rotateFacilityKey(q: Queryable, admin: FacilityAdministrator, code: string): Promise<{ facility: FacilityView; apiKey: string }> {
  const before = await facilityInScope(q, admin, code);
  const key = newApiKey(code);
  const after = (await replaceFacilityKey(q, code, key))!;
  await audit(q, { actor: admin.actor, action: 'facility.rotate_key', entity: 'facility', entityId: before.id, detail: { code } });
  return { facility: view(after), apiKey: key };
}
