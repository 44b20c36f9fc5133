/**
 * `sanbao reconcile` and `sanbao clearing`: reconciliation with a hospital
 * from its totals file, the follow-up of mismatches, the monthly clearing and
 * the year end, statements and bank files. Callers of the same services as
 * the API.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatYuan } from '../domain/money.ts';
import { loadPolicies, type PolicyRegistry } from '../domain/policy/registry.ts';
import { bankKeyFrom } from '../service/bank-account-crypto.ts';
import { batchFile, createClearingBatch, setFacilityAccount } from '../service/bank-batches.ts';
import { chinaToday, clearMonthFor, clearYearEndFor } from '../service/clearing.ts';
import { statementCsv, statementPdf } from '../service/clearing-statement.ts';
import { PdfFonts, type PdfFontSettings } from '../service/pdf-fonts.ts';
import { followUp, listForStaff, reconcile } from '../service/reconciliation.ts';
import type { Db } from '../store/db.ts';
import { findClearing, listClearings } from '../store/repositories/clearings.ts';
import { findFacilityByCode } from '../store/repositories/facilities.ts';
import { options, required } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

export interface FundCliDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly today?: () => string;
  readonly pdfFonts?: PdfFontSettings;
}

function using<T>(deps: FundCliDeps | undefined, policyDir: string | undefined, fn: (d: FundCliDeps) => Promise<T>): Promise<T> {
  if (deps) return fn(deps);
  return withDatabase((db, config) => fn({ db, policies: loadPolicies(policyDir ?? config.policyDir), pdfFonts: config.pdfFonts }));
}

const RECONCILE_USAGE = 'sanbao reconcile submit --facility CODE FILE.json | list [--status open] | follow-up --id N --status explained|resolved --note TEXT';

export async function reconcileCommand(io: Io, argv: string[], policyDir?: string, deps?: FundCliDeps): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'submit': {
      const { values, positionals } = options(rest, { facility: { type: 'string' } }, RECONCILE_USAGE);
      const code = required(values.facility, 'facility', RECONCILE_USAGE);
      if (positionals.length !== 1) throw new UsageError(`usage: ${RECONCILE_USAGE}`);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`${positionals[0]}: not a JSON file (${(error as Error).message.split('\n')[0]})`);
      }
      return using(deps, policyDir, async ({ db }) => {
        const facility = await findFacilityByCode(db, code);
        if (!facility) throw new UsageError(`no facility ${code}`);
        const { result } = await reconcile(db, facility, body as never, 'cli');
        io.out(`reconciliation ${result.id} of ${code}, ${result.period.from}..${result.period.to}: ${result.status}`);
        for (const l of result.lines) {
          io.out(`  ${l.insutype}/${l.clr_type}  bureau ${l.bureau.fixmedins_setl_cnt} / ${formatYuan(l.bureau.medfee_sumamt)} / fund ${formatYuan(l.bureau.fund_pay_sumamt)}` +
            `  hospital ${l.hospital.fixmedins_setl_cnt} / ${formatYuan(l.hospital.medfee_sumamt)} / fund ${formatYuan(l.hospital.fund_pay_sumamt)}${l.matched ? '' : '  DIFFERS'}`);
        }
        for (const d of result.differences.slice(0, 50)) io.out(`  ${JSON.stringify(d)}`);
        return EXIT_OK;
      });
    }
    case 'list': {
      const { values } = options(rest, { status: { type: 'string' } }, RECONCILE_USAGE);
      return using(deps, policyDir, async ({ db }) => {
        for (const r of await listForStaff(db, { status: values.status, limit: 200, offset: 0 })) {
          io.out(`${r.id}  ${r.facility.code}  ${r.period.from}..${r.period.to}  ${r.status}${r.note ? `  ${r.note}` : ''}`);
        }
        return EXIT_OK;
      });
    }
    case 'follow-up': {
      const { values } = options(rest, { id: { type: 'string' }, status: { type: 'string' }, note: { type: 'string' } }, RECONCILE_USAGE);
      const id = Number(required(values.id, 'id', RECONCILE_USAGE));
      const status = required(values.status, 'status', RECONCILE_USAGE);
      if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('--id is a reconciliation number');
      if (status !== 'explained' && status !== 'resolved') throw new UsageError('--status is explained or resolved');
      return using(deps, policyDir, async ({ db }) => {
        const r = await followUp(db, id, status, required(values.note, 'note', RECONCILE_USAGE), 'cli');
        io.out(`reconciliation ${r.id}: ${r.status}`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(`usage: ${RECONCILE_USAGE}`);
  }
}

const CLEARING_USAGE =
  'sanbao clearing run --month YYYY-MM [--facility CODE] | year-end --facility CODE --year Y --assessment 90% | list [--period P] | ' +
  'statement --id N --out FILE [--format csv|pdf] | bank-account --facility CODE --account N --name NAME --bank BANK | batch --period P --reference R --out FILE [--format csv|xlsx]';

export async function clearingCommand(io: Io, argv: string[], policyDir?: string, deps?: FundCliDeps): Promise<number> {
  const [sub, ...rest] = argv;
  const today = () => deps?.today?.() ?? chinaToday();
  switch (sub) {
    case 'run': {
      const { values } = options(rest, { month: { type: 'string' }, facility: { type: 'string' } }, CLEARING_USAGE);
      const month = required(values.month, 'month', CLEARING_USAGE);
      return using(deps, policyDir, async (d) => {
        const r = await clearMonthFor(d, { month, facility: values.facility, actor: 'cli', today: today() });
        for (const c of r.cleared) io.out(`${c.facility_code}  ${c.period}  net ${formatYuan(c.net_fen)}  (deductions ${formatYuan(c.review_deductions)}, deposit ${formatYuan(c.deposit_withheld)}, DRG ${formatYuan(c.drg_difference)})`);
        for (const code of r.alreadyCleared) io.out(`${code}  ${month}  already cleared`);
        io.out(`${r.cleared.length} hospital(s) cleared for ${month}`);
        return EXIT_OK;
      });
    }
    case 'year-end': {
      const { values } = options(rest, { facility: { type: 'string' }, year: { type: 'string' }, assessment: { type: 'string' } }, CLEARING_USAGE);
      const year = Number(required(values.year, 'year', CLEARING_USAGE));
      return using(deps, policyDir, async (d) => {
        const c = await clearYearEndFor(d, { facility: required(values.facility, 'facility', CLEARING_USAGE), year, assessment: required(values.assessment, 'assessment', CLEARING_USAGE), actor: 'cli', today: today() });
        io.out(`${c.facility_code}  ${c.period}  deposit released ${formatYuan(c.deposit_released)}, kept ${formatYuan(c.deposit_forfeited)}, above budget ${formatYuan(c.over_budget)}, net ${formatYuan(c.net_fen)}`);
        return EXIT_OK;
      });
    }
    case 'list': {
      const { values } = options(rest, { period: { type: 'string' } }, CLEARING_USAGE);
      return using(deps, policyDir, async ({ db }) => {
        for (const c of await listClearings(db, { period: values.period, limit: 1000, offset: 0 })) {
          io.out(`${c.id}  ${c.facility_code}  ${c.kind}  ${c.period}  net ${formatYuan(c.net_fen)}${c.batch_id ? `  batch ${c.batch_id}` : ''}`);
        }
        return EXIT_OK;
      });
    }
    case 'statement': {
      const { values } = options(rest, { id: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } }, CLEARING_USAGE);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'pdf') throw new UsageError('--format is csv or pdf');
      const out = required(values.out, 'out', CLEARING_USAGE);
      return using(deps, policyDir, async ({ db, pdfFonts }) => {
        const c = await findClearing(db, Number(required(values.id, 'id', CLEARING_USAGE)));
        if (!c) throw new UsageError(`no clearing ${values.id}`);
        writeFileSync(out, format === 'csv' ? statementCsv(c) : await statementPdf(c, new PdfFonts(pdfFonts ?? { systemFonts: true })));
        io.out(`statement of ${c.facility_code} ${c.period} written to ${out}`);
        return EXIT_OK;
      });
    }
    case 'bank-account': {
      const { values } = options(rest, { facility: { type: 'string' }, account: { type: 'string' }, name: { type: 'string' }, bank: { type: 'string' } }, CLEARING_USAGE);
      return using(deps, policyDir, async ({ db }) => {
        const r = await setFacilityAccount(db, bankKeyFrom(process.env), {
          facility: required(values.facility, 'facility', CLEARING_USAGE), accountNumber: values.account, accountName: values.name, bankName: values.bank, actor: 'cli',
        });
        io.out(`${r.facility}: ${r.account}  ${r.accountName}  ${r.bankName}`);
        return EXIT_OK;
      });
    }
    case 'batch': {
      const { values } = options(rest, { period: { type: 'string' }, reference: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } }, CLEARING_USAGE);
      const format = values.format ?? 'csv';
      if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format is csv or xlsx');
      const out = required(values.out, 'out', CLEARING_USAGE);
      return using(deps, policyDir, async ({ db }) => {
        const key = bankKeyFrom(process.env);
        const batch = await createClearingBatch(db, { period: required(values.period, 'period', CLEARING_USAGE), reference: required(values.reference, 'reference', CLEARING_USAGE), actor: 'cli' });
        const file = await batchFile(db, key, batch.id, format, 'cli');
        writeFileSync(out, file.content, { mode: 0o600 });
        io.out(`batch ${batch.reference}: ${batch.lines} payment(s), ${formatYuan(batch.total_fen)} yuan, written to ${out}`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(`usage: ${CLEARING_USAGE}`);
  }
}
