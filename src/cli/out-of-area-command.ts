/**
 * `sanbao out-of-area report|import`: out-of-area treatment both ways for a
 * region and year, and the import of the inter-provincial clearing list
 * (CSV/XLSX, checked row by row; refused whole unless --skip-bad-rows).
 */
import { readFileSync, statSync } from 'node:fs';
import { formatYuan } from '../domain/money.ts';
import { loadPolicies, type PolicyRegistry } from '../domain/policy/registry.ts';
import { ClearingRejected, importClearingList } from '../service/clearing-import.ts';
import { outOfAreaReport, type DirectionFigures } from '../service/out-of-area-report.ts';
import { DEFAULT_TABLE_LIMITS, formatOfFile } from '../service/tabular.ts';
import type { Db } from '../store/db.ts';
import { options, required } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = 'sanbao out-of-area report --region CODE --year YYYY [--json] | out-of-area import FILE --region CODE [--skip-bad-rows]';

export interface OutOfAreaDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

function using<T>(deps: OutOfAreaDeps | undefined, policyDir: string | undefined, fn: (deps: OutOfAreaDeps) => Promise<T>): Promise<T> {
  if (deps) return fn(deps);
  return withDatabase((db, config) => fn({ db, policies: loadPolicies(policyDir ?? config.policyDir) }));
}

function region(value: string | boolean | undefined): string {
  const text = required(value, 'region', USAGE);
  if (!/^\d{6}$/.test(text)) throw new UsageError(`--region must be a 6-digit region code such as 540100, not "${text}"`);
  return text;
}

function lines(title: string, d: DirectionFigures): string[] {
  return [
    `${title}: ${d.settlements} settlements, ${formatYuan(d.total)} yuan, funds paid ${formatYuan(d.fund)} yuan (${d.filed} filed)`,
    ...d.byPlace.map((p) => `  ${p.place} ${p.name ?? p.province ?? ''}`.padEnd(24) + `${String(p.settlements).padStart(8)}  ${formatYuan(p.total).padStart(16)}  ${formatYuan(p.fund).padStart(16)}`),
  ];
}

export async function outOfAreaCommand(io: Io, argv: string[], policyDir?: string, deps?: OutOfAreaDeps): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'report': {
      const { values } = options(rest, { region: { type: 'string' }, year: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
      const code = region(values.region);
      const yearText = required(values.year, 'year', USAGE);
      if (!/^\d{4}$/.test(yearText)) throw new UsageError(`--year must be a year such as 2025, not "${yearText}"`);
      return using(deps, policyDir, async (d) => {
        const r = await outOfAreaReport(d.db, d.policies, code, Number(yearText));
        io.out(values.json ? JSON.stringify(r, null, 2) : [
          `out-of-area treatment ${r.region} ${r.year}`,
          ...lines('as insured place (our people treated elsewhere)', r.asInsuredPlace),
          ...lines('as treatment place (other regions\' people treated here)', r.asTreatmentPlace),
        ].join('\n'));
        return EXIT_OK;
      });
    }
    case 'import': {
      const { values, positionals } = options(rest, { region: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' } }, USAGE);
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError(`usage: ${USAGE}`);
      const code = region(values.region);
      const format = formatOfFile(file);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      // Capped before it is read, let alone unpacked.
      if (size > DEFAULT_TABLE_LIMITS.maxBytes) throw new UsageError(`${file} is larger than ${DEFAULT_TABLE_LIMITS.maxBytes} bytes; split it`);
      const content = readFileSync(file);
      return using(deps, policyDir, async (d) => {
        try {
          const r = await importClearingList(d.db, { region: code, fileName: file.split(/[\\/]/).pop()!, format, content, skipBadRows: values['skip-bad-rows'] === true, actor: 'cli' });
          io.out(r.alreadyImported
            ? `this file was already imported (batch ${r.batchId}); nothing changed`
            : `batch ${r.batchId}: ${r.imported} of ${r.rowsTotal} rows imported (${r.outbound} our people treated elsewhere, ${r.inbound} other regions' people treated here)${r.skipped.length ? `; ${r.skipped.length} bad rows skipped` : ''}`);
          return EXIT_OK;
        } catch (error) {
          if (error instanceof ClearingRejected) {
            throw new UsageError(`${file}: refused, nothing imported: ${error.problems.map((p) => `row ${p.row} ${p.field}: ${p.reason}`).join('; ')}`);
          }
          throw error;
        }
      });
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
