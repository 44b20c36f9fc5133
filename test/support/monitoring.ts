/** Helpers for the monitoring tests: staff sessions, bills, and back-dating (the test clock is later than the 2025 policy year). */
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/staff.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../../src/domain/vocabulary.ts';
import type { Db } from '../../src/store/db.ts';
import { insertIdentity } from '../../src/store/repositories/persons.ts';
import { markYearUntrusted } from '../../src/store/repositories/realtime-thresholds.ts';
import { KEYS } from './fixture.ts';

export async function staffToken(app: FastifyInstance, username: string): Promise<{ authorization: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}

let tx = 0;
/** Settles an inpatient bill through the hospital API; returns the response body. */
export async function settleBill(app: FastifyInstance, idNumber: string, total: number, compliant: number, date = '2025-06-01', extra: Record<string, unknown> = {}) {
  tx += 1;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/settlements',
    headers: { authorization: `Bearer ${KEYS.county}` },
    payload: { transactionId: `mon-${tx}`, patient: { idNumber }, visit: { kind: 'inpatient', date, ...extra }, amounts: { total, compliant } },
  });
  if (res.statusCode !== 201) throw new Error(`settle: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Moves a person's settlements and alerts to an instant of the policy year, as if settled then. */
export async function backdate(db: Db, personId: number, at: string): Promise<void> {
  await db.query('UPDATE settlements SET settled_at = $2 WHERE person_id = $1', [personId, at]);
  await db.query('UPDATE alerts SET created_at = $2 WHERE person_id = $1', [personId, at]);
}

/** An alert as the real-time check and the monthly run must both raise it. */
export interface AlertKey { person_id: number; threshold_id: string; risk: string; departments: string[]; settlement_id: number | null }

/** The alerts standing (not withdrawn) for these people, in a fixed order. */
export function standingAlerts(db: Db, ids: number[]): Promise<AlertKey[]> {
  return db.query<AlertKey & Record<string, unknown>>(
    `SELECT person_id::int, threshold_id, risk, departments, settlement_id::int FROM alerts
     WHERE person_id = ANY($1::bigint[]) AND withdrawn_at IS NULL ORDER BY person_id, threshold_id`,
    [ids],
  );
}

/**
 * As if real time had missed them: no alert, case or push for these people; their years marked as having alerts
 * deleted outside real time, so the monthly run never trusts real time's alerts for them (it reads every person
 * changed). `markYear: false` leaves the years unmarked, as nothing real does.
 */
export async function forgetAlerts(db: Db, ids: number[], options: { markYear?: boolean } = {}): Promise<void> {
  if (options.markYear !== false) {
    const years = await db.query<{ year: number }>('SELECT DISTINCT year FROM accumulators WHERE person_id = ANY($1::bigint[])', [ids]);
    for (const { year } of years) await markYearUntrusted(db, year, 'test: alerts deleted (real time missed them)');
  }
  await db.query(`DELETE FROM outbox WHERE case_id IN (SELECT id FROM monitoring_cases WHERE person_id = ANY($1::bigint[]))`, [ids]);
  await db.query(`DELETE FROM case_events WHERE case_id IN (SELECT id FROM monitoring_cases WHERE person_id = ANY($1::bigint[]))`, [ids]);
  await db.query(`DELETE FROM monitoring_cases WHERE person_id = ANY($1::bigint[])`, [ids]);
  await db.query(`DELETE FROM alerts WHERE person_id = ANY($1::bigint[])`, [ids]);
}

/** A change of identity on `day` (ISO): the identity held so far ends the day before; the new one (if any) starts that day. */
export async function changeIdentity(db: Db, personId: number, day: string, identity: Identity | null): Promise<void> {
  await db.query(`UPDATE identities SET valid_to = $2::date - 1 WHERE person_id = $1 AND valid_to IS NULL AND valid_from < $2::date`, [personId, day]);
  if (identity) await insertIdentity(db, { personId, identity, validFrom: day, department: ATTESTING_DEPARTMENT[identity] });
}
