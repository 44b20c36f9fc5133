/**
 * Importing an identity roster from a partner department (CSV or XLSX): every
 * row checked first; a file with bad rows is refused whole, naming each, unless
 * the caller asks explicitly to leave them out. One transaction: all or nothing.
 * Re-importing the same roster changes nothing.
 */
import { createHash } from 'node:crypto';
import { requireAttestedBy } from '../domain/attestation.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import { checkRosterTable, commonCounty, describeProblems, parseRosterDate, RosterFormatError, type RowProblem } from '../domain/enrollment/roster-rows.ts';
import { DEPARTMENTS, IDENTITIES, type Department, type Identity } from '../domain/vocabulary.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { applyRoster, insertRoster, latestRoster, recordEffect, stageEntries, type RosterEffect } from '../store/repositories/rosters.ts';
import { readTable, type TableFormat } from './tabular.ts';

export interface RosterImportRequest {
  readonly department: Department;
  readonly identity: Identity;
  readonly validFrom: string;
  readonly validTo: string | null;
  /** The division the roster covers (people outside it are bad rows; only people inside it are ended); default: the county of its rows. */
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

export function checkRosterRequest(r: { department: string; identity: string; validFrom: string; validTo: string | null }): void {
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
  progress('checked', check.rowsTotal, check.rowsTotal);
  if (check.problems.length > 0 && !request.skipBadRows) throw new RosterRejected(check.problems);
  if (check.entries.length === 0) throw invalid('EMPTY_ROSTER', 'the roster has no valid rows: nothing to import', 'file');
  const division = scope ?? commonCounty(check.entries);
  if (division === null) throw invalid('ROSTER_DIVISION', 'the rows span several counties: name the division the roster covers', 'division');

  const sha256 = createHash('sha256').update(request.content).digest('hex');
  const base = { division, rowsTotal: check.rowsTotal, rowsImported: check.entries.length, skipped: check.problems, dryRun: request.dryRun ?? false };
  try {
    return await db.transaction(async (tx) => {
      // Serialises imports of the same roster kind, so two clerks importing at once cannot interleave.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`roster:${request.department}:${request.identity}:${division}`]);
      const latest = await latestRoster(tx, request.department, request.identity, division);
      if (
        latest &&
        latest.file_sha256 === sha256 &&
        latest.valid_from === request.validFrom &&
        latest.valid_to === request.validTo &&
        latest.rows_imported === check.entries.length
      ) {
        return { ...base, rosterId: latest.id, alreadyImported: true, registered: 0, added: 0, ended: 0, unchanged: latest.rows_imported };
      }
      const rosterId = await insertRoster(tx, { ...request, divisionCode: division, sha256, rowsTotal: check.rowsTotal, skipped: check.problems, actor: request.actor }, check.entries.length);
      const registered = await stageEntries(tx, rosterId, check.entries, request.actor, (done) => progress('rows', done, check.entries.length));
      const applied = await applyRoster(tx, { id: rosterId, identity: request.identity, department: request.department, validFrom: request.validFrom, divisionCode: division }, request.actor);
      const effect = { registered, ...applied };
      await recordEffect(tx, rosterId, effect);
      await audit(tx, {
        actor: request.actor,
        action: 'roster.import',
        entity: 'roster',
        entityId: rosterId,
        detail: { department: request.department, identity: request.identity, division, rows: check.rowsTotal, skipped: check.problems.length, ...effect },
      });
      const result = { ...base, rosterId, alreadyImported: false, ...effect };
      if (request.dryRun) throw new DryRun({ ...result, rosterId: null });
      return result;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}
