/**
 * Effective-dated rules: a policy's year split into periods, each with the
 * benefits in force. A change names its first day (`from`), optionally its
 * last (`to`), and only what changes; it applies on top of the rules before
 * it. Periods must cover the year without gap or overlap.
 */
import { buildBenefits, type Report } from './compile.ts';
import { benefitsSchema, type PolicyFile } from './schema.ts';
import type { Benefits, RulePeriod } from './types.ts';

const DAY = 86_400_000;

/** A real calendar date as YYYY-MM-DD (the schema checked only the shape). */
function isRealDate(iso: string): boolean {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso;
}

/** The ISO date `days` after (or before) another. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merged field by field; lists and values replaced whole. */
export function mergeRules(base: unknown, change: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(change)) return change;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) out[key] = key in base ? mergeRules(base[key], value) : value;
  return out;
}

/**
 * The year's periods: the policy's own benefits from 1 January, then each
 * change in date order. Reports overlaps, gaps and dates outside the year.
 */
export function buildPeriods(rawBenefits: unknown, data: PolicyFile, yearBenefits: Benefits, report: Report): RulePeriod[] {
  const first = `${data.year}-01-01`;
  const last = `${data.year}-12-31`;
  const changes = data.changes ?? [];
  const periods: { from: string; to: string; note: string | null; benefits: Benefits }[] = [
    { from: first, to: last, note: null, benefits: yearBenefits },
  ];
  let rules = rawBenefits;
  let previousTo: { field: string; date: string } | null = null;
  changes.forEach((change, i) => {
    const at = `changes.${i}`;
    const dates: [string, string | undefined][] = [['from', change.from], ['to', change.to]];
    for (const [name, date] of dates) {
      if (date === undefined) continue;
      if (!isRealDate(date)) report(`${at}.${name}`, `${date} is not a calendar date`);
      else if (date < first || date > last) report(`${at}.${name}`, `${date} is outside the policy's year ${data.year}`);
    }
    if (change.from === first) report(`${at}.from`, `the year's own rules start on ${first}; a change starts later`);
    if (change.to !== undefined && change.to < change.from) report(`${at}.to`, `${change.to} is before its from (${change.from})`);
    const before = periods[periods.length - 1]!;
    if (change.from <= before.from) {
      report(`${at}.from`, `${change.from} overlaps the rules from ${before.from}: changes are listed in date order`);
    } else if (previousTo !== null && change.from <= previousTo.date) {
      report(`${at}.from`, `${change.from} overlaps ${previousTo.field} (to ${previousTo.date})`);
    } else if (previousTo !== null && change.from > addDays(previousTo.date, 1)) {
      report(`${at}.from`, `leaves ${addDays(previousTo.date, 1)} to ${addDays(change.from, -1)} without rules (${previousTo.field} is ${previousTo.date})`);
    }
    // The period before ends the day before this one starts (or on its own `to`).
    if (previousTo === null) before.to = addDays(change.from, -1);
    previousTo = change.to !== undefined ? { field: `${at}.to`, date: change.to } : null;

    rules = mergeRules(rules, change.benefits);
    const parsed = benefitsSchema.safeParse(rules);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) report(`${at}.benefits.${issue.path.join('.')}`, issue.message);
      return;
    }
    const benefits = buildBenefits(parsed.data, `${at}.`, report);
    periods.push({ from: change.from, to: change.to ?? last, note: change.note ?? null, benefits });
  });
  const end = previousTo as { field: string; date: string } | null;
  if (end !== null && end.date < last) report(end.field, `leaves ${addDays(end.date, 1)} to ${last} without rules`);
  return periods;
}
