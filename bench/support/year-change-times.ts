/**
 * The moments of a realistic year's changes, as real time would have stamped
 * them. The generator settles every bill at the machine's clock and then dates
 * it (settled_at, reversed_at, adjustments' created_at) somewhere in the year;
 * what real time stamps beside — the year-to-date's updated_at, an identity's
 * created_at, the person's updated_at — keeps the generator's clock, which
 * makes every person look changed after every cut-off of the year. The
 * monthly run's steady state reads only the people changed since the run
 * before, so bench:monitor dates these too: each year-to-date when the
 * person's last bill was settled, reversed or corrected; each identity on the
 * day it starts (or, one whose end a later change set, on the day after its
 * end); the people as registered before the year. Done once per kept year (a
 * table bench_change_times marks it).
 */
import type { Db } from '../../src/store/db.ts';

export async function stampYearChangeTimes(db: Db, year: number, log: (line: string) => void): Promise<void> {
  const [done] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'bench_change_times'`);
  if (done?.n) return;
  const t0 = performance.now();
  log('dating the year-to-dates, identities and people as real time would have (once for this year)…');
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '256MB'`);
    await tx.query(
      `WITH last AS (
         SELECT x.person_id, max(x.t) AS t FROM (
           SELECT s.person_id, greatest(s.settled_at, s.reversed_at) AS t FROM settlements s WHERE s.year = $1
           UNION ALL
           SELECT a.person_id, a.created_at FROM settlement_adjustments a WHERE a.year = $1
         ) x GROUP BY x.person_id
       )
       UPDATE accumulators y SET updated_at = last.t FROM last WHERE y.person_id = last.person_id AND y.year = $1 AND y.updated_at <> last.t`,
      [year],
    );
    await tx.query(
      `UPDATE identities SET created_at = (CASE WHEN valid_to IS NULL THEN valid_from ELSE valid_to + 1 END)::timestamp AT TIME ZONE 'Asia/Shanghai'
       WHERE ended_at IS NULL`,
    );
    await tx.query(`UPDATE persons SET updated_at = make_timestamptz($1 - 1, 12, 1, 0, 0, 0, 'Asia/Shanghai') WHERE updated_at > make_timestamptz($1 - 1, 12, 1, 0, 0, 0, 'Asia/Shanghai')`, [year]);
    await tx.query('CREATE TABLE bench_change_times (done_at timestamptz NOT NULL DEFAULT now())');
    await tx.query('INSERT INTO bench_change_times DEFAULT VALUES');
  });
  await db.query('VACUUM ANALYZE accumulators');
  log(`  dated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
