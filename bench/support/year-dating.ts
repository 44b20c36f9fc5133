/**
 * Dates a realistic year as it happened (bench/support/realistic-year.ts):
 * its bills are settled through the service at the machine's clock, then
 * given the times they tell of — each settled on its visit day, reversals a
 * day later, and what real time wrote with them (adjustments, alerts, their
 * cases, events and pushes) with them.
 */
import type { Db } from '../../src/store/db.ts';

/** The year is loaded today but tells of its own: each bill settled on its visit day (Beijing time), reversals a day later. */
export async function dateAsHappened(db: Db, year: number): Promise<void> {
  const like = `Y${year}-%`;
  await db.query(
    `UPDATE settlements s SET settled_at = (v.visit_date + time '09:00') AT TIME ZONE 'Asia/Shanghai' + (s.id % 28800) * interval '1 second',
       reversed_at = CASE WHEN s.reversed_at IS NULL THEN NULL ELSE (v.visit_date + time '09:00') AT TIME ZONE 'Asia/Shanghai' + interval '1 day' END
     FROM visits v WHERE v.id = s.visit_id AND s.transaction_id LIKE $1`,
    [like],
  );
  await db.query(
    `UPDATE settlement_adjustments a SET created_at = s.reversed_at FROM readjudications r JOIN settlements s ON s.id = r.settlement_id
     WHERE r.id = a.readjudication_id AND s.reversed_at IS NOT NULL AND s.transaction_id LIKE $1`,
    [like],
  );
  await db.query(`UPDATE alerts a SET created_at = s.settled_at FROM settlements s WHERE s.id = a.settlement_id AND s.transaction_id LIKE $1`, [like]);
  // Real time opened each alert's case, its first event and its pushes in the same statement: dated with the alert.
  await db.query(`UPDATE monitoring_cases c SET created_at = a.created_at, updated_at = a.created_at FROM alerts a WHERE a.id = c.alert_id AND a.source = 'realtime'`);
  await db.query(
    `UPDATE case_events e SET at = c.created_at FROM monitoring_cases c WHERE c.id = e.case_id AND e.action = 'raised' AND c.created_at < e.at`,
  );
  await db.query(
    `UPDATE outbox o SET created_at = c.created_at, next_attempt_at = c.created_at, payload = jsonb_set(o.payload, '{raisedAt}', to_jsonb(c.created_at))
     FROM monitoring_cases c WHERE c.id = o.case_id AND c.created_at < o.created_at`,
  );
}
