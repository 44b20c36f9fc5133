/**
 * The household register at the window (窗口): a new household, a person
 * added to one, a person's names, phone, relation or household changed, a
 * household moved to another village. Each inside the staff member's
 * division, each audited with what changed before and after.
 */
import { randomBytes } from 'node:crypto';
import { coversDivision, type StaffContext } from '../domain/access.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import { idNumberFacts, idNumberProblem } from '../domain/id-number.ts';
import { maskName } from '../domain/privacy.ts';
import { hasControlCharacter, hasTibetan } from '../domain/register/table-columns.ts';
import { phoneProblem, type Relation } from '../domain/register/relations.ts';
import { pgErrorCode, UNIQUE_VIOLATION, type Db, type Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findDivision } from '../store/repositories/divisions.ts';
import {
  householdById, householdsByCode, insertHousehold, insertRegisterPerson, moveHousehold, nextHouseholdCode, registerPerson,
  registerPersonsByIdNumber, updateRegisterPerson, type HouseholdRow, type RegisterPersonRow,
} from '../store/repositories/register.ts';
import { auditPersonChanged, auditPersonCreated, type PersonFields } from './register-changes.ts';

const actorOf = (staff: StaffContext) => `staff:${staff.username}`;

function inScope(staff: StaffContext, divisionCode: string): void {
  if (!coversDivision(staff, divisionCode)) throw forbidden('OUTSIDE_DIVISION', `division ${divisionCode} is outside your area (${staff.divisionCode})`);
}

async function village(q: Queryable, staff: StaffContext, code: string): Promise<string> {
  const division = await findDivision(q, code);
  if (!division || division.level !== 3) throw invalid('UNKNOWN_VILLAGE', `${code} is not a known village`, 'villageCode');
  inScope(staff, code);
  return code;
}

async function household(q: Queryable, staff: StaffContext, id: number): Promise<HouseholdRow> {
  const found = await householdById(q, id);
  if (!found) throw notFound('UNKNOWN_HOUSEHOLD', `no household ${id}`, 'householdId');
  inScope(staff, found.division_code);
  return found;
}

function checkNames(p: { name?: string | undefined; nameBo?: string | null | undefined; phone?: string | null | undefined }): void {
  if (p.name !== undefined && (p.name.trim() === '' || hasControlCharacter(p.name))) throw invalid('INVALID_NAME', 'the name is empty or has a control character', 'name');
  if (p.nameBo && (!hasTibetan(p.nameBo) || hasControlCharacter(p.nameBo))) throw invalid('INVALID_NAME_BO', 'the Tibetan name is not Tibetan script', 'nameBo');
  const phone = p.phone ? phoneProblem(p.phone) : null;
  if (phone) throw invalid('INVALID_PHONE', phone, 'phone');
}

/** A unique violation as the conflict it means (the database enforces what a check before could race past). */
function conflictOf(error: unknown): never {
  if (pgErrorCode(error) === UNIQUE_VIOLATION) {
    const text = `${(error as { constraint?: string }).constraint ?? ''} ${(error as Error).message}`;
    if (text.includes('persons_one_head')) throw conflict('HOUSEHOLD_HAS_HEAD', 'the household has a head already: change the head’s relation first', 'relation');
    if (text.includes('id_number')) throw conflict('PERSON_REGISTERED', 'this ID number is registered already', 'idNumber');
    if (text.includes('households_code')) throw conflict('HOUSEHOLD_EXISTS', 'this household number is taken', 'code');
  }
  throw error;
}

function fieldsOf(p: RegisterPersonRow): PersonFields {
  return { name: p.name, nameBo: p.name_bo, phone: p.phone, relation: p.relation, divisionCode: p.division_code, householdCode: p.household_code };
}

export async function createHousehold(db: Db, staff: StaffContext, input: { villageCode: string; code?: string | undefined }) {
  return db.transaction(async (tx) => {
    const villageCode = await village(tx, staff, input.villageCode);
    const code = input.code ?? (await nextHouseholdCode(tx, villageCode));
    if ((await householdsByCode(tx, [code])).length > 0) throw conflict('HOUSEHOLD_EXISTS', `household ${code} exists already`, 'code');
    const id = await insertHousehold(tx, code, input.villageCode).catch(conflictOf);
    await audit(tx, { actor: actorOf(staff), action: 'household.create', entity: 'household', entityId: id, detail: { via: 'window', after: { code, divisionCode: input.villageCode } } });
    return { id, code, divisionCode: input.villageCode };
  });
}

export async function moveHouseholdToVillage(db: Db, staff: StaffContext, householdId: number, villageCode: string) {
  return db.transaction(async (tx) => {
    const before = await household(tx, staff, householdId);
    await village(tx, staff, villageCode);
    if (before.division_code !== villageCode) {
      await moveHousehold(tx, householdId, villageCode);
      await audit(tx, {
        actor: actorOf(staff), action: 'household.update', entity: 'household', entityId: householdId,
        detail: { via: 'window', before: { divisionCode: before.division_code }, after: { divisionCode: villageCode }, members: before.members },
      });
    }
    return { id: householdId, code: before.code, divisionCode: villageCode };
  });
}

export interface NewMember {
  readonly householdId: number;
  readonly idNumber: string;
  readonly name: string;
  readonly nameBo?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly relation: Relation;
}

export async function addPerson(db: Db, staff: StaffContext, input: NewMember) {
  const idNumber = input.idNumber.trim().toUpperCase();
  const problem = idNumberProblem(idNumber);
  if (problem) throw invalid('INVALID_ID_NUMBER', `ID number ${problem}`, 'idNumber');
  checkNames(input);
  return db.transaction(async (tx) => {
    const home = await household(tx, staff, input.householdId);
    const [existing] = await registerPersonsByIdNumber(tx, [idNumber]);
    if (existing) {
      throw conflict('PERSON_REGISTERED', `this ID number is registered already${existing.household_code ? ` (household ${existing.household_code})` : ''}: edit that person instead`, 'idNumber');
    }
    if (input.relation === 'head' && home.heads.length > 0) throw conflict('HOUSEHOLD_HAS_HEAD', 'the household has a head already: change the head’s relation first', 'relation');
    const facts = idNumberFacts(idNumber);
    const fields = { name: input.name.trim(), name_bo: input.nameBo?.trim() || null, phone: input.phone?.trim() || null, relation: input.relation, division_code: home.division_code, household_id: home.id };
    const id = await insertRegisterPerson(tx, { ...fields, id_number: idNumber, sex: facts.sex, birth_date: facts.birthDate, qr_token: `qr_${randomBytes(16).toString('hex')}` }).catch(conflictOf);
    await auditPersonCreated(tx, actorOf(staff), id, { name: fields.name, nameBo: fields.name_bo, phone: fields.phone, relation: fields.relation, divisionCode: fields.division_code, householdCode: home.code }, 'window');
    return { id, householdCode: home.code, divisionCode: home.division_code };
  });
}

export interface PersonPatch {
  readonly name?: string | undefined;
  /** null clears it. */
  readonly nameBo?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly relation?: Relation | undefined;
  /** Moves the person to another household (and its village), given by id or by number. */
  readonly householdId?: number | undefined;
  readonly householdCode?: string | undefined;
  /** For a person in no household only: a member lives in the household's village (move the household instead). */
  readonly villageCode?: string | undefined;
}

export async function updatePerson(db: Db, staff: StaffContext, personId: number, patch: PersonPatch) {
  checkNames(patch);
  return db.transaction(async (tx) => {
    // Locks the person: two clerks editing at once apply one after the other, each audited against what it changed.
    await tx.query('SELECT 1 FROM persons WHERE id = $1 FOR UPDATE', [personId]);
    const before = await registerPerson(tx, personId);
    if (!before) throw notFound('PERSON_NOT_FOUND', `no person ${personId}`);
    inScope(staff, before.division_code);
    let householdId = before.household_id;
    let householdCode = before.household_code;
    let divisionCode = before.division_code;
    let heads: string[] = [];
    let targetId = patch.householdId;
    if (patch.householdCode !== undefined) {
      const [byCode] = await householdsByCode(tx, [patch.householdCode]);
      if (!byCode) throw notFound('UNKNOWN_HOUSEHOLD', `no household ${patch.householdCode}`, 'householdCode');
      targetId = byCode.id;
    }
    if (targetId !== undefined && targetId !== before.household_id) {
      const target = await household(tx, staff, targetId);
      householdId = target.id;
      householdCode = target.code;
      divisionCode = target.division_code;
      heads = target.heads;
    } else if (householdId !== null) {
      heads = (await householdById(tx, householdId))!.heads;
    }
    if (patch.villageCode !== undefined && patch.villageCode !== divisionCode) {
      if (householdId !== null) throw conflict('MEMBER_OF_HOUSEHOLD', 'a household member lives in the household’s village: move the household, or the person to another household', 'villageCode');
      divisionCode = await village(tx, staff, patch.villageCode);
    }
    const relation = patch.relation ?? (householdId !== before.household_id && before.relation === 'head' ? 'member' : before.relation);
    if (relation === 'head' && heads.some((id) => id !== before.id_number)) throw conflict('HOUSEHOLD_HAS_HEAD', 'the household has a head already: change the head’s relation first', 'relation');
    if (householdId !== null && relation === null) throw invalid('RELATION_REQUIRED', 'a household member needs a relation to the head', 'relation');
    const after: PersonFields = {
      name: patch.name?.trim() ?? before.name,
      nameBo: patch.nameBo === undefined ? before.name_bo : patch.nameBo?.trim() || null,
      phone: patch.phone === undefined ? before.phone : patch.phone?.trim() || null,
      relation, divisionCode, householdCode,
    };
    const changed = await auditPersonChanged(tx, actorOf(staff), personId, fieldsOf(before), after, 'window');
    if (changed) {
      await updateRegisterPerson(tx, personId, {
        name: after.name, name_bo: after.nameBo, phone: after.phone, relation: after.relation, division_code: divisionCode, household_id: householdId,
      }).catch(conflictOf);
    }
    return { id: personId, changed, householdCode, divisionCode };
  });
}

/** What the window's edit form starts from: names masked like every view (a blank field keeps the name), the phone only as present or not. */
export async function registerEntry(q: Queryable, staff: StaffContext, personId: number) {
  const p = await registerPerson(q, personId);
  if (!p) throw notFound('PERSON_NOT_FOUND', `no person ${personId}`);
  inScope(staff, p.division_code);
  return {
    id: p.id, name: maskName(p.name), nameBo: p.name_bo ? maskName(p.name_bo) : null, hasPhone: p.phone !== null, relation: p.relation, divisionCode: p.division_code,
    householdId: p.household_id, householdCode: p.household_code,
  };
}
