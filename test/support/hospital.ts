/**
 * A hospital's two writes as the API tests make them: settle a bill, reverse it
 * (冲正), each with a hospital's key (the county hospital's unless named), the
 * answer's status checked (201 and 200) and its body returned.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { KEYS } from './fixture.ts';

export interface HospitalBill {
  transactionId: string;
  idNumber: string;
  /** The visit day, ISO. */
  date: string;
  /** In fen. */
  total: number;
  /** In fen. */
  compliant: number;
}

/** The authorization header of a hospital key: the county hospital's unless named. */
export const hospitalAuth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });

/** Settles an inpatient bill; expects 201. */
export async function hospitalSettle(app: FastifyInstance, bill: HospitalBill, key?: string): Promise<any> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: hospitalAuth(key),
    payload: { transactionId: bill.transactionId, patient: { idNumber: bill.idNumber }, visit: { kind: 'inpatient', date: bill.date }, amounts: { total: bill.total, compliant: bill.compliant } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Reverses a settlement by its transaction id, the reversal's id being `<transactionId>-R`; expects 200. */
export async function hospitalReverse(app: FastifyInstance, transactionId: string, key?: string): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/reversal`, headers: hospitalAuth(key), payload: { reversalId: `${transactionId}-R` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
