/**
 * Importing an identity roster from a partner department (CSV or XLSX): every
 * row checked first; a file with bad rows is refused whole, naming each, unless
 * the caller asks explicitly to leave them out. One transaction: all or nothing.
 * Re-importing the same roster changes nothing.
 */
import { createHash } from 'node:crypto';
import { requireAttestedBy } from '../domain/attestation.ts';
import { conflict, DomainError, invalid } from '../domain/errors.ts';
import {
  checkRosterTable, commonCounty, describeProblems, parseRosterDate, registerConflicts, RosterFormatError, ROSTER_MODES,
  type RosterEntry, type RosterMode, type RowProblem,
} from '../domain/enrollment/roster-rows.ts';
import { DEPARTMENTS, IDENTITIES, type Department, type Identity } from '../domain/vocabulary.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { applyCorrections, householdsForRegistered, knownPersons, type KnownPerson, type RegisterCorrection } from '../store/repositories/roster-register.ts';
import { applyRoster, insertRoster, latestRoster, recordEffect, stageEntries, type RosterEffect } from '../store/repositories/rosters.ts';
import { readTable, type TableFormat } from './tabular.ts';
import { lockInSchema } from '../store/schema-locks.ts';

/** A replacing roster that would end more statuses than this asks for their number to be confirmed (after a dry run). */
export const CONFIRM_END_ABOVE = 10;

export interface RosterImportRequest {
  /** Required, never implied: replace the division's whole list, add people, or end the listed people's status. */
  readonly mode: RosterMode | undefined;
  /** For a replace that ends more than CONFIRM_END_ABOVE statuses: exactly the number the dry run showed. */
  readonly confirmEnd?: number | null | undefined;
  /** Names and villages of known people that disagree are taken from the roster (audited), not refused. */
  readonly correctRegister?: boolean | undefined;
  readonly department: Department;
  readonly identity: Identity;
  readonly validFrom: string;
  readonly validTo: string | null;
  /** The division the roster covers (people outside it are bad rows; only people inside it are ended); required to replace; otherwise default: the county of its rows. */
  readonly division?: string | null;
  readonly fileName: string;
  readonly format: TableFormat;
  readonly content: Buffer;
  /** Import without the bad rows (they are listed in the result) instead of refusing the file. */
  readonly skipBadRows: boolean;
  /** Check and compute everything, then write nothing. */
  readonly dryRun?: boolean;
  readonly actor: string;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

export interface RosterImportResult extends RosterEffect {
  readonly rosterId: number | null;
  readonly mode: RosterMode;
  /** Households made for the people the roster registered. */
  readonly households: number;
  /** Of the statuses ended, those of people the roster no longer lists (a replace) or lists to end: what a replace asks to confirm. */
  readonly dropped: number;
  /** Known people whose name or village the roster corrected (only on a roster marked to correct the register). */
  readonly corrected: number;
  readonly division: string;
  /** True when this very roster was imported before: nothing was changed. */
  readonly alreadyImported: boolean;
  readonly dryRun: boolean;
  readonly rowsTotal: number;
  readonly rowsImported: number;
  readonly skipped: readonly RowProblem[];
}

/** A roster refused because of bad rows: every row number and reason. */
export class RosterRejected extends DomainError {
  constructor(readonly problems: readonly RowProblem[]) {
    super('unprocessable', 'ROSTER_REJECTED', `roster refused, nothing imported: ${problems.length} bad row(s): ${describeProblems(problems)}`, 'file');
  }
}

class DryRun extends Error {
  constructor(readonly result: RosterImportResult) {
    super('dry run');
  }
}

export function checkRosterRequest(r: { mode?: string | undefined; department: string; identity: string; validFrom: string; validTo: string | null; division?: string | null | undefined }): void {
  if (r.mode === undefined || r.mode === '') {
    throw invalid('MODE_REQUIRED', `say what the roster does: mode ${ROSTER_MODES.join(', ')} (replace: the division's whole list of the department and identity; nothing is replaced implicitly)`, 'mode');
  }
  if (!(ROSTER_MODES as readonly string[]).includes(r.mode)) throw invalid('UNKNOWN_MODE', `mode must be one of ${ROSTER_MODES.join(', ')}`, 'mode');
  if (r.mode === 'replace' && !r.division) {
    throw invalid('DIVISION_REQUIRED', 'a roster that replaces a list names the division whose list it replaces', 'division');
  }
  if (!(DEPARTMENTS as readonly string[]).includes(r.department)) {
    throw invalid('UNKNOWN_DEPARTMENT', `department must be one of ${DEPARTMENTS.join(', ')}`, 'department');
  }
  if (!(IDENTITIES as readonly string[]).includes(r.identity)) {
    throw invalid('UNKNOWN_IDENTITY', `identity must be one of ${IDENTITIES.join(', ')}`, 'identity');
  }
  requireAttestedBy(r.identity as Identity, r.department);
  if (parseRosterDate(r.validFrom) !== r.validFrom) throw invalid('INVALID_DATE', `from "${r.validFrom}" is not a date (YYYY-MM-DD)`, 'from');
  if (r.validTo !== null && parseRosterDate(r.validTo) !== r.validTo) throw invalid('INVALID_DATE', `to "${r.validTo}" is not a date (YYYY-MM-DD)`, 'to');
  if (r.validTo !== null && r.validTo < r.validFrom) throw invalid('INVALID_DATE', `to ${r.validTo} is before from ${r.validFrom}`, 'to');
}

export async function importRoster(db: Db, request: RosterImportRequest): Promise<RosterImportResult> {
  checkRosterRequest(request);
  const progress = request.onProgress ?? (() => undefined);
  const table = await readTable(request.content, request.format);
  const divisions = new Set((await db.query<{ code: string }>('SELECT code FROM divisions')).map((d) => d.code));
  const scope = request.division ?? null;
  if (scope !== null && !divisions.has(scope)) throw invalid('UNKNOWN_DIVISION', `division ${scope} is not a known division`, 'division');
  let check;
  try {
    check = checkRosterTable(table, divisions, { ...request, scope });
  } catch (error) {
    if (error instanceof RosterFormatError) throw invalid('INVALID_ROSTER', error.message, 'file');
    throw error;
  }
  const mode = request.mode!;
  const known = new Map((await knownPersons(db, check.entries.map((e) => e.idNumber))).map((p) => [p.id_number, p]));
  const problems = [...check.problems, ...registerProblems(check.entries, known, mode, request.correctRegister === true)].sort((a, b) => a.row - b.row);
  const badRows = new Set(problems.map((p) => p.row));
  const entries = check.entries.filter((e) => !badRows.has(e.row));
  progress('checked', check.rowsTotal, check.rowsTotal);
  if (problems.length > 0 && !request.skipBadRows) throw new RosterRejected(problems);
  if (entries.length === 0) throw invalid('EMPTY_ROSTER', 'the roster has no valid rows: nothing to import', 'file');
  const division = scope ?? commonCounty(entries);
  if (division === null) throw invalid('ROSTER_DIVISION', 'the rows span several counties: name the division the roster covers', 'division');
  const corrections = request.correctRegister ? correctionsOf(entries, known) : [];

  const sha256 = createHash('sha256').update(request.content).digest('hex');
  const base = { mode, division, rowsTotal: check.rowsTotal, rowsImported: entries.length, skipped: problems, dryRun: request.dryRun ?? false, corrected: corrections.length };
  try {
    return await db.transaction(async (tx) => {
      // Serialises imports of the same roster kind, so two clerks importing at once cannot interleave.
      await lockInSchema(tx, `roster:${request.department}:${request.identity}:${division}`);
      const latest = await latestRoster(tx, request.department, request.identity, division);
      if (
        latest &&
        latest.mode === mode &&
        latest.file_sha256 === sha256 &&
        latest.valid_from === request.validFrom &&
        latest.valid_to === request.validTo &&
        latest.rows_imported === entries.length
      ) {
        return { ...base, corrected: 0, rosterId: latest.id, alreadyImported: true, registered: 0, households: 0, added: 0, ended: 0, dropped: 0, unchanged: latest.rows_imported };
      }
      const rosterId = await insertRoster(
        tx,
        { ...request, mode, correctsRegister: request.correctRegister === true, divisionCode: division, sha256, rowsTotal: check.rowsTotal, skipped: problems, actor: request.actor },
        entries.length,
      );
      await applyCorrections(tx, corrections, request.actor, rosterId);
      const registeredIds = await stageEntries(tx, rosterId, entries, request.actor, (done) => progress('rows', done, entries.length), mode !== 'end');
      const households = await householdsForRegistered(tx, registeredIds, request.actor, rosterId);
      const applied = await applyRoster(tx, { id: rosterId, identity: request.identity, department: request.department, validFrom: request.validFrom, divisionCode: division, mode }, request.actor);
      if (mode === 'replace' && !request.dryRun && applied.dropped > CONFIRM_END_ABOVE && request.confirmEnd !== applied.dropped) {
        throw conflict(
          'CONFIRM_END_REQUIRED',
          `this roster would end the ${request.identity} status of ${applied.dropped} people of ${request.department} in ${division} it no longer lists: nothing imported; ` +
            `check them with a dry run, then confirm that number (--confirm-end ${applied.dropped})`,
          'confirmEnd',
        );
      }
      const { dropped, ...counts } = applied;
      const effect = { registered: registeredIds.length, ...counts };
      await recordEffect(tx, rosterId, effect);
      await audit(tx, {
        actor: request.actor,
        action: 'roster.import',
        entity: 'roster',
        entityId: rosterId,
        detail: { mode, department: request.department, identity: request.identity, division, rows: check.rowsTotal, skipped: problems.length, corrected: corrections.length, households, ...effect },
      });
      const result = { ...base, rosterId, alreadyImported: false, households, dropped, ...effect };
      if (request.dryRun) throw new DryRun({ ...result, rosterId: null });
      return result;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

/** Rows that disagree with the register (unless it is to be corrected), and, for a roster of endings, people the register does not hold. */
function registerProblems(entries: readonly RosterEntry[], known: ReadonlyMap<string, KnownPerson>, mode: RosterMode, correct: boolean): RowProblem[] {
  const problems = correct ? [] : registerConflicts(entries, new Map([...known].map(([id, p]) => [id, { name: p.name, divisionCode: p.division_code }])));
  if (mode === 'end') {
    for (const e of entries) if (!known.has(e.idNumber)) problems.push({ row: e.row, reason: 'this ID number is not in the register: there is no status to end' });
  }
  return problems;
}

function correctionsOf(entries: readonly RosterEntry[], known: ReadonlyMap<string, KnownPerson>): RegisterCorrection[] {
  const out: RegisterCorrection[] = [];
  for (const e of entries) {
    const p = known.get(e.idNumber);
    if (!p) continue;
    const name = p.name !== e.name ? e.name : null;
    const divisionCode = p.division_code.startsWith(e.divisionCode) ? null : e.divisionCode;
    if (name !== null || divisionCode !== null) out.push({ personId: Number(p.id), name, divisionCode });
  }
  return out;
}
