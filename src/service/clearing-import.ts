/**
 * Importing the inter-provincial clearing list (跨省异地就医清算明细): checked
 * row by row, refused whole with each bad row named unless skipBadRows, size
 * capped before it is unpacked (readTable). Our insured on an outbound row
 * must be in the register; a serial already imported is a bad row; the same
 * file twice answers the first import. ID numbers are kept masked.
 */
import { createHash } from 'node:crypto';
import { DomainError, invalid, unprocessable } from '../domain/errors.ts';
import { checkClearingTable, ClearingFormatError, type ClearingProblem } from '../domain/out-of-area/clearing-rows.ts';
import { maskIdNumber } from '../domain/privacy.ts';
import { regionPrefix } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findBatchBySha, importedSerials, insertBatch, personIdsByIdNumber } from '../store/repositories/clearing-settlements.ts';
import { readTable, type TableFormat } from './tabular.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export class ClearingRejected extends DomainError {
  constructor(readonly problems: readonly ClearingProblem[]) {
    super('unprocessable', 'CLEARING_REJECTED', `clearing list refused, nothing imported: ${problems.length} bad row(s): ${problems.slice(0, 5).map((p) => `row ${p.row} ${p.field}: ${p.reason}`).join('; ')}${problems.length > 5 ? '; …' : ''}`, 'file');
  }
}

export interface ClearingImportResult {
  readonly batchId: number;
  readonly alreadyImported: boolean;
  readonly rowsTotal: number;
  readonly imported: number;
  readonly outbound: number;
  readonly inbound: number;
  readonly skipped: readonly ClearingProblem[];
}

export async function importClearingList(
  db: Db,
  request: { region: string; fileName: string; format: TableFormat; content: Buffer; skipBadRows: boolean; actor: string },
): Promise<ClearingImportResult> {
  if (!/^\d{6}$/.test(request.region)) throw invalid('INVALID_REGION', 'the region must be a 6-digit code such as 540100', 'region');
  const sha256 = createHash('sha256').update(request.content).digest('hex');
  const table = await readTable(request.content, request.format);
  const prefix = regionPrefix(request.region);
  let check;
  try {
    check = checkClearingTable(table, (code) => code.startsWith(prefix));
  } catch (error) {
    if (error instanceof ClearingFormatError) throw invalid('INVALID_CLEARING_LIST', error.message, 'file');
    throw error;
  }
  return db.transaction(async (tx) => {
    await lockInSchema(tx, 'sanbao.clearing-import');
    const earlier = await findBatchBySha(tx, sha256);
    if (earlier) return { batchId: earlier.id, alreadyImported: true, rowsTotal: check.rowsTotal, imported: 0, outbound: 0, inbound: 0, skipped: [] };
    const problems = [...check.problems];
    const done = await importedSerials(tx, check.rows.map((r) => r.serial));
    const people = await personIdsByIdNumber(tx, check.rows.filter((r) => r.direction === 'outbound').map((r) => r.idNumber));
    const good = check.rows.filter((r) => {
      if (done.has(r.serial)) problems.push({ row: r.row, field: 'serial', reason: 'this settlement was already imported from another file' });
      else if (r.direction === 'outbound' && !people.has(r.idNumber)) problems.push({ row: r.row, field: 'id_number', reason: 'insured here, but not in our register' });
      else return true;
      return false;
    });
    problems.sort((a, b) => a.row - b.row);
    if (problems.length > 0 && !request.skipBadRows) throw new ClearingRejected(problems);
    if (good.length === 0) throw unprocessable('EMPTY_CLEARING_LIST', 'the list has no valid rows: nothing to import', 'file');
    const batchId = await insertBatch(tx, { fileName: request.fileName, sha256, actor: request.actor },
      good.map((r) => ({ ...r, personId: people.get(r.idNumber) ?? null, maskedIdNumber: maskIdNumber(r.idNumber) })));
    const outbound = good.filter((r) => r.direction === 'outbound').length;
    const result = { batchId, alreadyImported: false, rowsTotal: check.rowsTotal, imported: good.length, outbound, inbound: good.length - outbound, skipped: problems };
    await audit(tx, { actor: request.actor, action: 'clearing.import', entity: 'clearing_batch', entityId: batchId, detail: { region: request.region, file: request.fileName, rows: check.rowsTotal, imported: good.length, outbound, skipped: problems.length } });
    return result;
  });
}
