/**
 * `sanbao report coverage|unenrolled|subsidies --year Y` (a table on standard
 * output, or a CSV/XLSX file) and `sanbao household CODE --year Y`.
 */
import { writeFileSync } from 'node:fs';
import { formatPercent, formatYuan } from '../domain/money.ts';
import { loadPolicies } from '../domain/policy/registry.ts';
import { householdRef, householdView } from '../service/enrollment-household.ts';
import { coverage, exportReport, REPORTS, subsidies, unenrolledList, type ReportName } from '../service/enrollment-reports.ts';
import { TABLE_FORMATS, type TableFormat } from '../service/tabular.ts';
import { divisionOf, options, yearOf } from './args.ts';
import { withDatabase } from './database.ts';
import { CLI_ACTOR, defaultDivision } from './enrollment-commands.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const REPORT_USAGE = 'sanbao report coverage|unenrolled|subsidies --year Y [--division CODE] [--format csv|xlsx --out FILE] [--unmask] [--in-difficulty]';

export async function reportCommand(io: Io, args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!(REPORTS as readonly string[]).includes(name ?? '')) throw new UsageError(`usage: ${REPORT_USAGE}`);
  const report = name as ReportName;
  const { values } = options(rest, {
    year: { type: 'string' }, division: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, unmask: { type: 'boolean' },
    'in-difficulty': { type: 'boolean' },
  }, REPORT_USAGE);
  const difficultyOnly = values['in-difficulty'] === true;
  const year = yearOf(values.year, REPORT_USAGE);
  const format = values.format as TableFormat | undefined;
  if (format !== undefined && !TABLE_FORMATS.includes(format)) throw new UsageError('--format must be csv or xlsx');
  if ((format === undefined) !== (values.out === undefined)) throw new UsageError('--format and --out go together');
  const viewer = { actor: CLI_ACTOR, unmask: values.unmask === true };
  return withDatabase(async (db) => {
    const division = await defaultDivision(db, divisionOf(values.division));
    if (format && typeof values.out === 'string') {
      const content = await exportReport(db, report, format, year, division, viewer, { difficultyOnly });
      writeFileSync(values.out, content);
      io.out(`${report} ${year} for ${division} written to ${values.out} (${content.length.toLocaleString('en')} bytes)`);
      return EXIT_OK;
    }
    if (report === 'coverage') {
      const c = await coverage(db, year, division);
      io.out(`coverage ${year}           target   enrolled  not enr.   rate   | in difficulty: target enrolled rate`);
      for (const l of c.lines) {
        const label = `${'  '.repeat(l.level - 1)}${l.code} ${l.name}`;
        io.out(`${label.padEnd(30)} ${String(l.target).padStart(7)} ${String(l.enrolled).padStart(9)} ${String(l.notEnrolled).padStart(8)} ` +
          `${formatPercent(l.rate).padStart(7)}   | ${String(l.difficultyTarget).padStart(6)} ${String(l.difficultyEnrolled).padStart(8)} ${formatPercent(l.difficultyRate).padStart(7)}`);
      }
    } else if (report === 'unenrolled') {
      const u = await unenrolledList(db, { year, prefix: division, difficultyOnly }, viewer);
      io.out(`not enrolled in ${year}, ${division}: ${u.total} people${difficultyOnly ? ' holding an identity' : ''}`);
      for (const p of u.people) {
        io.out(`${p.divisionCode} ${p.divisionName}  ${p.household ?? '-'}  ${p.name}  ${p.idNumber}  ${p.phone ?? ''}  ` +
          `${p.identities.join(' ')}  due ${p.due === null ? 'campaign not opened' : `${formatYuan(p.due)} yuan`}`);
      }
    } else {
      const s = await subsidies(db, year, division);
      io.out(`subsidies ${year}, ${division} (paid on behalf, yuan):`);
      for (const l of s.lines) io.out(`  ${l.department.padEnd(22)} ${l.identity.padEnd(20)} ${l.kind.padEnd(10)} ${String(l.persons).padStart(7)} people  ${formatYuan(l.subsidy).padStart(16)}`);
      for (const d of s.departments) io.out(`  ${d.department.padEnd(22)} total ${String(d.persons).padStart(33)} people  ${formatYuan(d.subsidy).padStart(16)}`);
      io.out(`  all departments ${String(s.total.persons).padStart(44)} people  ${formatYuan(s.total.subsidy).padStart(16)}`);
    }
    return EXIT_OK;
  });
}

const HOUSEHOLD_USAGE = 'sanbao household CODE --year Y [--unmask] [--json]';

export async function householdCommand(io: Io, args: string[], policyDir: string | undefined): Promise<number> {
  const { values, positionals } = options(args, { year: { type: 'string' }, unmask: { type: 'boolean' }, json: { type: 'boolean' } }, HOUSEHOLD_USAGE);
  const code = positionals[0];
  if (!code) throw new UsageError(`usage: ${HOUSEHOLD_USAGE}`);
  const year = yearOf(values.year, HOUSEHOLD_USAGE);
  const policies = loadPolicies(policyDir);
  return withDatabase(async (db) => {
    const ref = await householdRef(db, { code });
    const v = await householdView(db, policies, ref.id, year, { actor: CLI_ACTOR, unmask: values.unmask === true });
    if (values.json) {
      io.out(JSON.stringify(v));
      return EXIT_OK;
    }
    io.out(`household ${v.household.code} (${v.household.divisionCode}), ${year}: ${v.totals.members} members`);
    for (const m of v.members) {
      io.out(`  ${m.name.padEnd(8)} ${m.idNumber}  ${(m.identities.map((i) => i.identity).join(' ') || '-').padEnd(30)} ` +
        `contribution ${formatYuan(m.contribution)}  subsidy ${formatYuan(m.subsidy)}${m.subsidyDepartment ? ` (${m.subsidyDepartment})` : ''}  pays ${formatYuan(m.individual)}  ${m.status}`);
    }
    io.out(`  the household pays ${formatYuan(v.totals.individual)} yuan and is subsidised ${formatYuan(v.totals.subsidy)} yuan; paid ${formatYuan(v.totals.paid)}, due ${formatYuan(v.totals.due)}`);
    return EXIT_OK;
  });
}
