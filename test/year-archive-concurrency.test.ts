/**
 * `year archive` beside the changes that may still reach a closed year's
 * bills (issue 18): its checks (REVIEW_OPEN, LEDGER_DIFFERS …) run in its
 * locked transaction, and a year-end correction or a batch review's flags hold
 * the ranges, so each either comes before the archive (and its checks see it)
 * or after (and finds the year archived) — never between the checks and the
 * detach. Interleaved on PostgreSQL: a report holds the settlement tables, the
 * archive waits for them, the change arrives, the report ends. PGlite has one
 * connection, so nothing runs beside anything there.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { writeBatchFlags } from '../src/service/claim-review.ts';
import { clearYearEndFor } from '../src/service/clearing.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { archiveYear } from '../src/service/year-archive.ts';
import { closeYearAudited, yearEndReversal } from '../src/service/year-end.ts';
import { openYear } from '../src/service/year-partitions.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { lockYearToDate } from '../src/store/repositories/accumulators.ts';
import { startRun } from '../src/store/repositories/review-facts.ts';
import { archiveSchema } from '../src/store/repositories/settlement-archive.ts';
import type { TestDb } from './support/db.ts';
import { CODES } from './support/fixture.ts';
import { hospitalSettle } from './support/hospital.ts';
import { lockWaits, settled, until } from './support/interleave.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { enrollFor2026, loadPoliciesWithDege2026 } from './support/year-two-policy.ts';

const onPostgres = process.env.SANBAO_TEST_DATABASE_URL !== undefined;
let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let person: { id: number; idNumber: string };

beforeAll(async () => {
  if (!onPostgres) return;
  testApp = await openTestApp({ policies: loadPoliciesWithDege2026() });
  ({ t, app, policies } = testApp);
  person = await addEnrolledPerson(t.db, policies);
  await enrollFor2026(t.db, person.id);
});
afterAll(async () => {
  if (!testApp) return;
  await t.db.query(`DROP SCHEMA IF EXISTS "${await archiveSchemaName()}" CASCADE`);
  await testApp.close();
});

const archiveSchemaName = () => archiveSchema(t.db);

/** The year's range opened, its bills settled, the next year opened, the year closed and cleared: ready to archive. */
async function archivableYear(year: number, bills: readonly string[]): Promise<Record<string, number>> {
  await openYear(t.db, year, 'test');
  const ids: Record<string, number> = {};
  for (const [i, tx] of bills.entries()) ids[tx] = (await hospitalSettle(app, { transactionId: tx, idNumber: person.idNumber, date: `${year}-0${i + 3}-02`, total: 300_000 - i * 50_000, compliant: 280_000 - i * 50_000 })).id;
  await openYear(t.db, year + 1, 'test');
  await closeYearAudited(t.db, year, 'test', null);
  await clearYearEndFor({ db: t.db, policies }, { facility: CODES.county, year, assessment: '90%', actor: 'test', today: `${year + 1}-01-10` });
  return ids;
}

/**
 * A report holds settlement_funds while the archive starts (it waits for it),
 * then the changes start; once each has run or waits too, the report ends.
 */
async function archiveBesideChanges(year: number, changes: readonly (() => Promise<unknown>)[]) {
  const report = await openPostgres(t.url!, 1);
  try {
    return await report.transaction(async (tx) => {
      await tx.query('LOCK TABLE settlement_funds IN ACCESS SHARE MODE');
      const archive = settled(archiveYear(t.db, year, 'test'));
      await until('the archive to wait for the report', async () => (await lockWaits(t.db)) >= 1);
      let ended = 0;
      const changed = changes.map((change) => settled(change()).finally(() => void ended++));
      await until('each change to end or wait', async () => (await lockWaits(t.db)) >= 1 + changes.length - ended);
      return { archive, changed };
    });
  } finally {
    await report.close();
  }
}

async function openFlagsIn(year: number): Promise<number> {
  const [row] = await t.db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM review_flags WHERE status = 'open' AND settlement_id BETWEEN $1 AND $2`,
    [year * 1e9, (year + 1) * 1e9 - 1],
  );
  return Number(row!.n);
}

describe.skipIf(!onPostgres)('year archive beside a change to its bills', () => {
  it('a batch review\'s flag and a year-end correction arriving while the archive waits: the flag dropped, the correction 409, never an open flag on an archived bill', async () => {
    const ids = await archivableYear(2025, ['A-1', 'A-2']);
    const [fac] = await t.db.query<{ id: string }>('SELECT id::text FROM facilities WHERE code = $1', [CODES.county]);
    const flag = {
      rule: 'duplicate_lines' as const, settlementId: ids['A-2']!, lineIndex: null, relatedSettlementId: null, amount: 1_000 as never,
      message: 'found by a batch run that read the bill before the archive', facilityId: Number(fac!.id), personId: person.id, visitDate: '2025-04-02',
    };
    const run = await startRun(t.db, '2025-01-01', '2025-12-31', 'test');
    const { archive, changed } = await archiveBesideChanges(2025, [
      () => writeBatchFlags(t.db, [flag], run),
      () => yearEndReversal({ db: t.db, policies }, { facilityCode: CODES.county, transactionId: 'A-1', reversalId: 'A-1-R', reason: 'wrong patient', actor: 'test' }),
    ]);
    expect(await archive).toMatchObject({ ok: { archived: true, settlements: 2 } });
    expect(await changed[0]).toEqual({ ok: 0 }); // the bill was archived by the time the flag was written: dropped
    expect(await changed[1]).toMatchObject({ error: { code: 'TRANSACTION_ARCHIVED' } });
    expect(await openFlagsIn(2025)).toBe(0);
    expect((await verifyLedger(t.db)).firstDifference).toBeNull();
  }, 30_000);

  it('a year-end correction under way when the archive starts is waited for, then archived with its year, the ledger agreeing', async () => {
    await archivableYear(2026, ['C-1', 'C-2']);
    // A bill of the person's is being settled: the correction starts, holds the ranges, and waits for the person's accumulator.
    const { correction, archive } = await t.db.transaction(async (tx) => {
      await lockYearToDate(tx, person.id, 2026);
      const correction = settled(
        yearEndReversal({ db: t.db, policies }, { facilityCode: CODES.county, transactionId: 'C-1', reversalId: 'C-1-R', reason: 'wrong patient', actor: 'test' }),
      );
      await until('the correction to wait', async () => (await lockWaits(t.db)) >= 1);
      const archive = settled(archiveYear(t.db, 2026, 'test'));
      await until('the archive to wait', async () => (await lockWaits(t.db)) >= 2);
      return { correction, archive };
    });
    expect(await correction).toMatchObject({ ok: { status: 'reversed', reversal_id: 'C-1-R' } });
    expect(await archive).toMatchObject({ ok: { archived: true, settlements: 2 } });
    const [archived] = await t.db.query<{ status: string }>(`SELECT status FROM "${await archiveSchemaName()}".settlements_y2026 WHERE transaction_id = 'C-1'`);
    expect(archived).toEqual({ status: 'reversed' });
    expect((await verifyLedger(t.db)).firstDifference).toBeNull();
  }, 30_000);
});
