/**
 * `sanbao drg import|group|rates|pay|report`: DRG payment from the command
 * line, calling the same services as the API. Long work shows progress on
 * standard error; bad input exits 2 with one line.
 */
import { formatFactor } from '../domain/drg/factor.ts';
import { formatYuan } from '../domain/money.ts';
import { importAbstracts } from '../service/drg-abstracts.ts';
import { drgContext } from '../service/drg-catalogues.ts';
import { groupPeriod } from '../service/drg-grouping.ts';
import { computeRates, monthRange, payMonth } from '../service/drg-payments.ts';
import { drgReport } from '../service/drg-reports.ts';
import { formatOfFile } from '../service/tabular.ts';
import { options, yearOf } from './args.ts';
import { withDatabase } from './database.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar, silentProgress } from './progress.ts';

const USAGE = 'sanbao drg import FILE [--facility CODE] [--skip-bad-rows] | group (--year Y | --month M | --from D --to D) [--table ID|FILE] | rates --policy ID --history-year Y | pay --policy ID --month M | report --policy ID [--json] | demo [--discharges N]';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function period(v: { year?: string | undefined; month?: string | undefined; from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  if (v.month) return monthRange(v.month);
  if (v.year) {
    const y = yearOf(v.year, USAGE);
    return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
  if (v.from && v.to && ISO.test(v.from) && ISO.test(v.to) && v.from <= v.to) return { from: v.from, to: v.to };
  throw new UsageError(`give --year, --month, or --from and --to as dates (usage: ${USAGE})`);
}

const pct = (bp: number) => `${(bp / 100).toFixed(2)}%`;

export async function drgCommand(io: Io, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const ctx = (db: Parameters<typeof drgContext>[0]) => drgContext(db, process.env.SANBAO_DRG_POLICY_DIR ? { policyDir: process.env.SANBAO_DRG_POLICY_DIR } : {});
  switch (sub) {
    case 'import': {
      const { values, positionals } = options(rest, { facility: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' } }, USAGE);
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError(`drg import needs one FILE (usage: ${USAGE})`);
      const format = /\.json$/i.test(file) ? 'json' : formatOfFile(file);
      const content = readInputFile(file);
      return withDatabase(async (db) => {
        // Off a terminal a finished stage prints its line; a refused file must print only its one error line.
        const bar = process.stderr.isTTY ? progressBar() : silentProgress;
        try {
          const r = await importAbstracts(db, ctx(db), { content, format, facilityCode: values.facility ?? null, skipBadRows: values['skip-bad-rows'] ?? false, actor: 'cli', onProgress: bar.update });
          bar.finish();
          io.out(`${r.rows} settlement lists: ${r.added} added, ${r.unchanged} already held; ${r.withFindings} with quality findings, ${r.ungroupable} ungroupable${r.skipped.length ? `; ${r.skipped.length} bad rows left out` : ''}`);
          return EXIT_OK;
        } catch (error) {
          bar.abandon();
          throw error;
        }
      });
    }
    case 'group': {
      const { values } = options(rest, { year: { type: 'string' }, month: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, table: { type: 'string' } }, USAGE);
      const range = period(values);
      return withDatabase(async (db) => {
        const bar = progressBar();
        const r = await groupPeriod(db, ctx(db), { ...range, ...(values.table ? { table: values.table } : {}), actor: 'cli', onProgress: bar.update });
        bar.finish();
        const reasons = Object.entries(r.reasons).map(([k, v]) => `${k} ${v}`).join(', ');
        io.out(`table ${r.tableId}: ${r.discharges} discharges, ${r.grouped} grouped into ${r.groups} DRGs, ${r.ungroupable} ungroupable${reasons ? ` (${reasons})` : ''}`);
        return EXIT_OK;
      });
    }
    case 'rates': {
      const { values } = options(rest, { policy: { type: 'string' }, 'history-year': { type: 'string' } }, USAGE);
      if (!values.policy) throw new UsageError(`--policy is required (usage: ${USAGE})`);
      const y = yearOf(values['history-year'], USAGE);
      return withDatabase(async (db) => {
        const r = await computeRates(db, ctx(db), { policy: values.policy!, from: `${y}-01-01`, to: `${y}-12-31`, actor: 'cli' });
        io.out(`${r.policyId}: weights of ${r.weights.length} DRGs from ${r.history.cases} discharges of ${y} (${r.history.cases - r.history.kept} trimmed; mean cost ${formatYuan(r.history.meanCost)} yuan)`);
        for (const w of r.weights) io.out(`  ${w.drg.padEnd(6)} weight ${formatFactor(w.weight).padEnd(7)} ${String(w.cases).padStart(6)} cases  ${String(w.trimmed).padStart(4)} trimmed  mean ${formatYuan(w.meanCost)}${w.source === 'policy' ? '  (fixed by the policy)' : ''}`);
        for (const rate of r.rates) io.out(`  level ${rate.level}: budget ${formatYuan(rate.budget)} yuan over weights ${formatFactor(rate.weightSum)} → base rate ${formatYuan(rate.rate)} yuan`);
        return EXIT_OK;
      });
    }
    case 'pay': {
      const { values } = options(rest, { policy: { type: 'string' }, month: { type: 'string' } }, USAGE);
      if (!values.policy || !values.month) throw new UsageError(`--policy and --month are required (usage: ${USAGE})`);
      return withDatabase(async (db) => {
        const r = await payMonth(db, ctx(db), { policy: values.policy!, month: values.month!, actor: 'cli' });
        const kinds = Object.entries(r.byKind).map(([k, v]) => `${k} ${v}`).join(', ');
        io.out(`${r.policyId} ${r.month}: ${r.discharges} discharges (${kinds}); DRG payment ${formatYuan(r.payment)}, of which the fund ${formatYuan(r.fundPayment)}; bills ${formatYuan(r.total)}; hospitals' surplus ${formatYuan(r.surplus)} yuan`);
        return EXIT_OK;
      });
    }
    case 'report': {
      const { values } = options(rest, { policy: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
      if (!values.policy) throw new UsageError(`--policy is required (usage: ${USAGE})`);
      return withDatabase(async (db) => {
        const r = await drgReport(db, ctx(db), values.policy!);
        if (values.json) {
          io.out(JSON.stringify(r, null, 2));
          return EXIT_OK;
        }
        const c = r.coverage;
        io.out(`${r.policy.name} (${r.policy.id}, table ${r.policy.table})`);
        io.out(`coverage: ${c.discharges} discharges, ${c.grouped} grouped (${pct(c.groupedBp)}) into ${c.drgsUsed} DRGs; ${c.ungroupable} ungroupable${c.reasons.length ? ` (${c.reasons.map((x) => `${x.reason} ${x.cases}`).join(', ')})` : ''}; ${c.notGroupedYet} not grouped yet`);
        for (const m of c.byMdc) io.out(`  ${m.mdc.padEnd(6)} ${String(m.cases).padStart(7)} cases  ${String(m.drgs).padStart(3)} DRGs  ${m.ungroupable} ungroupable`);
        io.out('CMI per hospital:');
        for (const h of r.cmi) io.out(`  ${h.facility.padEnd(8)} level ${h.level}  CMI ${formatFactor(h.cmi).padEnd(7)} ${h.cases} cases  ${h.name}`);
        io.out(`cost per case and stay by hospital level, ${r.policy.year - 1} → ${r.policy.year}:`);
        for (const l of r.costByLevel) {
          const show = (f: typeof l.before) => (f ? `${formatYuan(f.costPerCase)} yuan, ${(f.stayTenths / 10).toFixed(1)} days (${f.cases})` : '—');
          io.out(`  level ${l.level}: ${show(l.before)} → ${show(l.now)}${l.costChangeBp === null ? '' : `  ${l.costChangeBp > 0 ? '+' : ''}${pct(l.costChangeBp)}`}`);
        }
        io.out('surplus per hospital:');
        for (const s of r.surplus) io.out(`  ${s.facility.padEnd(8)} ${s.cases} cases, ${s.months} months: DRG ${formatYuan(s.payment)}, fund ${formatYuan(s.fundPayment)}, bills ${formatYuan(s.cost)}, surplus ${formatYuan(s.surplus)} yuan`);
        io.out(`outliers: ${r.outliers.high} high, ${r.outliers.low} low of ${r.outliers.paid} paid`);
        return EXIT_OK;
      });
    }
    case 'demo': {
      const { values } = options(rest, { discharges: { type: 'string' } }, USAGE);
      const discharges = values.discharges === undefined ? 15_200 : Number(values.discharges);
      if (!Number.isSafeInteger(discharges) || discharges < 100 || discharges > 200_000) throw new UsageError('--discharges must be a whole number from 100 to 200000');
      const { loadDrgDemo } = await import('../demo/drg-demo.ts');
      return withDatabase(async (db) => {
        const bar = progressBar();
        await loadDrgDemo(db, ctx(db), { discharges, onProgress: bar.update });
        bar.finish();
        io.out(`DRG demo: 5 Haixi hospitals, ${Math.round(discharges * 0.92)} discharges of 2022 and ${discharges} of 2023, grouped, rated and paid under haixi-2023 (see: sanbao drg report --policy haixi-2023)`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
