/**
 * Random years of a person lived through the API, for the monitoring run's
 * equivalence tests: bills, reversals and identity changes, each dated when
 * the event says (settlement times spread over the year and past a run's
 * month, even into the next year; the test clock is later than 2025).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../../src/domain/vocabulary.ts';
import type { Db } from '../../src/store/db.ts';
import { insertIdentity } from '../../src/store/repositories/persons.ts';
import { hospitalReverse, hospitalSettle } from './hospital.ts';
import { changeIdentity } from './monitoring.ts';
import { addEnrolledPerson } from './more-persons.ts';

export const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
/** When the bill of day d was settled (or reversed): `lag` days later, which may be after the run's month, even in the next year. */
const at = (d: number, lag: number, seq: number) => new Date(Date.UTC(2025, 0, 1 + d + lag, 2, 0, seq));

export type Event =
  | { kind: 'bill'; day: number; lag: number; total: number; compliant: number }
  | { kind: 'identity'; day: number; identity: Identity | null }
  | { kind: 'reverse'; day: number; lag: number; n: number };

export const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ day: fc.integer({ min: 0, max: 364 }), lag: fc.integer({ min: 0, max: 40 }), compliant: fc.integer({ min: 0, max: 2_000_000 }), excluded: fc.integer({ min: 0, max: 800_000 }) })
      .map((b) => ({ kind: 'bill' as const, day: b.day, lag: b.lag, total: b.compliant + b.excluded, compliant: b.compliant })),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('identity' as const), day: fc.integer({ min: 1, max: 364 }), identity: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living', 'monitored') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), day: fc.integer({ min: 0, max: 364 }), lag: fc.integer({ min: 0, max: 40 }), n: fc.nat() }) },
);

/** A person and the years they lived. */
export const peopleArb = fc.array(
  fc.record({ start: fc.constantFrom<Identity | null>(null, 'poverty_alleviated', 'minimum_living'), events: fc.array(eventArb, { minLength: 1, maxLength: 9 }) }),
  { minLength: 2, maxLength: 5 },
);

let run = 0;
let seq = 0;
/** A person's year through the API; each write is then dated when the event says. Returns the person's id. */
export async function liveYear(db: Db, app: FastifyInstance, policies: PolicyRegistry, events: Event[], start: Identity | null): Promise<number> {
  run += 1;
  const p = await addEnrolledPerson(db, policies);
  if (start) await insertIdentity(db, { personId: p.id, identity: start, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[start] });
  const settled: { tx: string; when: Date }[] = [];
  let n = 0;
  // Settled in the order of the days, each at its own time: a person's bills are settled in id order and time order alike.
  let last = new Date(0);
  const later = (d: Date) => (last = d > last ? d : new Date(last.getTime() + 1000));
  for (const e of [...events].sort((a, b) => a.day - b.day)) {
    if (e.kind === 'identity') {
      await changeIdentity(db, p.id, day(e.day), e.identity);
    } else if (e.kind === 'bill') {
      const tx = `INC${run}-${++n}`;
      await hospitalSettle(app, { transactionId: tx, idNumber: p.idNumber, date: day(e.day), total: e.total, compliant: e.compliant });
      const when = later(at(e.day, e.lag, ++seq % 60));
      await db.query('UPDATE settlements SET settled_at = $2 WHERE transaction_id = $1', [tx, when]);
      settled.push({ tx, when });
    } else if (settled.length > 0) {
      const [bill] = settled.splice(e.n % settled.length, 1);
      await hospitalReverse(app, bill!.tx);
      const when = later(at(e.day, e.lag, ++seq % 60));
      await db.query('UPDATE settlements SET reversed_at = $2 WHERE transaction_id = $1', [bill!.tx, when]);
      // The reversal's adjustments (the later bills settled again) are made when it is.
      await db.query(`UPDATE settlement_adjustments SET created_at = $2 WHERE person_id = $1 AND created_at > '2026-06-01'`, [p.id, when]);
    }
  }
  return p.id;
}

/**
 * Dates what real time stamps with the moment of the change as the events say, the way settling, reversing and
 * changing identities through the year would have: each person's year-to-date updated when their last bill was
 * settled, reversed or corrected; each identity row made on the day it starts, or — one whose end was set by a
 * later change — on the day after its end; the person's record in 2024. (A test writes them all at the test clock,
 * later than every cut-off of 2025, which makes every person "changed" for a run's steady state.)
 */
export async function stampChangeTimes(db: Db, ids: readonly number[]): Promise<void> {
  await db.query(
    `UPDATE accumulators y SET updated_at = coalesce((
       SELECT max(t) FROM (
         SELECT s.settled_at AS t FROM settlements s WHERE s.person_id = y.person_id AND s.year = y.year
         UNION ALL SELECT s.reversed_at FROM settlements s WHERE s.person_id = y.person_id AND s.year = y.year
         UNION ALL SELECT a.created_at FROM settlement_adjustments a WHERE a.person_id = y.person_id AND a.year = y.year) x), y.updated_at)
     WHERE y.person_id = ANY($1::bigint[])`,
    [ids],
  );
  await db.query(
    `UPDATE identities SET created_at = (CASE WHEN valid_to IS NULL THEN valid_from ELSE valid_to + 1 END)::timestamp AT TIME ZONE 'Asia/Shanghai'
     WHERE person_id = ANY($1::bigint[]) AND ended_at IS NULL`,
    [ids],
  );
  await db.query(`UPDATE persons SET updated_at = '2024-06-01T00:00:00Z' WHERE id = ANY($1::bigint[])`, [ids]);
}
