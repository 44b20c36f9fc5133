/**
 * Receiving settlement lists: one from a hospital's system (the 4101 interface,
 * idempotent on its setl_id) or a file of them (CSV/XLSX in yuan, JSON in fen),
 * every row checked and refused whole with each bad row named unless asked to
 * skip them. Each stored abstract carries its quality findings and is grouped
 * with the current table at once.
 */
import { createHash } from 'node:crypto';
import { abstractFromRow, readAbstractHeader } from '../domain/drg/abstract-csv.ts';
import { readAbstract, type DischargeAbstract } from '../domain/drg/abstract.ts';
import { groupDischarge, type Grouping } from '../domain/drg/grouper.ts';
import { codeFindings, procedureFindings, type Finding } from '../domain/drg/quality.ts';
import { conflict, DomainError, invalid } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { insertAbstracts, type NewAbstract } from '../store/repositories/drg-abstracts.ts';
import { saveGroupings } from '../store/repositories/drg-groupings.ts';
import { listFacilities, type FacilityRow } from '../store/repositories/facilities.ts';
import type { DrgContext } from './drg-catalogues.ts';
import { readTable, type TableFormat } from './tabular.ts';

export interface ReceivedAbstract {
  readonly id: number;
  readonly setlId: string;
  readonly replayed: boolean;
  readonly findings: readonly Finding[];
  readonly grouping: Grouping;
}

/** A canonical hash of what was sent: a retry with the same content is the same abstract. */
function hashOf(a: DischargeAbstract): string {
  return createHash('sha256').update(JSON.stringify(a)).digest('hex');
}

async function checkAndGroup(ctx: DrgContext, a: DischargeAbstract): Promise<{ findings: Finding[]; grouping: Grouping; tableId: string }> {
  const catalogues = await ctx.catalogues();
  const table = ctx.table();
  const codes = codeFindings(a, catalogues);
  const grouping = groupDischarge(a, table, catalogues, codes);
  return { findings: [...codes, ...procedureFindings(a, catalogues, table)], grouping, tableId: table.id };
}

export class AbstractRejected extends DomainError {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    super('invalid', 'INVALID_ABSTRACT', `settlement list refused: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems[0]?.field);
  }
}

/** One abstract from a hospital (4101): 201 new, 200 a retry, 409 the same setl_id with other content. */
export async function receiveAbstract(db: Db, ctx: DrgContext, facility: FacilityRow, body: unknown): Promise<ReceivedAbstract> {
  const read = readAbstract(body);
  if (read.problems) throw new AbstractRejected(read.problems);
  const a = read.abstract;
  const { findings, grouping, tableId } = await checkAndGroup(ctx, a);
  return db.transaction(async (tx) => {
    const [r] = await insertAbstracts(tx, [{ facilityId: facility.id, abstract: a, requestHash: hashOf(a), findings, source: 'api' }]);
    if (r!.outcome === 'conflict') throw conflict('IDEMPOTENCY_CONFLICT', `settlement list ${a.setlId} was received before with different content`, 'setl_id');
    if (r!.outcome === 'new') {
      await saveGroupings(tx, tableId, [{ abstractId: r!.id, grouping }]);
      await audit(tx, { actor: `facility:${facility.code}`, action: 'drg.abstract.receive', entity: 'drg_abstract', entityId: r!.id, detail: { setlId: a.setlId, drg: grouping.drg } });
    }
    return { id: r!.id, setlId: a.setlId, replayed: r!.outcome === 'same', findings, grouping };
  });
}

export interface RowProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export class AbstractFileRejected extends DomainError {
  constructor(readonly problems: readonly RowProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `row ${p.row} ${p.field}: ${p.message}`);
    if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
    super('unprocessable', 'ABSTRACTS_REJECTED', `file refused, nothing imported: ${problems.length} bad row(s): ${shown.join('; ')}`, 'file');
  }
}

export interface AbstractImportResult {
  readonly rows: number;
  readonly added: number;
  readonly unchanged: number;
  readonly ungroupable: number;
  readonly withFindings: number;
  readonly skipped: readonly RowProblem[];
}

/** Rows of a file as 4101 objects with their facility code: CSV/XLSX (yuan) or a JSON list (fen). */
async function fileRows(content: Buffer, format: TableFormat | 'json'): Promise<{ row: number; body?: Record<string, unknown>; facility: string | null; problems?: RowProblem[] }[]> {
  if (format === 'json') {
    let list: unknown;
    try {
      list = JSON.parse(content.toString('utf8'));
    } catch (error) {
      throw invalid('INVALID_JSON', `not valid JSON: ${(error as Error).message}`, 'file');
    }
    if (!Array.isArray(list)) throw invalid('INVALID_JSON', 'a JSON file of settlement lists is a list of 4101 objects', 'file');
    if (list.length > 200_000) throw invalid('TOO_MANY_ROWS', 'more than 200,000 settlement lists in one file; split it', 'file');
    return list.map((body: unknown, i) => ({ row: i + 1, body: body as Record<string, unknown>, facility: typeof (body as Record<string, unknown> | null)?.fixmedins_code === 'string' ? ((body as Record<string, unknown>).fixmedins_code as string) : null }));
  }
  const table = await readTable(content, format);
  const header = readAbstractHeader(table[0] ?? []);
  if ('problem' in header) throw invalid('INVALID_ABSTRACT_FILE', header.problem, 'file');
  const out: { row: number; body?: Record<string, unknown>; facility: string | null; problems?: RowProblem[] }[] = [];
  for (let i = 1; i < table.length; i++) {
    const cells = table[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    const r = abstractFromRow(cells, header.at);
    if ('problems' in r) out.push({ row: i + 1, facility: null, problems: r.problems.map((p) => ({ row: i + 1, ...p })) });
    else out.push({ row: i + 1, body: r.body, facility: r.facility });
  }
  return out;
}

export async function importAbstracts(
  db: Db,
  ctx: DrgContext,
  request: { content: Buffer; format: TableFormat | 'json'; facilityCode?: string | null; skipBadRows: boolean; actor: string; onProgress?: (stage: string, done: number, total: number) => void },
): Promise<AbstractImportResult> {
  const progress = request.onProgress ?? (() => undefined);
  const rows = await fileRows(request.content, request.format);
  const facilities = new Map((await listFacilities(db)).map((f) => [f.code, f]));
  if (request.facilityCode && !facilities.has(request.facilityCode)) throw invalid('UNKNOWN_FACILITY', `no facility ${request.facilityCode}`, 'facility');
  const catalogues = await ctx.catalogues();
  const table = ctx.table();
  const problems: RowProblem[] = [];
  const good: { row: number; item: NewAbstract; grouping: Grouping }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, n) => {
    if (n % 1000 === 0) progress('checked', n, rows.length);
    if (r.problems) return void problems.push(...r.problems);
    const code = request.facilityCode ?? r.facility;
    const facility = code ? facilities.get(code) : undefined;
    if (!facility) return void problems.push({ row: r.row, field: 'fixmedins_code', message: code ? `no facility ${code}` : 'is missing (or give --facility)' });
    const read = readAbstract(r.body);
    if (read.problems) return void problems.push(...read.problems.map((p) => ({ row: r.row, ...p })));
    const a = read.abstract;
    const key = `${facility.id}\u0000${a.setlId}`;
    const first = seen.get(key);
    if (first !== undefined) return void problems.push({ row: r.row, field: 'setl_id', message: `${a.setlId} of ${facility.code} is listed twice (first on row ${first})` });
    seen.set(key, r.row);
    const codes = codeFindings(a, catalogues);
    const grouping = groupDischarge(a, table, catalogues, codes);
    good.push({ row: r.row, item: { facilityId: facility.id, abstract: a, requestHash: hashOf(a), findings: [...codes, ...procedureFindings(a, catalogues, table)], source: 'import' }, grouping });
  });
  progress('checked', rows.length, rows.length);
  if (rows.length === 0) throw invalid('EMPTY_FILE', 'the file holds no settlement list', 'file');
  const result = await db.transaction(async (tx) => {
    let added = 0;
    let unchanged = 0;
    const conflicts: RowProblem[] = [];
    for (let i = 0; i < good.length; i += 1_000) {
      const part = good.slice(i, i + 1_000);
      const outcomes = await insertAbstracts(tx, part.map((g) => g.item));
      const fresh: { abstractId: number; grouping: Grouping }[] = [];
      outcomes.forEach((o, j) => {
        if (o.outcome === 'new') {
          added++;
          fresh.push({ abstractId: o.id, grouping: part[j]!.grouping });
        } else if (o.outcome === 'same') unchanged++;
        else conflicts.push({ row: part[j]!.row, field: 'setl_id', message: `${part[j]!.item.abstract.setlId} was received before with different content` });
      });
      await saveGroupings(tx, table.id, fresh);
      progress('stored', Math.min(i + 1_000, good.length), good.length);
    }
    const bad = [...problems, ...conflicts].sort((x, y) => x.row - y.row);
    if (bad.length > 0 && !request.skipBadRows) throw new AbstractFileRejected(bad);
    if (added > 0) await audit(tx, { actor: request.actor, action: 'drg.abstract.import', entity: 'drg_abstract', entityId: 'file', detail: { rows: rows.length, added, unchanged, skipped: bad.length } });
    return { added, unchanged, skipped: bad };
  });
  return {
    rows: rows.length,
    added: result.added,
    unchanged: result.unchanged,
    ungroupable: good.filter((g) => g.grouping.reason !== null).length,
    withFindings: good.filter((g) => g.item.findings.length > 0).length,
    skipped: result.skipped,
  };
}
