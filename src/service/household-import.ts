/**
 * Importing a household register (户籍名册) from CSV or XLSX: every row checked
 * against the file and the registry first; a file with bad rows is refused
 * whole, naming each, unless the caller asks to leave them out (then whole
 * households are left out). One transaction. Importing the same file again
 * changes nothing; every person created or changed is audited.
 */
import { randomBytes } from 'node:crypto';
import { conflict, invalid } from '../domain/errors.ts';
import { checkRegisterRows, readRegisterTable, wholeHouseholds, type RegisterEntry } from '../domain/register/household-rows.ts';
import { TableFormatError, type RowProblem } from '../domain/register/table-columns.ts';
import { pgErrorCode, UNIQUE_VIOLATION, type Db } from '../store/db.ts';
import { auditMany, type AuditEntry } from '../store/repositories/audit.ts';
import {
  householdsByCode, insertHouseholds, insertRegisterPersons, moveHousehold, registerPersonsByIdNumber, updateRegisterPerson, villageCodes,
} from '../store/repositories/register.ts';
import { TableRejected } from './division-import.ts';
import { changedFields, type PersonFields } from './register-changes.ts';
import { readTable, type TableFormat } from './tabular.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface HouseholdImportRequest {
  readonly fileName: string;
  readonly format: TableFormat;
  readonly content: Buffer;
  readonly scope: string | null;
  readonly skipBadRows: boolean;
  readonly dryRun: boolean;
  /** Move people registered in another household, rename those registered under another name (audited). */
  readonly correctRegister: boolean;
  readonly actor: string;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export interface HouseholdImportResult {
  readonly dryRun: boolean;
  readonly rowsTotal: number;
  readonly rowsImported: number;
  readonly householdsAdded: number;
  readonly householdsMoved: number;
  readonly personsAdded: number;
  readonly personsChanged: number;
  readonly unchanged: number;
  readonly skipped: readonly RowProblem[];
}

const CHUNK = 2_000;

const fieldsOf = (e: RegisterEntry): PersonFields => ({
  name: e.name, nameBo: e.nameBo, phone: e.phone, relation: e.relation, divisionCode: e.village, householdCode: e.householdCode,
});

export async function importHouseholds(db: Db, request: HouseholdImportRequest): Promise<HouseholdImportResult> {
  const progress = request.onProgress ?? (() => undefined);
  const table = await readTable(request.content, request.format);
  let read;
  try {
    read = readRegisterTable(table);
  } catch (error) {
    if (error instanceof TableFormatError) throw invalid('INVALID_TABLE', error.message, 'file');
    throw error;
  }
  const { rows, rowsTotal } = read;
  const via = request.correctRegister ? 'register correction' : 'register import';
  try {
    return await db.transaction(async (tx) => {
      await lockInSchema(tx, 'households.import');
      const known = await registerPersonsByIdNumber(tx, [...new Set(rows.map((r) => r.idNumber))]);
      const households = await householdsByCode(tx, [...new Set(rows.map((r) => r.householdCode))]);
      const check = checkRegisterRows(rows, {
        villages: await villageCodes(tx),
        persons: new Map(known.map((p) => [p.id_number, { name: p.name, householdCode: p.household_code }])),
        households: new Map(households.map((h) => [h.code, { village: h.division_code, heads: h.heads }])),
      }, { scope: request.scope, correctRegister: request.correctRegister });
      progress('checked', rowsTotal, rowsTotal);
      if (check.problems.length > 0 && !request.skipBadRows) throw new TableRejected('household register', check.problems);
      const entries = wholeHouseholds(check.entries, check.problems, rows);
      if (entries.length === 0) throw invalid('EMPTY_TABLE', 'the file has no valid rows: nothing to import', 'file');

      const householdIds = new Map(households.map((h) => [h.code, h.id]));
      const firstOf = new Map<string, RegisterEntry>();
      for (const e of entries) if (!firstOf.has(e.householdCode)) firstOf.set(e.householdCode, e);
      const fresh = [...firstOf.values()].filter((e) => !householdIds.has(e.householdCode)).map((e) => ({ code: e.householdCode, village: e.village }));
      const byId = new Map(known.map((p) => [p.id_number, p]));
      const changeOf = (e: RegisterEntry) => {
        const before = byId.get(e.idNumber)!;
        const was: PersonFields = {
          name: before.name, nameBo: before.name_bo, phone: before.phone, relation: before.relation, divisionCode: before.division_code, householdCode: before.household_code,
        };
        // A blank Tibetan name or phone in the file keeps what the registry holds.
        return { before, was, now: { ...fieldsOf(e), nameBo: e.nameBo ?? before.name_bo, phone: e.phone ?? before.phone } };
      };
      if (request.dryRun) {
        // What the import would do, computed without writing (nor taking the audit log's lock).
        const householdsMoved = households.filter((h) => firstOf.has(h.code) && firstOf.get(h.code)!.village !== h.division_code).length;
        const registered = entries.filter((e) => byId.has(e.idNumber));
        const personsChanged = registered.filter((e) => {
          const { was, now } = changeOf(e);
          return changedFields(was, now) !== null;
        }).length;
        const personsAdded = entries.length - registered.length;
        return {
          dryRun: true, rowsTotal, rowsImported: entries.length, householdsAdded: fresh.length, householdsMoved, personsAdded, personsChanged,
          unchanged: registered.length - personsChanged, skipped: check.problems,
        };
      }
      // Audit entries are written last, together: each takes the audit chain's lock until commit, and every
      // audited write elsewhere (a settlement) waits for it — for the last statements only, not the whole import.
      const pending: AuditEntry[] = [];
      for (const [code, id] of await insertHouseholds(tx, fresh)) householdIds.set(code, id);
      pending.push(...fresh.map((h) => ({
        actor: request.actor, action: 'household.create', entity: 'household', entityId: householdIds.get(h.code)!, detail: { via, after: { code: h.code, divisionCode: h.village } },
      })));
      let householdsMoved = 0;
      for (const h of households) {
        const village = firstOf.get(h.code)?.village;
        if (village === undefined || village === h.division_code) continue;
        await moveHousehold(tx, h.id, village);
        pending.push({ actor: request.actor, action: 'household.update', entity: 'household', entityId: h.id, detail: { via, before: { divisionCode: h.division_code }, after: { divisionCode: village } } });
        householdsMoved += 1;
      }
      progress('households', fresh.length + householdsMoved, fresh.length + householdsMoved);

      const fieldsFor = (e: RegisterEntry) => ({
        name: e.name, name_bo: e.nameBo, phone: e.phone, relation: e.relation, division_code: e.village, household_id: householdIds.get(e.householdCode)!,
      });
      // People already registered: members first, heads last, so a head handing over to another member is demoted before the new one is named.
      const registered = entries.filter((e) => byId.has(e.idNumber)).sort((a, b) => Number(a.relation === 'head') - Number(b.relation === 'head'));
      let personsChanged = 0;
      for (const e of registered) {
        const { before, was, now } = changeOf(e);
        const changes = changedFields(was, now);
        if (changes) {
          pending.push({ actor: request.actor, action: 'person.update', entity: 'person', entityId: before.id, detail: { via, ...changes } });
          await updateRegisterPerson(tx, before.id, { ...fieldsFor(e), name_bo: now.nameBo, phone: now.phone });
          personsChanged += 1;
        }
      }
      // New people, a chunk at a time: one statement for the rows, one for their audit entries.
      const newcomers = entries.filter((e) => !byId.has(e.idNumber));
      for (let i = 0; i < newcomers.length; i += CHUNK) {
        const chunk = newcomers.slice(i, i + CHUNK);
        const ids = await insertRegisterPersons(tx, chunk.map((e) => ({
          ...fieldsFor(e), id_number: e.idNumber, sex: e.sex, birth_date: e.birthDate, qr_token: `qr_${randomBytes(16).toString('hex')}`,
        })));
        pending.push(...chunk.map((e) => ({ actor: request.actor, action: 'person.create', entity: 'person', entityId: ids.get(e.idNumber)!, detail: { via, after: fieldsOf(e) } })));
        progress('people', Math.min(i + CHUNK, newcomers.length), newcomers.length);
      }
      const personsAdded = newcomers.length;
      const householdsAdded = fresh.length;
      const result: HouseholdImportResult = {
        dryRun: false, rowsTotal, rowsImported: entries.length, householdsAdded, householdsMoved, personsAdded, personsChanged,
        unchanged: entries.length - personsAdded - personsChanged, skipped: check.problems,
      };
      if (pending.length > 0) {
        pending.push({ actor: request.actor, action: 'household.import', entity: 'household_file', entityId: request.fileName.slice(0, 200), detail: { ...result, skipped: check.problems.length } });
      }
      for (let i = 0; i < pending.length; i += CHUNK) {
        await auditMany(tx, pending.slice(i, i + CHUNK));
        progress('audit', Math.min(i + CHUNK, pending.length), pending.length);
      }
      return result;
    });
  } catch (error) {
    // A clerk at a window registered one of the file's people (or a head) between the check and the write.
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('REGISTER_CHANGED', 'the register changed during the import; nothing was imported: import the file again', 'file');
    throw error;
  }
}
