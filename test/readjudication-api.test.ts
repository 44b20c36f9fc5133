/**
 * Issue 11: reversing a bill that is not the person's last one. Twins settle the
 * same bills at the same hospital; one of them has an extra bill B that is then
 * reversed. The year must end exactly as if B had never been settled.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { yearCommand } from '../src/cli/year-command.ts';
import type { Io } from '../src/cli/io.ts';
import { yearEndReversal } from '../src/service/year-end.ts';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import type { TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { KEYS } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { hospitalSettle } from './support/hospital.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const auth = { authorization: `Bearer ${KEYS.county}` };
const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;

const settle = (transactionId: string, idNumber: string, total: number, compliant: number, date: string) =>
  hospitalSettle(app, { transactionId, idNumber, date, total, compliant });

async function reverse(transactionId: string, reversalId: string) {
  return app.inject({ method: 'POST', url: `/api/v1/settlements/${transactionId}/reversal`, headers: auth, payload: { reversalId } });
}

/** What each fund and the patient paid over the year, as the hospital's settlement list shows it (adjustments included). */
async function yearTotals(personId: number) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${personId}&year=2025`, headers: auth });
  expect(res.statusCode).toBe(200);
  const totals: Record<string, number> = { basic: 0, critical: 0, assistance: 0, supplementary: 0, tilt: 0, selfPay: 0 };
  for (const s of res.json().items as { status: string; funds: Record<string, number>; selfPay: number; effective?: { funds: Record<string, number>; selfPay: number } }[]) {
    if (s.status !== 'settled') continue;
    const figures = s.effective ?? { funds: s.funds, selfPay: s.selfPay };
    for (const fund of FUNDS) totals[fund]! += figures.funds[fund]!;
    totals.selfPay! += figures.selfPay;
  }
  return totals;
}

// dege-2025 at the county hospital (level 2): deductible 300 yuan, 85 %; critical illness above 10,000 yuan a year.
const A = { total: 6_000_000, compliant: 5_000_000, date: '2025-02-01' };
const B = { total: 12_000_000, compliant: 10_000_000, date: '2025-03-01' };
const C = { total: 9_000_000, compliant: 8_000_000, date: '2025-04-01' };
const D = { total: 7_000_000, compliant: 6_000_000, date: '2025-05-01' };

describe('reversal of a bill that is not the last one (issue 11)', () => {
  it('ends the year with the same funds, patient part and accumulators as never having settled it', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const y = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, B, C })) await settle(`X-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const reversed = await reverse('X-B', 'X-B-R');
    expect(reversed.statusCode, reversed.body).toBe(200);
    await settle('X-D', x.idNumber, D.total, D.compliant, D.date);
    for (const [name, b] of Object.entries({ A, C, D })) await settle(`Y-${name}`, y.idNumber, b.total, b.compliant, b.date);

    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(await readYearToDate(t.db, y.id, 2025));
    expect(await yearTotals(x.id)).toEqual(await yearTotals(y.id));
  });
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await t.db.query<{ n: number }>(sql, params))[0]!.n;
}

describe('adjustment entries (补付 / 追回)', () => {
  it('shows the hospital what each fund pays more or recovers on each later bill, linked to the reversed bill', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, B, C, D })) await settle(`E-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const res = await reverse('E-B', 'E-B-R');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('reversed');
    expect(body.readjudication.billsChanged).toBe(2); // C and D
    const entries = body.readjudication.adjustments as { transactionId: string; cause: { visitDate: string }; entries: { fund: string; direction: string; amount: number }[]; selfPay: number; funds: Record<string, number> }[];
    expect(entries.map((e) => e.transactionId)).toEqual(['E-C', 'E-D']);
    for (const e of entries) expect(e.cause.visitDate).toBe(B.date);
    // Without B, C sits lower in the critical-illness bands: that fund recovers (追回), the patient's part grows by as much.
    const [c0, d0] = entries;
    expect(c0!.entries).toEqual([{ fund: 'critical', direction: 'recover', amount: -c0!.funds.critical! }]);
    expect(c0!.selfPay).toBe(-c0!.funds.critical!);
    // With B, D found the basic fund's yearly cap (200,000 yuan) nearly spent; without it basic pays more (补付) on D.
    expect(d0!.entries.map((x) => `${x.fund}:${x.direction}`)).toEqual(['basic:pay', 'critical:recover']);
    expect(d0!.funds.basic! + d0!.funds.critical! + d0!.selfPay).toBe(0);

    const list = (await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${x.id}&year=2025`, headers: auth })).json().items;
    const c = list.find((s: { transactionId: string }) => s.transactionId === 'E-C');
    expect(c.funds.critical + entries[0]!.funds.critical!).toBe(c.effective.funds.critical);
    expect(c.adjustments).toHaveLength(1);

    const recon = (await app.inject({ method: 'GET', url: '/api/v1/adjustments?year=2025', headers: auth })).json().items;
    expect(recon.filter((a: { transactionId: string }) => a.transactionId.startsWith('E-'))).toHaveLength(2);
    const other = await app.inject({ method: 'GET', url: '/api/v1/adjustments?year=2025', headers: { authorization: `Bearer ${KEYS.clinic}` } });
    expect(other.json().items).toEqual([]); // a facility sees only entries on its own bills
    expect((await app.inject({ method: 'GET', url: '/api/v1/adjustments?year=twenty', headers: auth })).statusCode).toBe(400);

    const audit = await t.db.query<{ action: string; detail: Record<string, unknown> }>(
      `SELECT action, detail FROM audit_log WHERE action LIKE 'settlement.re%' AND (detail->>'personId')::bigint = $1 ORDER BY id`,
      [x.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['settlement.readjudicate', 'settlement.reverse']);
    expect(JSON.stringify(audit)).not.toContain(x.idNumber);
  });

  it('answers a retried reversal with the same result and writes nothing twice, even when retries race', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, B, C })) await settle(`R-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => reverse('R-B', 'R-B-R')));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.json().reversedAt)).size).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM readjudications WHERE person_id = $1', [x.id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM settlement_adjustments WHERE person_id = $1', [x.id])).toBe(1);
    const ytd = await readYearToDate(t.db, x.id, 2025);
    const again = await reverse('R-B', 'R-B-R');
    expect(again.json().readjudication.adjustments).toHaveLength(1);
    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(ytd);
    const other = await reverse('R-B', 'R-B-OTHER');
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('ALREADY_REVERSED');
  });

  it('leaves other people\'s bills alone while one person is re-adjudicated', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    const others = await Promise.all([1, 2, 3, 4].map(() => addEnrolledPerson(t.db, policies)));
    for (const [name, b] of Object.entries({ A, B, C, D })) await settle(`P-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const before = await Promise.all(others.map((o) => readYearToDate(t.db, o.id, 2025)));
    const work = [
      reverse('P-B', 'P-B-R'),
      ...others.map((o, i) => app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: auth,
        payload: { transactionId: `P-other-${i}`, patient: { idNumber: o.idNumber }, visit: { kind: 'inpatient', date: C.date }, amounts: { total: C.total, compliant: C.compliant } },
      })),
    ];
    const done = await Promise.all(work);
    expect(done.map((r) => r.statusCode)).toEqual([200, 201, 201, 201, 201]);
    const single = done[1]!.json();
    for (const [i, o] of others.entries()) {
      expect(before[i]!.basic).toBe(0);
      const after = await readYearToDate(t.db, o.id, 2025);
      expect(after.basic).toBe(single.funds.basic);
      expect(after.selfPay).toBe(single.selfPay);
    }
    expect(await count('SELECT count(*)::int AS n FROM settlement_adjustments WHERE person_id = ANY($1::bigint[])', [others.map((o) => o.id)])).toBe(0);
  });
});

describe('closed years', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdin: async () => '', out: (s: string) => out.push(s), err: (s: string) => err.push(s) } satisfies Io };
  };

  it('refuses a reversal into a closed year with YEAR_CLOSED and writes nothing; a year-end correction goes through, audited', async () => {
    const x = await addEnrolledPerson(t.db, policies);
    for (const [name, b] of Object.entries({ A, B, C })) await settle(`Z-${name}`, x.idNumber, b.total, b.compliant, b.date);
    const cli = io();
    expect(await yearCommand(cli.io, ['close', '2025', '--note', '2025 年度清算'], undefined, { db: t.db, policies })).toBe(0);
    expect(await yearCommand(cli.io, ['close', '2025'], undefined, { db: t.db, policies })).toBe(0);
    expect(await yearCommand(cli.io, ['list'], undefined, { db: t.db, policies })).toBe(0);
    expect(cli.out).toEqual([
      expect.stringContaining('2025 closed'), '2025 was already closed', expect.stringMatching(/^2025 {2}closed .* by cli {2}2025 年度清算$/),
      'settlement id ranges (partitions):', expect.stringMatching(/^before {3}ids below 1000000000000: \d+ settlements \(stored before the first year was opened\) {2}← new bills go here$/),
    ]);
    await expect(yearCommand(cli.io, ['close', 'last'], undefined, { db: t.db, policies })).rejects.toThrow(/usage/);

    const ytd = await readYearToDate(t.db, x.id, 2025);
    const writes = await count('SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM settlement_adjustments) + (SELECT count(*) FROM readjudications) AS n');
    const late = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth,
      payload: { transactionId: 'Z-late', patient: { idNumber: x.idNumber }, visit: { kind: 'inpatient', date: D.date }, amounts: { total: D.total, compliant: D.compliant } },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'YEAR_CLOSED', field: 'visit.date' });
    const refused = await reverse('Z-B', 'Z-B-R');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'YEAR_CLOSED', field: 'transactionId' });
    expect(await readYearToDate(t.db, x.id, 2025)).toEqual(ytd);
    expect(await count('SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM settlement_adjustments) + (SELECT count(*) FROM readjudications) AS n')).toBe(writes);

    await expect(yearEndReversal({ db: t.db, policies }, { facilityCode: 'H51333000001', transactionId: 'Z-B', reversalId: 'Z-B-YE', reason: 'x', actor: 'cli' })).rejects.toThrow(/reason/);
    expect(await yearCommand(cli.io, ['correct', '--facility', 'H51333000001', '--transaction', 'Z-B', '--reversal-id', 'Z-B-YE', '--reason', '年终清算更正：重复结算'], undefined, { db: t.db, policies })).toBe(0);
    expect(cli.out.at(-1)).toContain('year-end correction');
    const [entry] = await t.db.query<{ actor: string; detail: { reason: string } }>(`SELECT actor, detail FROM audit_log WHERE action = 'settlement.reverse_year_end'`);
    expect(entry).toMatchObject({ actor: 'cli', detail: { reason: '年终清算更正：重复结算' } });
    expect((await readYearToDate(t.db, x.id, 2025)).criticalBase).toBeLessThan(ytd.criticalBase);
  });
});
