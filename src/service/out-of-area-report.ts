/**
 * Out-of-area treatment both ways for a region and year (as in the Lhasa
 * report: settlements and money as insured place, and as treatment place):
 * what Sanbao settled itself across the region's border, and what the
 * imported clearing lists add, by the other place.
 */
import { unprocessable } from '../domain/errors.ts';
import { formatYuan } from '../domain/money.ts';
import type { Sheet } from './tabular.ts';
import { provinceOf } from '../domain/out-of-area/provinces.ts';
import { regionPrefix, type PolicyRegistry } from '../domain/policy/registry.ts';
import type { Queryable } from '../store/db.ts';
import { asInsuredPlace, asTreatmentPlace, placeNames, type PlaceFigures } from '../store/repositories/out-of-area-stats.ts';

export interface PlaceLine {
  readonly place: string;
  readonly name: string | null;
  /** The province the place lies in (inter-provincial or not). */
  readonly province: string | null;
  readonly settlements: number;
  readonly total: number;
  readonly fund: number;
  readonly direct: number;
  readonly clearing: number;
  readonly filed: number;
}

export interface DirectionFigures {
  readonly settlements: number;
  readonly total: number;
  readonly fund: number;
  /** Direct settlements with a filing covering the visit (as insured place: our people's filings). */
  readonly filed: number;
  readonly byPlace: readonly PlaceLine[];
}

export interface OutOfAreaReport {
  readonly region: string;
  readonly year: number;
  readonly asInsuredPlace: DirectionFigures;
  readonly asTreatmentPlace: DirectionFigures;
}

function fold(rows: readonly PlaceFigures[], names: Map<string, string>): DirectionFigures {
  const byPlace = new Map<string, { place: string; name: string | null; province: string | null; settlements: number; total: number; fund: number; direct: number; clearing: number; filed: number }>();
  for (const r of rows) {
    const line = byPlace.get(r.place) ?? { place: r.place, name: names.get(r.place) ?? null, province: provinceOf(r.place)?.name ?? null, settlements: 0, total: 0, fund: 0, direct: 0, clearing: 0, filed: 0 };
    line.settlements += r.settlements;
    line.total += r.total_fen;
    line.fund += r.fund_fen;
    line.filed += r.filed;
    line[r.source] += r.settlements;
    byPlace.set(r.place, line);
  }
  const lines = [...byPlace.values()].sort((a, b) => b.settlements - a.settlements || a.place.localeCompare(b.place));
  const sum = (k: 'settlements' | 'total' | 'fund' | 'filed') => lines.reduce((s, l) => s + l[k], 0);
  return { settlements: sum('settlements'), total: sum('total'), fund: sum('fund'), filed: sum('filed'), byPlace: lines };
}

export async function outOfAreaReport(q: Queryable, policies: PolicyRegistry, region: string, year: number): Promise<OutOfAreaReport> {
  if (!policies.list().some((p) => p.region.code === region)) {
    throw unprocessable('UNKNOWN_REGION', `no policy covers region ${region}; the regions are ${[...new Set(policies.list().map((p) => p.region.code))].join(', ')}`, 'region');
  }
  const prefix = regionPrefix(region);
  const [insured, treatment] = [await asInsuredPlace(q, prefix, year), await asTreatmentPlace(q, prefix, year)];
  const names = await placeNames(q, [...new Set([...insured, ...treatment].map((r) => r.place))]);
  return { region, year, asInsuredPlace: fold(insured, names), asTreatmentPlace: fold(treatment, names) };
}

/** The report as one table (both directions, one line per place), for CSV and XLSX. */
export function outOfAreaSheet(r: OutOfAreaReport): Sheet {
  const yuan = (fen: number) => formatYuan(fen).replaceAll(',', '');
  const rows = (direction: string, d: DirectionFigures) => [
    ...d.byPlace.map((p) => [direction, p.place, p.name ?? '', p.province ?? '', p.settlements, p.direct, p.clearing, p.filed, yuan(p.total), yuan(p.fund)]),
    [direction, 'total', '', '', d.settlements, '', '', d.filed, yuan(d.total), yuan(d.fund)],
  ];
  return {
    name: `out-of-area ${r.region} ${r.year}`,
    columns: ['direction', 'place', 'name', 'province', 'settlements', 'settled_here', 'from_clearing', 'filed', 'total_yuan', 'fund_yuan'],
    rows: [...rows('as_insured_place', r.asInsuredPlace), ...rows('as_treatment_place', r.asTreatmentPlace)],
  };
}
