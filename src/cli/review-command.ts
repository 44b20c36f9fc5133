/** `sanbao review run|stats|rules`: claim review (智能审核) in batch over a period, and its figures. */
import { formatYuan } from '../domain/money.ts';
import { ruleSet } from '../domain/review/rules.ts';
import { runBatchReview } from '../service/claim-review.ts';
import { flagStats, loadRules } from '../store/repositories/review-flags.ts';
import { options, required } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

const USAGE = `sanbao review run --from YYYY-MM-DD --to YYYY-MM-DD
  sanbao review stats [--from D --to D] [--json]
  sanbao review rules`;

function date(value: string | boolean | undefined, name: string): string {
  const text = required(value, name, USAGE);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new UsageError(`--${name} must be a date as YYYY-MM-DD, not "${text}"`);
  return text;
}

export async function reviewCommand(io: Io, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = options(rest, { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  switch (sub) {
    case 'run': {
      const from = date(values.from, 'from');
      const to = date(values.to, 'to');
      if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
      return withDatabase(async (db) => {
        const progress = progressBar();
        const started = performance.now();
        const result = await runBatchReview(db, { from, to, actor: 'cli', onProgress: (done, total) => progress.update('review', done, total) });
        progress.finish();
        const seconds = (performance.now() - started) / 1000;
        io.out(`run #${result.runId}: ${result.settlements.toLocaleString('en')} settlements, ${result.lines.toLocaleString('en')} lines reviewed in ${seconds.toFixed(1)} s; ` +
          `${result.flagsNew} new flag(s)${Object.keys(result.byRule).length ? ` (findings: ${Object.entries(result.byRule).map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`);
        return EXIT_OK;
      });
    }
    case 'stats':
      return withDatabase(async (db) => {
        const from = values.from === undefined ? undefined : date(values.from, 'from');
        const to = values.to === undefined ? undefined : date(values.to, 'to');
        const rows = await flagStats(db, { from, to });
        if (values.json) io.out(JSON.stringify(rows));
        else for (const r of rows) io.out(`${r.facility_code.padEnd(12)} ${r.rule.padEnd(22)} ${String(r.flags).padStart(7)} flags ${String(r.open).padStart(7)} open  in question ${formatYuan(r.amount_fen).padStart(14)}  deducted ${formatYuan(r.deducted_fen).padStart(12)}`);
        return EXIT_OK;
      });
    case 'rules':
      return withDatabase(async (db) => {
        for (const r of ruleSet(await loadRules(db)).values()) io.out(`${r.id.padEnd(22)} ${r.enabled ? 'on ' : 'off'} ${JSON.stringify(r.params)}`);
        return EXIT_OK;
      });
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
