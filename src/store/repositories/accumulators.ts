/**
 * Year-to-date accumulators per person and year. Settlements for one person
 * serialize on this row (SELECT … FOR UPDATE); different people run in parallel.
 */
import { EMPTY_YEAR_TO_DATE, YEAR_TO_DATE_FIELDS, type YearToDate } from '../../domain/engine/types.ts';
import { tiersAccountFor } from '../../domain/engine/readjudicate.ts';
import type { Queryable } from '../db.ts';

/** Column name of each accumulator field. */
export const ACCUMULATOR_COLUMN: Record<keyof YearToDate, string> = {
  basic: 'basic',
  criticalBase: 'critical_base',
  critical: 'critical',
  assistance: 'assistance',
  assistanceMajor: 'assistance_major',
  supplementary: 'supplementary',
  tilt: 'tilt',
  outpatientDeductibleUsed: 'outpatient_deductible_used',
  outpatientFund: 'outpatient_fund',
  chronicFund: 'chronic_fund',
  selfPay: 'self_pay',
};

const SELECT_LIST = YEAR_TO_DATE_FIELDS.map((f) => `${ACCUMULATOR_COLUMN[f]} AS "${f}"`).join(', ');

/** Reads the year's accumulators without locking (pre-settlement, queries). */
export async function readYearToDate(q: Queryable, personId: number, year: number): Promise<YearToDate> {
  const rows = await q.query<YearToDate & Record<string, unknown>>(
    `SELECT ${SELECT_LIST} FROM accumulators WHERE person_id = $1 AND year = $2`,
    [personId, year],
  );
  return rows[0] ? { ...rows[0] } : { ...EMPTY_YEAR_TO_DATE };
}

/** Creates the row if needed and locks it for the rest of the transaction. */
export async function lockYearToDate(q: Queryable, personId: number, year: number): Promise<YearToDate> {
  await q.query('INSERT INTO accumulators (person_id, year) VALUES ($1, $2) ON CONFLICT DO NOTHING', [personId, year]);
  const rows = await q.query<YearToDate & Record<string, unknown>>(
    `SELECT ${SELECT_LIST} FROM accumulators WHERE person_id = $1 AND year = $2 FOR UPDATE`,
    [personId, year],
  );
  return { ...rows[0]! };
}

/** Adds a signed delta to each accumulator (a settlement adds, a reversal subtracts). */
export async function addToYearToDate(q: Queryable, personId: number, year: number, delta: YearToDate, sign: 1 | -1): Promise<void> {
  const sets = YEAR_TO_DATE_FIELDS.map((f, i) => `${ACCUMULATOR_COLUMN[f]} = ${ACCUMULATOR_COLUMN[f]} + $${i + 3}`).join(', ');
  await q.query(`UPDATE accumulators SET ${sets}, updated_at = now() WHERE person_id = $1 AND year = $2`, [
    personId,
    year,
    ...YEAR_TO_DATE_FIELDS.map((f) => sign * delta[f]),
  ]);
}

export function deltaOf(before: YearToDate, after: YearToDate): YearToDate {
  const delta = { ...EMPTY_YEAR_TO_DATE };
  for (const f of YEAR_TO_DATE_FIELDS) delta[f] = after[f] - before[f];
  return delta;
}

/** Each supplementary tier's payments of the year so far, by tier id (issue 11: each tier's cap is its own). */
export async function readSupplementaryYearToDate(q: Queryable, personId: number, year: number): Promise<Record<string, number>> {
  const rows = await q.query<{ tiers: Record<string, unknown> }>('SELECT supplementary_tiers AS tiers FROM accumulators WHERE person_id = $1 AND year = $2', [personId, year]);
  return tiersOf(rows[0]?.tiers);
}

/**
 * The per-tier year the engine may count on: only when the tiers account for
 * every fen of the supplementary fund's year. Otherwise (a policy's one-section
 * form, or a year settled before tiers kept their own) undefined, and the whole
 * fund's year bounds each cap: never more than a cap, sometimes less.
 */
export function supplementaryYearToDateOf(fundYear: number, tiers: Record<string, number>): Record<string, number> | undefined {
  return tiersAccountFor(tiers, fundYear) ? tiers : undefined;
}

/** Sets each supplementary tier's year (under the accumulator lock: re-adjudication's result). */
export async function writeSupplementaryYearToDate(q: Queryable, personId: number, year: number, tiers: Readonly<Record<string, number>>): Promise<void> {
  const kept: Record<string, number> = {};
  for (const [id, fen] of Object.entries(tiers)) if (fen !== 0) kept[id] = fen;
  await q.query('UPDATE accumulators SET supplementary_tiers = $3::jsonb WHERE person_id = $1 AND year = $2', [personId, year, JSON.stringify(kept)]);
}

/** A stored per-tier year (jsonb) as fen by tier id. */
export function tiersOf(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (raw && typeof raw === 'object') for (const [id, fen] of Object.entries(raw as Record<string, unknown>)) out[id] = Number(fen);
  return out;
}
