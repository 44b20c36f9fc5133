/** Helpers for the monitoring tests: staff sessions, bills, and back-dating (the test clock is later than the 2025 policy year). */
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/staff.ts';
import type { Db } from '../../src/store/db.ts';
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
