/**
 * Issue 18, the idempotency key in a table of its own: settlement_keys
 * (facility, transaction id) is written in the settle statement, the unique
 * key on settlements is gone, and every retry still meets the first answer —
 * also on a database migrated with settlements already stored.
 */
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { requestHash, type SettleRequest } from '../src/service/settlement-service.ts';
import type { Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

const MIGRATIONS = fileURLToPath(new URL('../src/store/migrations', import.meta.url));
/** The migrations of issue 18 (the key table, the partitions, the references through the key): left out to make a database as it was before. */
const ISSUE_18 = /^(2026112802|2026112904)/;

const auth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });
const bill = (transactionId: string, idNumber: string, total: number, date = '2025-06-01') => ({
  transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date }, amounts: { total, compliant: total - 10_000 },
});

async function settled(db: Db, transactionId: string) {
  const [row] = await db.query<{ s: number; k: number }>(
    `SELECT (SELECT count(*)::int FROM settlements WHERE transaction_id = $1) AS s, (SELECT count(*)::int FROM settlement_keys WHERE transaction_id = $1) AS k`,
    [transactionId],
  );
  return row!;
}

describe('the key table on a new database', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let f: Fixture;
  beforeAll(async () => {
    t = await createTestDb();
    const policies = loadFixturePolicies();
    f = await seedFixture(t.db, policies);
    app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('has no unique key on settlements(facility_id, transaction_id) any more: the key table holds it', async () => {
    const rows = await t.db.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'settlements'::regclass AND contype = 'u'`,
    );
    expect(rows).toEqual([]);
    const [pk] = await t.db.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'settlement_keys'::regclass AND contype = 'p'`,
    );
    expect(pk!.def).toBe('PRIMARY KEY (facility_id, transaction_id)');
  });

  it('writes the key with the settlement; a retry replays the first answer; a changed one is refused', async () => {
    const payload = bill('K-1', f.plain.idNumber, 500_000);
    const first = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(first.statusCode, first.body).toBe(201);
    const [key] = await t.db.query<{ settlement_id: string; facility_id: string }>(
      `SELECT settlement_id::text, facility_id::text FROM settlement_keys WHERE transaction_id = 'K-1'`,
    );
    expect(Number(key!.settlement_id)).toBe(first.json().id);
    expect(Number(key!.facility_id)).toBe(f.facilities.county);
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    const changed = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: bill('K-1', f.plain.idNumber, 500_100) });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await settled(t.db, 'K-1')).toEqual({ s: 1, k: 1 });
  });

  it('keys per facility: the same transaction id at another facility is another bill', async () => {
    const a = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(KEYS.county), payload: bill('K-2', f.poor.idNumber, 300_000) });
    const b = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(KEYS.clinic), payload: bill('K-2', f.poor.idNumber, 200_000) });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(await settled(t.db, 'K-2')).toEqual({ s: 2, k: 2 });
  });

  it('two first attempts of one transaction id for different people: one settlement, the other a conflict', async () => {
    const responses = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: bill('K-RACE', f.extreme.idNumber, 400_000) }),
      app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: bill('K-RACE', f.alleviated.idNumber, 400_000) }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.statusCode === 409)!.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await settled(t.db, 'K-RACE')).toEqual({ s: 1, k: 1 });
    // Nothing of the refused attempt was written: one visit more than before for the two people, and one accumulator changed.
    const [visits] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM visits WHERE person_id IN ($1, $2)', [f.extreme.id, f.alleviated.id]);
    expect(visits!.n).toBe(1);
  });

  it('reverses through the key: the reversal finds the bill, a retry after it is TRANSACTION_REVERSED', async () => {
    const payload = bill('K-REV', f.plain.idNumber, 250_000);
    expect((await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload })).statusCode).toBe(201);
    const rev = await app.inject({ method: 'POST', url: '/api/v1/settlements/K-REV/reversal', headers: auth(), payload: { reversalId: 'R-K-REV' } });
    expect(rev.statusCode, rev.body).toBe(200);
    expect(rev.json()).toMatchObject({ transactionId: 'K-REV', status: 'reversed' });
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.code).toBe('TRANSACTION_REVERSED');
    expect(await settled(t.db, 'K-REV')).toEqual({ s: 1, k: 1 });
  });

  it('refuses a settlement written without its key, or under a key that is another settlement\'s', async () => {
    const [s] = await t.db.query<Record<string, unknown>>(`SELECT * FROM settlements WHERE transaction_id = 'K-1'`);
    const copy = (transactionId: string) => t.db.query(
      `INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen, funds_fen,
         self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta)
       SELECT facility_id, $1, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen, funds_fen,
         self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta FROM settlements WHERE id = $2`,
      [transactionId, s!.id],
    );
    await expect(copy('K-NO-KEY')).rejects.toThrow(/settlements_key_fkey/);
    await expect(copy('K-1')).rejects.toThrow(/settlements_key_fkey/);
    expect(await settled(t.db, 'K-1')).toEqual({ s: 1, k: 1 });
    expect(await settled(t.db, 'K-NO-KEY')).toEqual({ s: 0, k: 0 });
  });

  it('a key whose settlement was archived with its year: a retry is a conflict, never a second settlement', async () => {
    await t.db.query(`INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id) VALUES ($1, 'K-GONE', 999999999)`, [f.facilities.county]);
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: bill('K-GONE', f.plain.idNumber, 100_000) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'TRANSACTION_ARCHIVED', field: 'transactionId' });
    expect(await settled(t.db, 'K-GONE')).toEqual({ s: 0, k: 1 });
  });
});

/** A database at the schema before issue 18 (every migration but this branch's), in PGlite or a fresh PostgreSQL schema. */
async function openBefore(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-before-18-'));
  for (const name of readdirSync(MIGRATIONS).filter((n) => n.endsWith('.sql') && !ISSUE_18.test(n))) symlinkSync(join(MIGRATIONS, name), join(dir, name));
  const base = process.env.SANBAO_TEST_DATABASE_URL;
  if (!base) {
    const db = await openPglite();
    await migrate(db, dir);
    return { db, drop: () => db.close() };
  }
  const schema = `t_before18_${process.pid}_${Date.now() % 1e6}`;
  const admin = await openPostgres(base, 1);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = await openPostgres(`${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`, 2);
  await migrate(db, dir);
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/** A settlement as the settle path wrote it before issue 18, in plain SQL (the code of the time no longer exists). */
async function storeOldSettlement(db: Db, facilityId: number, personId: number, request: SettleRequest): Promise<number> {
  const [v] = await db.query<{ id: number }>(
    `INSERT INTO visits (person_id, facility_id, kind, level, visit_date, bill_date) VALUES ($1, $2, 'inpatient', 2, $3::date, $3::date) RETURNING id`,
    [personId, facilityId, request.visit.date],
  );
  const total = request.amounts!.total;
  const [s] = await db.query<{ id: string }>(
    `INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen,
       funds_fen, self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta)
     VALUES ($1, $2, $3, $4, $5, 2025, 'dege-2025', $6, $6, 0, $6, 0, $6, '[]', '{}') RETURNING id::text`,
    [facilityId, request.transactionId, requestHash(request), v!.id, personId, total],
  );
  return Number(s!.id);
}

describe('migrating a database that holds settlements from before', () => {
  let before: { db: Db; drop: () => Promise<void> };
  let app: FastifyInstance;
  let f: Fixture;
  let old: SettleRequest;
  let oldId: number;

  beforeAll(async () => {
    before = await openBefore();
    const policies = loadFixturePolicies();
    f = await seedFixture(before.db, policies);
    old = bill('OLD-1', f.plain.idNumber, 120_000) as unknown as SettleRequest;
    oldId = await storeOldSettlement(before.db, f.facilities.county, f.plain.id, old);
    await storeOldSettlement(before.db, f.facilities.clinic, f.poor.id, { ...old, patient: { idNumber: f.poor.idNumber } } as SettleRequest);
    const applied = await migrate(before.db);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((name) => ISSUE_18.test(name))).toBe(true);
    app = await buildApp({ db: before.db, policies, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app?.close();
    await before?.drop();
  });

  it('keys every settlement already stored', async () => {
    const rows = await before.db.query<{ transaction_id: string; settlement_id: string }>(
      `SELECT k.transaction_id, k.settlement_id::text FROM settlement_keys k JOIN settlements s ON s.id = k.settlement_id AND s.facility_id = k.facility_id
         AND s.transaction_id = k.transaction_id ORDER BY k.settlement_id`,
    );
    expect(rows.map((r) => r.transaction_id)).toEqual(['OLD-1', 'OLD-1']);
    expect(Number(rows[0]!.settlement_id)).toBe(oldId);
  });

  it('answers a retry of a bill settled before the migration with that settlement, a changed one with a conflict', async () => {
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: old });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ id: oldId, transactionId: 'OLD-1', replayed: true });
    const changed = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload: { ...old, amounts: { total: 120_001, compliant: 110_000 } } });
    expect(changed.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await settled(before.db, 'OLD-1')).toEqual({ s: 2, k: 2 });
  });

  it('settles a new bill after it, with an id after the old ones, and replays its retry', async () => {
    const payload = bill('NEW-1', f.extreme.idNumber, 330_000);
    const first = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().id).toBeGreaterThan(oldId);
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    expect(await settled(before.db, 'NEW-1')).toEqual({ s: 1, k: 1 });
  });
});
