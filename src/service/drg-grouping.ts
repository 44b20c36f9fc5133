/** Grouping (again) every discharge of a period with a table: the stored grouping of each is replaced. */
import { groupDischarge } from '../domain/drg/grouper.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { abstractsDischarged, countAbstracts } from '../store/repositories/drg-abstracts.ts';
import { saveGroupings } from '../store/repositories/drg-groupings.ts';
import type { DrgContext } from './drg-catalogues.ts';

export interface GroupRunResult {
  readonly tableId: string;
  readonly discharges: number;
  readonly grouped: number;
  readonly ungroupable: number;
  /** Ungroupable cases by reason code. */
  readonly reasons: Readonly<Record<string, number>>;
  readonly groups: number;
}

const PAGE = 2_000;

export async function groupPeriod(
  db: Db,
  ctx: DrgContext,
  request: { from: string; to: string; table?: string; actor: string; onProgress?: (stage: string, done: number, total: number) => void },
): Promise<GroupRunResult> {
  const table = ctx.table(request.table);
  const catalogues = await ctx.catalogues();
  const total = await countAbstracts(db, request);
  const reasons: Record<string, number> = {};
  const drgs = new Set<string>();
  let done = 0;
  let ungroupable = 0;
  let after = 0;
  for (;;) {
    const page = await abstractsDischarged(db, request, after, PAGE);
    if (page.length === 0) break;
    const rows = page.map((s) => ({ abstractId: s.id, grouping: groupDischarge(s.abstract, table, catalogues) }));
    for (const { grouping } of rows) {
      if (grouping.reason) {
        ungroupable++;
        reasons[grouping.reason.code] = (reasons[grouping.reason.code] ?? 0) + 1;
      } else drgs.add(grouping.drg);
    }
    await saveGroupings(db, table.id, rows);
    after = page.at(-1)!.id;
    done += page.length;
    request.onProgress?.('grouped', done, total);
  }
  await audit(db, { actor: request.actor, action: 'drg.group', entity: 'drg_table', entityId: table.id, detail: { from: request.from, to: request.to, discharges: done, ungroupable } });
  return { tableId: table.id, discharges: done, grouped: done - ungroupable, ungroupable, reasons, groups: drgs.size };
}
