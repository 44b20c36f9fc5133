/**
 * `sanbao year open|close|list|correct`: open a year's id range (its
 * partitions of the settlement tables), mark a year closed (its bills then
 * change only through a year-end correction), list closed years and the id
 * ranges, and make such a correction: reverse one bill of a closed year,
 * re-adjudicating the rest; archive a closed year's range (its partitions
 * detached and moved to the archive schema).
 */
import { loadPolicies } from '../domain/policy/registry.ts';
import type { SettlementDeps } from '../service/settlement-service.ts';
import { closedYears, closeYearAudited, yearEndReversal } from '../service/year-end.ts';
import { archiveYear } from '../service/year-archive.ts';
import { openYear, settlementIdRanges } from '../service/year-partitions.ts';
import { takeOption } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE =
  'usage: sanbao year open YEAR | year close YEAR [--note TEXT] | year archive YEAR | year list | year correct --facility CODE --transaction TX --reversal-id R --reason TEXT';

function required(args: string[], name: string): string {
  const value = takeOption(args, name);
  if (value === undefined) throw new UsageError(`${name} is required (${USAGE})`);
  return value;
}

/** The database and policies to use: given (tests), or the configured ones, opened and closed around the command. */
function using<T>(deps: SettlementDeps | undefined, policyDir: string | undefined, fn: (deps: SettlementDeps) => Promise<T>): Promise<T> {
  if (deps) return fn(deps);
  return withDatabase((db, config) => fn({ db, policies: loadPolicies(policyDir ?? config.policyDir) }));
}

export async function yearCommand(io: Io, argv: string[], policyDir?: string, deps?: SettlementDeps): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  switch (sub) {
    case 'open': {
      const text = args.shift();
      if (!text || !/^\d{4}$/.test(text) || args.length > 0) throw new UsageError(USAGE);
      const year = Number(text);
      return using(deps, policyDir, async ({ db }) => {
        const r = await openYear(db, year, 'cli');
        const ids = `ids ${r.firstId}–${r.lastId}`;
        io.out(r.opened ? `${year} opened: its partitions take settlement ${ids}` : `${year} was already open (${ids})`);
        if (r.sequenceMoved) io.out(`the next settlement takes id ${r.firstId}`);
        return EXIT_OK;
      });
    }
    case 'close': {
      const note = takeOption(args, '--note') ?? null;
      const text = args.shift();
      if (!text || !/^\d{4}$/.test(text) || args.length > 0) throw new UsageError(USAGE);
      const year = Number(text);
      return using(deps, policyDir, async ({ db }) => {
        const { closed } = await closeYearAudited(db, year, 'cli', note);
        io.out(closed ? `${year} closed: its bills now change only through \`sanbao year correct\`` : `${year} was already closed`);
        return EXIT_OK;
      });
    }
    case 'archive': {
      const text = args.shift();
      if (!text || !/^\d{4}$/.test(text) || args.length > 0) throw new UsageError(USAGE);
      const year = Number(text);
      return using(deps, policyDir, async ({ db }) => {
        const r = await archiveYear(db, year, 'cli');
        if (!r.archived) {
          io.out(`${year} was already archived (${r.settlements.toLocaleString('en')} settlements, ${r.archivedAt.toISOString()})`);
          return EXIT_OK;
        }
        io.out(`${year} archived: ${r.settlements.toLocaleString('en')} settlements detached with their funds, bills and lines into ${r.tables.join(', ')}`);
        io.out(`dump them to the archive (pg_dump -n ${r.tables[0]!.replace(/\..*$/, '')}), then drop them; their keys stay: a retry answers TRANSACTION_ARCHIVED`);
        return EXIT_OK;
      });
    }
    case 'list':
      if (args.length > 0) throw new UsageError(USAGE);
      return using(deps, policyDir, async ({ db }) => {
        const rows = await closedYears(db);
        if (rows.length === 0) io.out('no closed year');
        for (const r of rows) io.out(`${r.year}  closed ${new Date(r.closed_at).toISOString()} by ${r.closed_by}${r.note ? `  ${r.note}` : ''}`);
        io.out('settlement id ranges (partitions):');
        for (const r of await settlementIdRanges(db)) {
          const what = r.year === null ? `before   ids below ${r.lastId + 1}` : `${r.year}     ids ${r.firstId}–${r.lastId}`;
          const opened = r.openedAt ? `, opened ${new Date(r.openedAt).toISOString()} by ${r.openedBy}` : ' (stored before the first year was opened)';
          const archived = r.archivedAt ? `, archived ${new Date(r.archivedAt).toISOString()} by ${r.archivedBy}` : '';
          io.out(`${what}: ${r.settlements.toLocaleString('en')} settlements${opened}${archived}${r.current ? '  ← new bills go here' : ''}`);
        }
        return EXIT_OK;
      });
    case 'correct': {
      const facilityCode = required(args, '--facility');
      const transactionId = required(args, '--transaction');
      const reversalId = required(args, '--reversal-id');
      const reason = required(args, '--reason');
      if (args.length > 0) throw new UsageError(USAGE);
      return using(deps, policyDir, async (d) => {
        const row = await yearEndReversal(d, { facilityCode, transactionId, reversalId, reason, actor: 'cli' });
        io.out(`settlement ${row.transaction_id} of ${row.year} reversed as a year-end correction (${row.reversal_id}); later bills settled again`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(USAGE);
  }
}
