/**
 * Issue 17: the sign-in page says where the code went — the registered phone
 * masked, or "no phone registered" — while an unknown number gets a stable
 * decoy of the same shape, so the answer still tells no one who is insured.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { codeDestination } from '../src/service/code-destination.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let f: Fixture;
let app: FastifyInstance;
const MASKED = /^1\d{2}\*{4}\d{4}$/;

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', otpSender: { send: async () => undefined } });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const ask = async (idNumber: string, n: number) =>
  app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber }, remoteAddress: `198.51.100.${n}` });

describe('where the sign-in code went', () => {
  it('names the insured person’s phone, masked', async () => {
    const [row] = await t.db.query<{ phone: string }>('SELECT phone FROM persons WHERE id_number = $1', [f.poor.idNumber]);
    const res = await ask(f.poor.idNumber, 1);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sent: true, phone: `${row!.phone.slice(0, 3)}****${row!.phone.slice(-4)}` });
    expect(res.body).not.toContain(row!.phone);
  });

  it('says no phone is registered when there is none', async () => {
    await t.db.query('UPDATE persons SET phone = NULL WHERE id_number = $1', [f.plain.idNumber]);
    const res = await ask(f.plain.idNumber, 2);
    expect(res.json()).toEqual({ sent: true, phone: null });
  });

  it('gives an unknown number the same decoy every time, shaped like a masked phone', async () => {
    const stranger = makeIdNumber('513330', '1966-02-03', 731, 'F');
    const first = (await ask(stranger, 3)).json();
    const again = (await ask(stranger, 4)).json();
    expect(again).toEqual(first);
    expect(first.phone === null || MASKED.test(first.phone)).toBe(true);
  });

  it('draws decoys that look like the register: mostly masked numbers, about one in eight none', () => {
    const key = Buffer.alloc(32, 7);
    const answers = Array.from({ length: 2000 }, (_, i) => codeDestination(null, makeIdNumber('513330', '1980-01-01', i % 999 + 1, i % 2 ? 'M' : 'F') + i, key));
    const none = answers.filter((a) => a === null).length;
    expect(none).toBeGreaterThan(2000 / 8 / 2);
    expect(none).toBeLessThan((2000 / 8) * 2);
    expect(answers.filter((a) => a !== null).every((a) => MASKED.test(a!))).toBe(true);
    expect(new Set(answers).size).toBeGreaterThan(1000);
    expect(codeDestination(null, 'X', key)).toBe(codeDestination(null, 'X', key));
    expect(codeDestination({ phone: '13912345678' }, 'X', key)).toBe('139****5678');
    expect(codeDestination({ phone: null }, 'X', key)).toBeNull();
  });
});
