/**
 * Issue 18: settlements and their children partitioned by id range, a range
 * per year. The foreign keys stay enforced; `year open` makes a year's
 * partitions and moves the ids there; bills settled before it and after it
 * (the same year's, or the next year's before it is opened) replay, reverse and
 * re-adjudicate across partitions; queries by year and `db stats` stay right.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import { dbStats } from '../src/store/repositories/db-stats.ts';
import type { TestDb } from './support/db.ts';
import { KEYS } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { yearCli } from './support/year-cli.ts';
import { enrollFor2026, loadPoliciesWithDege2026 } from './support/year-two-policy.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadPoliciesWithDege2026() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const auth = { authorization: `Bearer ${KEYS.county}` };
const TABLES = ['settlements', 'settlement_funds', 'settlement_bills', 'settlement_lines'];

const cli = () => yearCli({ db: t.db, policies });

function bill(transactionId: string, idNumber: string, date: string, total: number, compliant = total) {
  return { transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date }, amounts: { total, compliant } };
}

async function settle(transactionId: string, idNumber: string, date: string, total: number, compliant = total) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth, payload: bill(transactionId, idNumber, date, total, compliant) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; year: number; transactionId: string };
}

/** The partition each of a settlement's rows is stored in. */
async function partitionsOf(id: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await t.db.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM ${table} WHERE ${table === 'settlements' ? 'id' : 'settlement_id'} = $1`, [id]);
    out[table] = rows.map((r) => r.p.replace(/^.*\./, ''));
  }
  return out;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await t.db.query<{ n: string }>(sql, params))[0]!.n);
}

describe('the partitioned tables', () => {
  it('are partitioned by id range, each with its first partition holding ids below 10^12', async () => {
    const rows = await t.db.query<{ relname: string; strategy: string; key: string }>(
      `SELECT c.relname, p.partstrat AS strategy, pg_get_partkeydef(c.oid) AS key FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
        WHERE c.relnamespace = current_schema()::regnamespace ORDER BY c.relname`,
    );
    expect(rows.map((r) => [r.relname, r.key])).toEqual([
      ['settlement_bills', 'RANGE (settlement_id)'], ['settlement_funds', 'RANGE (settlement_id)'],
      ['settlement_lines', 'RANGE (settlement_id)'], ['settlements', 'RANGE (id)'],
    ]);
    for (const table of TABLES) {
      const [bound] = await t.db.query<{ b: string }>(`SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE oid = '${table}_before'::regclass`);
      expect(bound!.b).toBe("FOR VALUES FROM (MINVALUE) TO ('1000000000000')");
    }
  });

  it('keeps the foreign keys of its children to settlements(id), and every other reference through the key, enforced', async () => {
    const names = (rows: { t: string }[]) => rows.map((r) => r.t.replace(/^.*\./, ''));
    const fks = await t.db.query<{ t: string }>(
      `SELECT c.conrelid::regclass::text AS t FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
        WHERE c.contype = 'f' AND c.confrelid = 'settlements'::regclass AND c.conparentid = 0 AND NOT r.relispartition ORDER BY 1`,
    );
    expect(names(fks)).toEqual(['settlement_bills', 'settlement_funds', 'settlement_lines']);
    // The rest point at the settlement's key, which outlives an archived year (migration 202611290400, docs/partitioning.md).
    const throughKey = await t.db.query<{ t: string }>(
      `SELECT c.conrelid::regclass::text AS t FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = 'settlement_keys'::regclass AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = c.conrelid AND attname = 'settlement_id')]
        ORDER BY 1`,
    );
    expect(names(throughKey)).toEqual([
      'alerts', 'assistance_application_items', 'fsi_visit_settlements', 'ledger_journals', 'personal_account_entries', 'readjudications',
      'review_flags', 'settlement_adjustments', 'supplementary_tier_payments',
    ]);
    const x = await addEnrolledPerson(t.db, policies);
    const s = await settle('FK-1', x.idNumber, '2025-03-01', 200_000);
    await expect(t.db.query(`INSERT INTO settlement_funds (settlement_id, fund, base_fen, amount_fen, rule) VALUES (987654321, 'basic', 0, 0, 'x')`)).rejects.toThrow(/foreign key/);
    await expect(t.db.query(`UPDATE settlement_bills SET settlement_id = 987654321 WHERE settlement_id = $1`, [s.id])).rejects.toThrow(/foreign key|partition/);
    await expect(t.db.query('DELETE FROM settlements WHERE id = $1', [s.id])).rejects.toThrow(/foreign key/);
    const readjudication = (settlementId: number) => t.db.query(
      `INSERT INTO readjudications (person_id, year, settlement_id, change, change_ref, actor) VALUES ($1, 2025, $2, 'reversal', $3, 'test')`,
      [x.id, settlementId, `FK-${settlementId}`],
    );
    await expect(readjudication(987654321)).rejects.toThrow(/readjudications_settlement_id_fkey/);
    await t.db.transaction(async (tx) => {
      await tx.query('SAVEPOINT s');
      await tx.query(`INSERT INTO readjudications (person_id, year, settlement_id, change, change_ref, actor) VALUES ($1, 2025, $2, 'reversal', 'FK-OK', 'test')`, [x.id, s.id]);
      await tx.query('ROLLBACK TO SAVEPOINT s');
    });
  });
});

describe('opening a year', () => {
  let p: { id: number; idNumber: string };
  let before: { id: number; year: number };
  let newYearBefore: { id: number; year: number };

  it('settles into the first partition before any year is open, a bill of the new year included (never a 500 on 1 January)', async () => {
    p = await addEnrolledPerson(t.db, policies);
    await enrollFor2026(t.db, p.id);
    before = await settle('Y-1', p.idNumber, '2025-12-30', 300_000);
    newYearBefore = await settle('Y-NEW', p.idNumber, '2026-01-01', 40_000);
    expect(newYearBefore.year).toBe(2026);
    for (const s of [before, newYearBefore]) {
      expect((await partitionsOf(s.id)).settlements).toEqual(['settlements_before']);
    }
  });

  it('makes the year\'s partition of the four tables, audited, and moves the ids there', async () => {
    const c = cli();
    expect(await c.run('open', '2026')).toBe(0);
    expect(c.out).toEqual(['2026 opened: its partitions take settlement ids 2026000000000–2026999999999', 'the next settlement takes id 2026000000000']);
    for (const table of TABLES) {
      const [bound] = await t.db.query<{ b: string }>(`SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE oid = '${table}_y2026'::regclass`);
      expect(bound!.b).toBe("FOR VALUES FROM ('2026000000000') TO ('2027000000000')");
    }
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.open' AND entity_id = '2026'`)).toBe(1);
  });

  it('puts a late bill of the old year and a bill of the new one, with their funds, bill and lines, in the new partition', async () => {
    const late = await settle('Y-2', p.idNumber, '2025-12-31', 250_000, 240_000);
    expect(late.id).toBe(2_026_000_000_000);
    expect(late.year).toBe(2025);
    const next = await settle('Y-3', p.idNumber, '2026-01-02', 500_000, 450_000);
    expect(next.year).toBe(2026);
    for (const s of [late, next]) {
      const where = await partitionsOf(s.id);
      expect(where.settlements).toEqual(['settlements_y2026']);
      expect(where.settlement_funds).toEqual(['settlement_funds_y2026']);
      expect(where.settlement_bills).toEqual(['settlement_bills_y2026']);
    }
  });

  it('replays bills settled before the year was opened with their first answer, whatever partition they are in', async () => {
    for (const [tx, date, total] of [['Y-1', '2025-12-30', 300_000], ['Y-NEW', '2026-01-01', 40_000]] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth, payload: bill(tx, p.idNumber, date, total) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: tx === 'Y-1' ? before.id : newYearBefore.id, replayed: true });
    }
    expect(await count(`SELECT count(*) AS n FROM settlements WHERE person_id = $1`, [p.id])).toBe(4);
  });

  it('is idempotent, refuses a year before one open and bad input with one line and exit 2', async () => {
    const c = cli();
    expect(await c.run('open', '2026')).toBe(0);
    expect(c.out).toEqual(['2026 was already open (ids 2026000000000–2026999999999)']);
    expect(await c.run('open', '2025')).toBe(2);
    expect(await c.run('open', '1999')).toBe(2);
    expect(await c.run('open', 'next')).toBe(2);
    expect(await c.run('open', '2027', 'extra')).toBe(2);
    expect(c.err).toHaveLength(4);
    expect(c.err[0]).toMatch(/^sanbao: LATER_YEAR_OPEN: 2026 is open already/);
    expect(c.err[1]).toMatch(/^sanbao: INVALID_YEAR/);
    expect(await count(`SELECT count(*) AS n FROM settlement_id_ranges`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.open'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'settlement%_y2025'`)).toBe(0);
  });

  it('lists each range with the settlements it holds and where new bills go', async () => {
    const c = cli();
    expect(await c.run('list')).toBe(0);
    const inBefore = await count('SELECT count(*) AS n FROM settlements_before');
    expect(c.out.slice(-3)).toEqual([
      'settlement id ranges (partitions):',
      `before   ids below 1000000000000: ${inBefore} settlements (stored before the first year was opened)`,
      expect.stringMatching(/^2026 {5}ids 2026000000000–2026999999999: 2 settlements, opened \d{4}-.* by cli {2}← new bills go here$/),
    ]);
  });
});

describe('reversal and re-adjudication across partitions', () => {
  it('reversing a bill in the first partition re-adjudicates the later ones in the year\'s: the year ends as for a twin without it', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const y = await addEnrolledPerson(t.db, policies);
    // x's first bill as if settled before 2026 was opened: the sequence put back in the first range for it, then forward again.
    await t.db.query(`SELECT setval(pg_get_serial_sequence('settlements', 'id'), 500000, false)`);
    const a = await settle('X-A', x.idNumber, '2025-02-01', 6_000_000, 5_000_000);
    await t.db.query(`SELECT setval(pg_get_serial_sequence('settlements', 'id'), (SELECT max(id) + 1 FROM settlements), false)`);
    expect((await partitionsOf(a.id)).settlements).toEqual(['settlements_before']);
    const b = await settle('X-B', x.idNumber, '2025-03-01', 12_000_000, 10_000_000);
    const c = await settle('X-C', x.idNumber, '2025-04-01', 9_000_000, 8_000_000);
    expect((await partitionsOf(b.id)).settlements).toEqual(['settlements_y2026']);
    const reversed = await app.inject({ method: 'POST', url: '/api/v1/settlements/X-A/reversal', headers: auth, payload: { reversalId: 'X-A-R' } });
    expect(reversed.statusCode, reversed.body).toBe(200);
    // The later bills, in the year's partition, are the ones adjusted.
    const adjusted = reversed.json().readjudication.adjustments.map((e: { transactionId: string }) => e.transactionId) as string[];
    expect(adjusted.length).toBeGreaterThan(0);
    expect(adjusted.every((tx) => tx === 'X-B' || tx === 'X-C')).toBe(true);
    expect(await count('SELECT count(*) AS n FROM settlement_adjustments WHERE settlement_id IN ($1, $2)', [b.id, c.id])).toBeGreaterThan(0);
    await settle('TW-B', y.idNumber, '2025-03-01', 12_000_000, 10_000_000);
    await settle('TW-C', y.idNumber, '2025-04-01', 9_000_000, 8_000_000);
    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(await readYearToDate(t.db, y.id, 2025));
    // And back: reversing a bill of the year's partition re-adjudicates nothing before it, and X-C after it.
    const again = await app.inject({ method: 'POST', url: '/api/v1/settlements/X-B/reversal', headers: auth, payload: { reversalId: 'X-B-R' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().readjudication.adjustments.every((e: { transactionId: string }) => e.transactionId === 'X-C')).toBe(true);
    const z = await addEnrolledPerson(t.db, policies);
    await settle('TW2-C', z.idNumber, '2025-04-01', 9_000_000, 8_000_000);
    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(await readYearToDate(t.db, z.id, 2025));
  });

  it('lists a person\'s bills of a year from every partition they are in', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    await t.db.query(`SELECT setval(pg_get_serial_sequence('settlements', 'id'), 600000, false)`);
    await settle('L-A', x.idNumber, '2025-05-01', 100_000);
    await t.db.query(`SELECT setval(pg_get_serial_sequence('settlements', 'id'), (SELECT max(id) + 1 FROM settlements), false)`);
    await settle('L-B', x.idNumber, '2025-06-01', 200_000);
    const res = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${x.id}&year=2025`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
    expect(res.json().items.map((s: { transactionId: string }) => s.transactionId).sort()).toEqual(['L-A', 'L-B']);
  });
});

describe('db stats over partitions', () => {
  it('sizes a partitioned table as the sum of its partitions, and lists no partition apart', async () => {
    const stats = await dbStats(t.db);
    for (const table of TABLES) {
      const [sum] = await t.db.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${table}'::regclass`,
      );
      const row = stats.tables.find((x) => x.table === table)!;
      expect(Number(row.bytes)).toBeGreaterThan(0);
      expect(Number(row.bytes)).toBe(Number(sum!.bytes));
    }
    expect(stats.tables.some((x) => /_before$|_y\d{4}$/.test(x.table))).toBe(false);
    const settled = await count('SELECT count(*) AS n FROM settlements');
    expect(stats.settlements).toBe(settled);
    const path = stats.tables.filter((x) => ['visits', 'settlement_keys', ...TABLES].includes(x.table));
    expect(stats.bytesPerSettlement).toBe(Math.round(path.reduce((s, x) => s + Number(x.bytes), 0) / settled));
  });
});
