/**
 * A retried settlement answers with the same bytes as the first answer, but
 * for its `replayed` flag: a hospital system may compare or sign them. The retry's steps are read back
 * from their compact stored form (src/store/repositories/steps-codec.ts), so
 * every step, the bill's step included, must come back with its keys in the
 * order the engine wrote them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hospitalAuth } from './support/hospital.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let h: TestApp;

beforeAll(async () => {
  h = await openTestApp();
});
afterAll(async () => {
  await h?.close();
});

const settle = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/settlements', headers: hospitalAuth(), payload });

describe('a settlement retried', () => {
  it.each([
    ['an inpatient bill without lines', 'RB-1', 'inpatient', 1_000_000, 800_000],
    ['an outpatient bill without lines', 'RB-2', 'outpatient', 20_000, 20_000],
  ])('answers %s with the first answer byte for byte, replayed flagged', async (_, transactionId, kind, total, compliant) => {
    const bill = { transactionId, patient: { idNumber: h.f.plain.idNumber }, visit: { kind, date: '2025-06-01' }, amounts: { total, compliant } };
    const first = await settle(bill);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await settle(bill);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(first.json().replayed).toBe(false);
    expect(retry.body).toBe(first.body.replace('"replayed":false', '"replayed":true'));
  });
});
