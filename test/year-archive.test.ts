/**
 * Issue 18: a closed year's id range archived (`sanbao year archive YEAR`).
 * Refused with one line and exit 2 while new bills go into it, while a year of
 * its bills is open, before every hospital's year-end clearing, with a review
 * flag open; then its four partitions are detached into the archive schema,
 * audited, once. The ledger's journals and alerts stay (they reference the
 * keys), `ledger verify` still balances, and a retry, reversal or lookup of an
 * archived bill answers 409 TRANSACTION_ARCHIVED, never a second settlement.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { clearYearEndFor } from '../src/service/clearing.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { archiveYear } from '../src/service/year-archive.ts';
import { yearEndReversal } from '../src/service/year-end.ts';
import { restoreBackup, writeBackup } from '../src/store/backup.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { dbStats } from '../src/store/repositories/db-stats.ts';
import { archiveSchema } from '../src/store/repositories/settlement-archive.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, KEYS } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { enrollFor2026, loadPoliciesWithDege2026 } from './support/year-two-policy.ts';
import { yearCli } from './support/year-cli.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let archive: string;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadPoliciesWithDege2026() });
  ({ t, app, policies } = testApp);
  archive = await archiveSchema(t.db);
});
afterAll(async () => {
  await t?.db.query(`DROP SCHEMA IF EXISTS "${archive}" CASCADE`);
  await testApp?.close();
});

const auth = { authorization: `Bearer ${KEYS.county}` };
const TABLES = ['settlements', 'settlement_funds', 'settlement_bills', 'settlement_lines'];

const cli = () => yearCli({ db: t.db, policies });

const bill = (transactionId: string, idNumber: string, date: string, total: number) => ({
  transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date }, amounts: { total, compliant: total - 20_000 },
});

async function settle(transactionId: string, idNumber: string, date: string, total: number) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth, payload: bill(transactionId, idNumber, date, total) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; year: number };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await t.db.query<{ n: string }>(sql, params))[0]!.n);
}

/** Where the year's partitions are: attached to their table, or in the archive schema. */
async function whereIs(year: number): Promise<{ attached: number; archived: number }> {
  return {
    attached: await count(
      `SELECT count(*) AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname = ANY ($1::text[])`,
      [TABLES.map((x) => `${x}_y${year}`)],
    ),
    archived: await count(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = ANY ($2::text[])`, [archive, TABLES.map((x) => `${x}_y${year}`)]),
  };
}

describe('archiving a closed year', () => {
  let p: { id: number; idNumber: string };
  const ids: Record<string, number> = {};
  let journals = 0;

  it('refuses a year whose range takes new bills, one never opened, and bad input: one line, exit 2, nothing changed', async () => {
    p = await addEnrolledPerson(t.db, policies);
    await enrollFor2026(t.db, p.id);
    expect(await cli().run('open', '2025')).toBe(0);
    for (const [tx, date, total] of [['A-1', '2025-03-02', 300_000], ['A-2', '2025-06-10', 80_000], ['A-3', '2025-09-01', 150_000]] as const) {
      ids[tx] = (await settle(tx, p.idNumber, date, total)).id;
    }
    expect(ids['A-1']).toBe(2_025_000_000_000);
    const c = cli();
    expect(await c.run('archive', '2025')).toBe(2);
    expect(await c.run('archive', '2024')).toBe(2);
    expect(await c.run('archive', 'last')).toBe(2);
    expect(await c.run('archive', '2025', '--now')).toBe(2);
    expect(c.err).toHaveLength(4);
    expect(c.err[0]).toBe("sanbao: YEAR_CURRENT: new bills still go into 2025's range: open 2026 first (sanbao year open 2026)");
    expect(c.err[1]).toMatch(/^sanbao: YEAR_NOT_OPENED: 2024 has no id range of its own/);
    expect(c.err[2]).toMatch(/^sanbao: usage: sanbao year/);
    expect(await whereIs(2025)).toEqual({ attached: 4, archived: 0 });
  });

  it('refuses while a year of its bills is open (a late bill of 2025 sits in 2026\'s range too)', async () => {
    expect(await cli().run('open', '2026')).toBe(0);
    ids['LATE'] = (await settle('LATE', p.idNumber, '2025-12-31', 60_000)).id;
    ids['B-1'] = (await settle('B-1', p.idNumber, '2026-01-03', 90_000)).id;
    expect(ids['LATE']).toBe(2_026_000_000_000);
    const c = cli();
    expect(await c.run('archive', '2025')).toBe(2);
    expect(c.err).toEqual(["sanbao: YEAR_NOT_CLOSED: 2025's range holds bills of 2025, not closed: close it first (sanbao year close 2025)"]);
    // A reversal in the year before it closes: the reversed bill is archived with the rest.
    const rev = await app.inject({ method: 'POST', url: '/api/v1/settlements/A-2/reversal', headers: auth, payload: { reversalId: 'A-2-R' } });
    expect(rev.statusCode, rev.body).toBe(200);
    expect(await cli().run('close', '2025')).toBe(0);
    // 2026's range holds 2026's bills: open.
    const d = cli();
    expect(await d.run('archive', '2026')).toBe(2);
    expect(d.err[0]).toMatch(/^sanbao: YEAR_CURRENT/);
  });

  it('refuses before every hospital with bills in it had its year-end clearing, and with a review flag open', async () => {
    const c = cli();
    expect(await c.run('archive', '2025')).toBe(2);
    expect(c.err).toEqual([`sanbao: YEAR_NOT_CLEARED: 1 hospital year in 2025's range without its year-end clearing, first ${CODES.county} for 2025 (sanbao clearing year-end)`]);
    await clearYearEndFor({ db: t.db, policies }, { facility: CODES.county, year: 2025, assessment: '90%', actor: 'test', today: '2026-01-10' });
    const [flag] = await t.db.query<{ id: string }>(
      `INSERT INTO review_flags (dedupe_key, rule, settlement_id, facility_id, person_id, visit_date, amount_fen, message, source)
       SELECT 'archive-test', 'test', id, facility_id, person_id, '2025-09-01', 1000, 'a flag left open', 'batch' FROM settlements WHERE id = $1
       RETURNING id::text`,
      [ids['A-3']],
    );
    const d = cli();
    expect(await d.run('archive', '2025')).toBe(2);
    expect(d.err).toEqual(["sanbao: REVIEW_OPEN: 1 review flag on bills in 2025's range still open: settle them first"]);
    // Sent back to the hospital, or explained by it: still to be decided, and never again once its bill is archived.
    for (const status of ['returned', 'explained']) {
      await t.db.query(`UPDATE review_flags SET status = $2 WHERE id = $1`, [flag!.id, status]);
      const e = cli();
      expect(await e.run('archive', '2025')).toBe(2);
      expect(e.err).toEqual(["sanbao: REVIEW_OPEN: 1 review flag on bills in 2025's range still open: settle them first"]);
    }
    await t.db.query(`UPDATE review_flags SET status = 'accepted' WHERE id = $1`, [flag!.id]);
    expect(await whereIs(2025)).toEqual({ attached: 4, archived: 0 });
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.archive'`)).toBe(0);
  });

  it.skipIf(process.env.SANBAO_TEST_DATABASE_URL === undefined)('gives up with TABLES_BUSY while long work holds the tables (PostgreSQL), nothing detached', async () => {
    const other = await openPostgres(t.url!, 1);
    try {
      await other.transaction(async (tx) => {
        await tx.query('LOCK TABLE settlement_funds IN ACCESS SHARE MODE'); // a long report reading the funds
        await expect(archiveYear(t.db, 2025, 'test')).rejects.toMatchObject({ code: 'TABLES_BUSY' });
      });
    } finally {
      await other.close();
    }
    expect(await whereIs(2025)).toEqual({ attached: 4, archived: 0 });
    expect(await count(`SELECT count(*) AS n FROM settlement_id_ranges WHERE archived_at IS NOT NULL`)).toBe(0);
  });

  it('detaches the year\'s four partitions into the archive schema, audited; the keys, journals and alerts stay', async () => {
    journals = await count('SELECT count(*) AS n FROM ledger_journals WHERE settlement_id BETWEEN 2025000000000 AND 2025999999999');
    expect(journals).toBeGreaterThanOrEqual(4); // three bills and a reversal
    const c = cli();
    expect(await c.run('archive', '2025')).toBe(0);
    expect(c.out[0]).toBe(
      `2025 archived: 3 settlements detached with their funds, bills and lines into ${[...TABLES.slice(1), TABLES[0]].map((x) => `${archive}.${x}_y2025`).join(', ')}`,
    );
    expect(c.out[1]).toBe(`dump them to the archive (pg_dump -n ${archive}), then drop them; their keys stay: a retry answers TRANSACTION_ARCHIVED`);
    expect(await whereIs(2025)).toEqual({ attached: 0, archived: 4 });
    expect(await count(`SELECT count(*) AS n FROM "${archive}".settlements_y2025`)).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM "${archive}".settlement_funds_y2025`)).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM settlements WHERE id BETWEEN 2025000000000 AND 2025999999999')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM settlement_keys WHERE transaction_id IN ('A-1', 'A-2', 'A-3')`)).toBe(3);
    expect(await count('SELECT count(*) AS n FROM ledger_journals WHERE settlement_id BETWEEN 2025000000000 AND 2025999999999')).toBe(journals);
    const [entry] = await t.db.query<{ actor: string; detail: { settlements: number; tables: string[] } }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'year.archive' AND entity_id = '2025'`,
    );
    expect(entry).toMatchObject({ actor: 'cli', detail: { settlements: 3 } });
    expect(entry!.detail.tables).toHaveLength(4);
  });

  it('is idempotent: archived again changes nothing and says so', async () => {
    const c = cli();
    expect(await c.run('archive', '2025')).toBe(0);
    expect(c.out[0]).toMatch(/^2025 was already archived \(3 settlements, \d{4}-/);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.archive'`)).toBe(1);
  });

  it('answers a retry, a reversal, a correction and a lookup of an archived bill 409 TRANSACTION_ARCHIVED; never a second settlement', async () => {
    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth, payload: bill('A-1', p.idNumber, '2025-03-02', 300_000) });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({ code: 'TRANSACTION_ARCHIVED', field: 'transactionId' });
    const reversal = await app.inject({ method: 'POST', url: '/api/v1/settlements/A-1/reversal', headers: auth, payload: { reversalId: 'A-1-R' } });
    expect(reversal.statusCode).toBe(409);
    expect(reversal.json().error.code).toBe('TRANSACTION_ARCHIVED');
    const lookup = await app.inject({ method: 'GET', url: '/api/v1/settlements/A-3', headers: auth });
    expect(lookup.statusCode).toBe(409);
    expect(lookup.json().error.code).toBe('TRANSACTION_ARCHIVED');
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/settlements/NEVER', headers: auth });
    expect(unknown.statusCode).toBe(404);
    await expect(
      yearEndReversal({ db: t.db, policies }, { facilityCode: CODES.county, transactionId: 'A-3', reversalId: 'A-3-R', reason: 'wrong bill', actor: 'test' }),
    ).rejects.toMatchObject({ code: 'TRANSACTION_ARCHIVED' });
    expect(await count(`SELECT count(*) AS n FROM settlement_keys WHERE transaction_id LIKE 'A-%'`)).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM settlements WHERE transaction_id LIKE 'A-%'`)).toBe(0);
  });

  it('leaves the later range working: its bills replay, new ones settle, the late bill of 2025 stays', async () => {
    const late = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth, payload: bill('LATE', p.idNumber, '2025-12-31', 60_000) });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ id: ids['LATE'], replayed: true });
    const next = await settle('B-2', p.idNumber, '2026-02-01', 70_000);
    expect(next.id).toBeGreaterThan(ids['B-1']!);
    expect(next.id).toBeLessThan(2_027_000_000_000);
  });

  it('keeps the ledger verifiable, db stats and backups without the archived tables, and lists the range as archived', async () => {
    const v = await verifyLedger(t.db);
    expect(v.firstDifference).toBeNull();
    expect(v.ok).toBe(true);
    const stats = await dbStats(t.db);
    expect(JSON.stringify(stats)).not.toContain('_y2025');
    const lines: string[] = [];
    await writeBackup(t.db, (line) => void lines.push(line));
    const header = JSON.parse(lines[0]!) as { tables: string[] };
    expect(header.tables).toContain('settlements');
    expect(header.tables.some((x) => x.includes('y2025'))).toBe(false);
    // Restored into an empty database: the archived range stays archived (no partitions made for it), the keys and journals come back.
    const target = await createTestDb();
    try {
      await restoreBackup(target.db, (async function* () { yield* lines; })(), { force: false });
      const parts = await target.db.query<{ p: string }>(`SELECT c.relname AS p FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'settlements'::regclass ORDER BY 1`);
      expect(parts.map((r) => r.p)).toEqual(['settlements_before', 'settlements_y2026']);
      const [restored] = await target.db.query<{ k: string; j: string }>(
        `SELECT (SELECT count(*) FROM settlement_keys WHERE transaction_id LIKE 'A-%')::text AS k,
           (SELECT count(*) FROM ledger_journals WHERE settlement_id BETWEEN 2025000000000 AND 2025999999999)::text AS j`,
      );
      expect(restored).toEqual({ k: '3', j: String(journals) });
      expect((await verifyLedger(target.db)).firstDifference).toBeNull();
    } finally {
      await target.drop();
    }
    const c = cli();
    expect(await c.run('list')).toBe(0);
    expect(c.out.slice(-2)).toEqual([
      expect.stringMatching(/^2025 {5}ids 2025000000000–2025999999999: 3 settlements, opened \S+ by cli, archived \S+ by cli$/),
      expect.stringMatching(/^2026 {5}ids 2026000000000–2026999999999: 3 settlements, opened \S+ by cli {2}← new bills go here$/),
    ]);
  });
});
