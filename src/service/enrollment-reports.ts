/**
 * Coverage figures, the door-to-door list of people not yet enrolled, and
 * subsidy totals — for a division and everything under it — and their export
 * as CSV or XLSX. Personal data is masked unless the caller may unmask, and
 * every unmasking is audited.
 */
import { coverageRate } from '../domain/enrollment/campaign.ts';
import { formatPercent, formatYuan } from '../domain/money.ts';
import { showPerson, type ShownPersonalData } from '../domain/privacy.ts';

/** The list has no birth-date column: name, ID number and phone only. */
const pickNumbers = ({ name, idNumber, phone }: ShownPersonalData) => ({ name, idNumber, phone });
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { coverageByVillage, divisionsUnder, subsidyTotals, unenrolled, type UnenrolledFilter } from '../store/repositories/coverage.ts';
import { checkYear } from './enrollment-campaign.ts';
import { toCsv, toXlsx, type Sheet, type TableFormat } from './tabular.ts';

export interface CoverageLine {
  readonly code: string;
  readonly name: string;
  /** The division's Tibetan and English names, where the register has them. */
  readonly nameBo: string | null;
  readonly nameEn: string | null;
  readonly level: number;
  readonly target: number;
  readonly enrolled: number;
  readonly notEnrolled: number;
  /** Basis points, rounded down: 9926 = 99.26 %. */
  readonly rate: number;
  readonly difficultyTarget: number;
  readonly difficultyEnrolled: number;
  readonly difficultyRate: number;
}

/** Coverage of a division and every division under it (county → townships → villages), in code order. */
export async function coverage(q: Queryable, year: number, division: string): Promise<{ year: number; division: string; lines: CoverageLine[] }> {
  checkYear(year);
  const villages = await coverageByVillage(q, year, division);
  const divisions = await divisionsUnder(q, division);
  const totals = new Map<string, { target: number; enrolled: number; dt: number; de: number }>();
  for (const v of villages) {
    // Every ancestor code (6, 9, 12 digits) down to the division asked for.
    for (const length of [6, 9, 12]) {
      if (length > v.division_code.length || length < division.length) continue;
      const code = v.division_code.slice(0, length);
      const t = totals.get(code) ?? { target: 0, enrolled: 0, dt: 0, de: 0 };
      t.target += v.target;
      t.enrolled += v.enrolled;
      t.dt += v.difficulty_target;
      t.de += v.difficulty_enrolled;
      totals.set(code, t);
    }
  }
  const lines = divisions
    .filter((d) => totals.has(d.code))
    .map((d): CoverageLine => {
      const t = totals.get(d.code)!;
      return {
        code: d.code, name: d.name, nameBo: d.name_bo, nameEn: d.name_en, level: d.level, target: t.target, enrolled: t.enrolled, notEnrolled: t.target - t.enrolled,
        rate: coverageRate(t.enrolled, t.target), difficultyTarget: t.dt, difficultyEnrolled: t.de, difficultyRate: coverageRate(t.de, t.dt),
      };
    });
  return { year, division, lines };
}

export interface Viewer {
  readonly actor: string;
  /** Show full names, ID numbers and phones (audited). */
  readonly unmask: boolean;
}

/** The people not yet enrolled, masked unless the viewer unmasks (which is audited). */
export async function unenrolledList(q: Queryable, filter: UnenrolledFilter, viewer: Viewer) {
  checkYear(filter.year);
  const { rows, total } = await unenrolled(q, filter);
  if (viewer.unmask && rows.length > 0) {
    await audit(q, {
      actor: viewer.actor, action: 'person.unmask', entity: 'report', entityId: `unenrolled:${filter.year}:${filter.prefix}`,
      detail: { persons: rows.map((r) => r.person_id) },
    });
  }
  return {
    year: filter.year,
    division: filter.prefix,
    total,
    people: rows.map((r) => ({
      personId: r.person_id,
      divisionCode: r.division_code,
      divisionName: r.division_name,
      divisionNameBo: r.division_name_bo,
      divisionNameEn: r.division_name_en,
      household: r.household_code,
      ...pickNumbers(showPerson({ name: r.name, idNumber: r.id_number, phone: r.phone }, viewer.unmask)),
      relation: r.relation,
      identities: r.identities ? r.identities.split(',') : [],
      campaignOpened: r.status !== null,
      individual: r.individual_fen,
      paid: r.paid_fen,
      due: r.individual_fen === null ? null : r.individual_fen - r.paid_fen,
    })),
  };
}

export async function subsidies(q: Queryable, year: number, division: string) {
  checkYear(year);
  const rows = await subsidyTotals(q, year, division);
  const lines = rows.map((r) => ({
    department: r.department, identity: r.identity, kind: r.kind, persons: r.persons, subsidy: r.subsidy_fen,
    enrolledPersons: r.enrolled_persons, enrolledSubsidy: r.enrolled_subsidy_fen,
  }));
  const byDepartment = new Map<string, { persons: number; subsidy: number; enrolledSubsidy: number }>();
  for (const l of lines) {
    const t = byDepartment.get(l.department) ?? { persons: 0, subsidy: 0, enrolledSubsidy: 0 };
    t.persons += l.persons;
    t.subsidy += l.subsidy;
    t.enrolledSubsidy += l.enrolledSubsidy;
    byDepartment.set(l.department, t);
  }
  return {
    year,
    division,
    lines,
    departments: [...byDepartment.entries()].map(([department, t]) => ({ department, ...t })),
    total: {
      persons: lines.reduce((a, l) => a + l.persons, 0),
      subsidy: lines.reduce((a, l) => a + l.subsidy, 0),
      enrolledSubsidy: lines.reduce((a, l) => a + l.enrolledSubsidy, 0),
    },
  };
}

export const REPORTS = ['coverage', 'unenrolled', 'subsidies'] as const;
export type ReportName = (typeof REPORTS)[number];

export interface ExportOptions {
  /** The not-enrolled list of people holding an identity only (the verified people in difficulty). */
  readonly difficultyOnly?: boolean;
}

async function sheetOf(q: Queryable, report: ReportName, year: number, division: string, viewer: Viewer, o: ExportOptions): Promise<Sheet> {
  if (report === 'coverage') {
    const c = await coverage(q, year, division);
    return {
      name: `coverage ${year}`,
      columns: ['division_code', 'division', 'level', 'target', 'enrolled', 'not_enrolled', 'rate', 'difficulty_target', 'difficulty_enrolled', 'difficulty_rate'],
      rows: c.lines.map((l) => [l.code, l.name, l.level, l.target, l.enrolled, l.notEnrolled, formatPercent(l.rate), l.difficultyTarget, l.difficultyEnrolled, formatPercent(l.difficultyRate)]),
    };
  }
  if (report === 'unenrolled') {
    const u = await unenrolledList(q, { year, prefix: division, difficultyOnly: o.difficultyOnly ?? false }, viewer);
    return {
      name: `not enrolled ${year}`,
      columns: ['division_code', 'village', 'household', 'name', 'id_number', 'phone', 'relation', 'identities', 'individual_yuan', 'paid_yuan'],
      rows: u.people.map((p) => [
        p.divisionCode, p.divisionName, p.household, p.name, p.idNumber, p.phone, p.relation, p.identities.join(' '),
        p.individual === null ? null : formatYuan(p.individual), formatYuan(p.paid),
      ]),
    };
  }
  const s = await subsidies(q, year, division);
  return {
    name: `subsidies ${year}`,
    columns: ['department', 'identity', 'kind', 'persons', 'subsidy_yuan', 'enrolled_persons', 'enrolled_subsidy_yuan'],
    rows: [
      ...s.lines.map((l) => [l.department, l.identity, l.kind, l.persons, formatYuan(l.subsidy), l.enrolledPersons, formatYuan(l.enrolledSubsidy)]),
      ['total', '', '', s.total.persons, formatYuan(s.total.subsidy), '', formatYuan(s.total.enrolledSubsidy)],
    ],
  };
}

/** One report as CSV, or as an XLSX workbook (coverage as XLSX carries all three sheets). */
export async function exportReport(
  q: Queryable,
  report: ReportName,
  format: TableFormat,
  year: number,
  division: string,
  viewer: Viewer,
  o: ExportOptions = {},
): Promise<Buffer> {
  checkYear(year);
  if (format === 'csv') return toCsv(await sheetOf(q, report, year, division, viewer, o));
  const names: ReportName[] = report === 'coverage' ? ['coverage', 'unenrolled', 'subsidies'] : [report];
  const sheets: Sheet[] = [];
  for (const name of names) sheets.push(await sheetOf(q, name, year, division, viewer, o));
  return toXlsx(sheets);
}
