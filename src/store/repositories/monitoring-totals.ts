/**
 * How the monthly run finds the people whose yearly self-pay at the cut-off
 * can need an alert, as SQL CTEs ending in `totals (person_id, self_pay)`:
 * re-aggregated from every settlement of the year (full), or from the
 * year-to-date real time keeps (incremental) — for everyone above a threshold
 * on a year's first run, and only for the people changed since an earlier run
 * after it (steady state).
 *
 * Parameters the CTEs use: $1 the year, $2 the cut-off, $3 the lowest
 * threshold; incremental only: $6/$7 the year's first and last day, $8 the
 * lowest threshold for everyone, $9 the identities some threshold is
 * restricted to, $10 (steady state only) the instant changes are read from.
 * A steady state trusting real time reads fewer people still: only those whose
 * change since real time did not judge (IncrementalReach).
 */
import type { RunThreshold } from './monitoring-runs.ts';

/**
 * Every person's self-pay at the cut-off, from all the year's settlements: the bills' self-pay and, appended (no join
 * per bill), their adjustments' change of it. `holds` (may the person hold an identity some threshold is restricted
 * to?) is true for everyone: each threshold's identities are looked up for the people above it.
 */
export const FULL_TOTALS = `totals AS MATERIALIZED (
       SELECT x.person_id, sum(x.self_pay) AS self_pay, true AS holds FROM (
         SELECT s.person_id, s.self_pay FROM settlements s
         WHERE s.year = $1 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
         UNION ALL
         SELECT s.person_id, a.self_pay_fen FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id
         WHERE a.year = $1 AND a.created_at < $2 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
       ) x GROUP BY x.person_id
     )`;

/**
 * The people changed since $10 other than by their year-to-date (which real
 * time stamps with updated_at when a bill is settled, reversed or corrected,
 * read in the same scan as the totals): an identity of theirs added or ended,
 * or their record changed (a division moved). Both by their indexes.
 */
const CHANGED_ELSEWHERE = `changed_elsewhere AS MATERIALIZED (
       SELECT i.person_id FROM identities i WHERE coalesce(i.ended_at, i.created_at) >= $10
       UNION
       SELECT p.id FROM persons p WHERE p.updated_at >= $10
     )`;

/**
 * The people a steady state trusting real time reads (`trusted`): those whose bills real time's judgement may not
 * stand for — an earlier bill reversed or corrected since $10 (the running total before a later bill is not what real
 * time saw), an identity added or ended since, the record changed since — each by its index (settlements by facility
 * and reversal time, adjustments by creation, identities by change, persons by update). A bill settled since was
 * judged at its settlement with the run's thresholds; one settled before, by the run before.
 */
const CHANGED_UNJUDGED = `changed_unjudged AS MATERIALIZED (
       SELECT c.person_id FROM facilities f CROSS JOIN LATERAL (
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $10 AND s.year = $1) c
       UNION
       SELECT a.person_id FROM settlement_adjustments a WHERE a.created_at >= $10 AND a.year = $1
       UNION
       SELECT i.person_id FROM identities i WHERE coalesce(i.ended_at, i.created_at) >= $10
       UNION
       SELECT p.id FROM persons p WHERE p.updated_at >= $10
     )`;

/**
 * The year-to-dates of a steady state trusting real time: only those of the people CHANGED_UNJUDGED names (a few
 * hundred: each by its key, never a scan of the year's), above the lowest threshold or changed after the cut-off; and
 * beside them, in one scan of the year's rows, what the count of people needs (countedPersons): how many, and those
 * with no self-pay. (Closed by the caller, as the other ytd.)
 */
const TRUSTED_YTD = `ytd AS MATERIALIZED (
       SELECT y.person_id, y.self_pay, y.updated_at FROM (SELECT DISTINCT person_id FROM changed_unjudged) c
       JOIN accumulators y ON y.person_id = c.person_id AND y.year = $1
       WHERE y.self_pay > $3 OR y.person_id IN (SELECT person_id FROM late)
     ), year_rows AS MATERIALIZED (
       SELECT count(*) AS n, coalesce(array_agg(y.person_id) FILTER (WHERE y.self_pay = 0), '{}') AS no_self_pay
       FROM accumulators y WHERE y.year = $1`;

/**
 * Whom an incremental run reads: everyone above a threshold (`first`: the year's first run, or thresholds changed),
 * only those changed since $10 (`changed`: year-to-date moved, identity or record changed), or only those whose change
 * since $10 real time did not judge (`trusted`: CHANGED_UNJUDGED).
 */
export type IncrementalReach = 'first' | 'changed' | 'trusted';

/** The condition on a year-to-date row `y` for its person to be read, by reach (trusted: `ytd` holds only them, TRUSTED_YTD). */
function reachFilter(reach: IncrementalReach): string {
  return reach === 'changed' ? 'AND (y.updated_at >= $10 OR y.person_id IN (SELECT person_id FROM changed_elsewhere))' : '';
}

/**
 * The same totals, for the only people who can need an alert, from what real
 * time keeps: each person's year-to-date self-pay (accumulators) is the sum of
 * their settled bills' self-pay with all their adjustments (the engine adds
 * each bill's; a reversal or correction settles the year again and sets it to
 * what the year now adds up to). The total at the cut-off is that, less what
 * changed after the cut-off — read from those changes alone, never from a
 * person's other bills: bills settled after it (still settled), adjustments
 * made after it on bills settled before it, and, added back, bills settled
 * before it and reversed after it (with their adjustments made before it).
 * Only people above a threshold that can apply to them go on to the walk
 * ($8: the lowest threshold for everyone; $9: the identities some threshold
 * is restricted to) and, past the year's first run, only people changed since
 * $10 (`reach`, IncrementalReach).
 */
export function incrementalTotals(reach: IncrementalReach): string {
  const filter = reachFilter(reach);
  const changed = reach === 'changed' ? ` ${CHANGED_ELSEWHERE},` : reach === 'trusted' ? ` ${CHANGED_UNJUDGED},` : '';
  return `late AS MATERIALIZED (
       SELECT x.person_id, sum(x.delta) AS delta FROM (
         SELECT c.person_id, c.delta FROM facilities f CROSS JOIN LATERAL (
           SELECT s.person_id, s.self_pay + coalesce((SELECT sum(a.self_pay_fen) FROM settlement_adjustments a WHERE a.settlement_id = s.id), 0) AS delta
           FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1 AND s.status = 'settled'
           UNION ALL
           SELECT s.person_id, -(s.self_pay + coalesce((SELECT sum(a.self_pay_fen) FROM settlement_adjustments a WHERE a.settlement_id = s.id AND a.created_at < $2), 0))
           FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $2 AND s.settled_at < $2 AND s.year = $1
         ) c
         UNION ALL
         SELECT a.person_id, a.self_pay_fen FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id
         WHERE a.year = $1 AND a.created_at >= $2 AND s.settled_at < $2 AND s.status = 'settled'
       ) x GROUP BY x.person_id
     ),${changed} ${reach === 'trusted' ? TRUSTED_YTD : `ytd AS MATERIALIZED (
       -- The year-to-dates read once, and only those the totals or the count of people (countedPersons) need: above
       -- the lowest threshold or changed after the cut-off (past the first run, only those changed since), or with no
       -- self-pay. The people are counted apart (a plain count of the year's rows: the table or its key, as planned).
       SELECT y.person_id, y.self_pay, y.updated_at FROM accumulators y
       WHERE y.year = $1 AND (y.self_pay = 0 OR ((y.self_pay > $3 OR y.person_id IN (SELECT person_id FROM late))
         ${filter}))`}
     ), totals AS MATERIALIZED (
       SELECT t.person_id, t.self_pay, t.holds FROM (
         -- Only year-to-dates above the lowest threshold, or changed after the cut-off, go on to the join (a few
         -- thousand of a county's people, not all of them hashed); past the first run, only those changed since.
         -- holds: one of the identities some threshold is restricted to, some day of the year (one lookup of the
         -- holders for all: the planner hashes them when many people are read).
         SELECT y.person_id, y.self_pay - coalesce(l.delta, 0) AS self_pay,
           EXISTS (SELECT 1 FROM identities i WHERE i.person_id = y.person_id AND i.ended_at IS NULL
             AND i.identity = ANY ($9::text[]) AND i.valid_from <= $7::date AND (i.valid_to IS NULL OR i.valid_to >= $6::date)) AS holds
         FROM ytd y LEFT JOIN late l ON l.person_id = y.person_id
         WHERE (y.self_pay > $3 OR y.person_id IN (SELECT person_id FROM late))
           ${filter}
         OFFSET 0 -- not flattened: holds is looked up once a row, not once for each place it is used
       ) t
       -- Above a threshold for everyone, or above one for some identities and holding one of them.
       WHERE t.self_pay > $3 AND (t.self_pay > $8 OR t.holds)
     )`;
}

/**
 * People with settlements counted at the cut-off (settled before it, not
 * reversed by then), from the year-to-dates (counted by their key; those with no self-pay from `ytd`), without
 * reading every bill: everyone with a year-to-date row (real time makes one
 * with the person's first bill), less those of them whose bills are all
 * settled after the cut-off or all reversed before it — looked for only among
 * people with a bill settled or reversed after the cut-off, or no self-pay in
 * their year-to-date (a self-pay above zero, nothing changed after the
 * cut-off, proves a counting bill). A steady state trusting real time takes
 * both from `year_rows` (TRUSTED_YTD): its year-to-dates are read by key.
 */
export function countedPersons(reach: IncrementalReach): string {
  const all = reach === 'trusted' ? '(SELECT n FROM year_rows)' : '(SELECT count(*) FROM accumulators y WHERE y.year = $1)';
  const noSelfPay = reach === 'trusted' ? 'SELECT unnest(no_self_pay) FROM year_rows' : 'SELECT person_id FROM ytd WHERE self_pay = 0';
  return `(${all} - (SELECT count(*) FROM (
         SELECT c.person_id FROM facilities f CROSS JOIN LATERAL (
           SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1
           UNION ALL
           SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $2 AND s.year = $1
         ) c
         UNION
         ${noSelfPay}
       ) d WHERE NOT EXISTS (
         SELECT 1 FROM settlements s WHERE s.person_id = d.person_id AND s.year = $1 AND s.settled_at < $2
           AND (s.status = 'settled' OR s.reversed_at >= $2))))::int`;
}

/** The lowest threshold that applies whatever the identities (none: above any amount), and every identity a threshold is restricted to. */
export function incrementalParams(thresholds: readonly RunThreshold[]): [string, string[]] {
  const open = thresholds.filter((t) => t.identities === null).map((t) => t.amount);
  const identities = [...new Set(thresholds.flatMap((t) => t.identities ?? []))];
  return [open.length > 0 ? String(Math.min(...open)) : '9223372036854775807', identities];
}
