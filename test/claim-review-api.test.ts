/**
 * Claim review end to end: flags raised on settlement (never blocking it), a
 * batch over a period that finds what real time could not and adds nothing
 * twice, the reviewers' queue (accept, deduct, send back, the hospital's
 * explanation), audit, statistics per hospital and rule, the clearing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/store/postgres-db.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ catalogues: ['reference'], staff: ['clerk', 'auditor', 'admin'] });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());

const as = (username: string) => testApp.as(username);
const key = (k: string = KEYS.county) => ({ authorization: `Bearer ${k}` });
const line = (code: string, quantity: number, unitPrice: number, date = '2025-05-01') => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date, department: '内科' });
async function settle(k: string, payload: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: key(k), payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const flagsOf = async (query = '') => (await app.inject({ method: 'GET', url: `/api/v1/review/flags?limit=200${query}`, headers: as('clerk') })).json().items as {
  id: number; transactionId: string; rule: string; settlementId: number; lineIndex: number | null; relatedSettlementId: number | null; amount: number; status: string; source: string;
}[];

describe('claim review', () => {
  let billA: { id: number; transactionId: string };
  it('flags a bill as it settles, line by line, and still settles it', async () => {
    billA = await settle(KEYS.county, {
      transactionId: 'RV-1', patient: { idNumber: f.plain.idNumber },
      visit: { kind: 'inpatient', date: '2025-05-01', dischargeDate: '2025-05-03', diagnosis: 'J18.900' },
      lines: [
        line('XA10BAE054A001', 2, 150), line('XA10BAE054A001', 2, 150), // the same line twice
        line('XG03CAE042B001', 1, 500), // for women; the patient is a man
        line('XA10AEI026B002', 3, 7_000), // insulin: diabetes only, at most 1 a day (a stay of 2 days)
        line('002701000010000', 3, 15_000), // CT, within its limits
      ],
    });
    expect(billA.id).toBeGreaterThan(0);
    const flags = await flagsOf(`&settlementId=${billA.id}`);
    expect(flags.map((x) => [x.rule, x.lineIndex, x.source]).sort()).toEqual([
      ['duplicate_lines', 1, 'realtime'], ['quantity_beyond_stay', 3, 'realtime'], ['restricted_diagnosis', 3, 'realtime'], ['sex_restriction', 2, 'realtime'],
    ]);
    expect(flags.find((x) => x.rule === 'duplicate_lines')!.amount).toBe(300);
  });

  it('flags the same person in two hospitals at once, a readmission and split outpatient visits', async () => {
    const clinic = await settle(KEYS.clinic, { transactionId: 'RV-2', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-05-02', dischargeDate: '2025-05-06', diagnosis: 'K35.800' }, amounts: { total: 300_000, compliant: 250_000 } });
    const again = await settle(KEYS.county, { transactionId: 'RV-3', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-05-10', dischargeDate: '2025-05-12', diagnosis: 'J18.000' }, amounts: { total: 200_000, compliant: 180_000 } });
    const o1 = await settle(KEYS.county, { transactionId: 'RV-4', patient: { idNumber: f.poor.idNumber }, visit: { kind: 'outpatient', date: '2025-05-20' }, amounts: { total: 10_000, compliant: 9_000 } });
    const o2 = await settle(KEYS.county, { transactionId: 'RV-5', patient: { idNumber: f.poor.idNumber }, visit: { kind: 'outpatient', date: '2025-05-20' }, amounts: { total: 12_000, compliant: 11_000 } });
    const flags = await flagsOf();
    expect(flags.filter((x) => x.rule === 'concurrent_stays').map((x) => [x.settlementId, x.relatedSettlementId])).toEqual([[clinic.id, billA.id]]);
    expect(flags.filter((x) => x.rule === 'readmission').map((x) => [x.settlementId, x.relatedSettlementId, x.amount])).toEqual([[again.id, billA.id, 180_000]]);
    expect(flags.filter((x) => x.rule === 'outpatient_splitting').map((x) => [x.settlementId, x.relatedSettlementId])).toEqual([[o2.id, o1.id]]);
  });

  it('the batch over a period finds what real time could not (the earlier stay settled last) and adds nothing twice', async () => {
    // Admitted 2025-04-20, discharged 2025-04-28, settled only now: RV-1 (admitted 2025-05-01, same diagnosis) is its readmission.
    const late = await settle(KEYS.county, { transactionId: 'RV-6', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-04-20', dischargeDate: '2025-04-28', diagnosis: 'J18.100' }, amounts: { total: 100_000, compliant: 90_000 } });
    expect((await flagsOf()).filter((x) => x.rule === 'readmission' && x.relatedSettlementId === late.id)).toEqual([]);
    const run = await app.inject({ method: 'POST', url: '/api/v1/review/runs', headers: as('clerk'), payload: { from: '2025-01-01', to: '2025-12-31' } });
    expect(run.statusCode).toBe(200);
    // Two readmissions after the late stay: RV-1 (3 days after) and RV-3 (12 days after).
    expect(run.json()).toMatchObject({ settlements: 6, lines: 5, flagsNew: 2, byRule: { readmission: 3 } });
    const readmissions = (await flagsOf('&rule=readmission')).filter((x) => x.source === 'batch').map((x) => [x.settlementId, x.relatedSettlementId]);
    expect(readmissions.sort()).toEqual([[billA.id, late.id], [(await flagsOf('&rule=readmission')).find((x) => x.source === 'realtime')!.settlementId, late.id]].sort());
    const again = await app.inject({ method: 'POST', url: '/api/v1/review/runs', headers: as('clerk'), payload: { from: '2025-01-01', to: '2025-12-31' } });
    expect(again.json().flagsNew).toBe(0);
  });

  it('reviewers accept, deduct (within what the funds paid) or send back; the hospital explains; every decision audited', async () => {
    const [dup] = await flagsOf('&rule=duplicate_lines');
    const [sex] = await flagsOf('&rule=sex_restriction');
    const [readmit] = (await flagsOf('&rule=readmission')).filter((x) => x.source === 'realtime');
    const decide = (id: number, body: Record<string, unknown>, who = 'clerk') =>
      app.inject({ method: 'POST', url: `/api/v1/review/flags/${id}/decision`, headers: as(who), payload: body });
    expect((await decide(dup!.id, { decision: 'deduct', amount: 300, reason: '重复收费' }, 'auditor')).statusCode).toBe(403);
    const tooMuch = await decide(dup!.id, { decision: 'deduct', amount: 99_999_999, reason: '重复收费' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().error.code).toBe('DEDUCTION_TOO_LARGE');
    expect((await decide(dup!.id, { decision: 'deduct', amount: 1.5, reason: 'x' })).statusCode).toBe(400);
    expect((await decide(dup!.id, { decision: 'deduct', amount: 300, reason: '重复收费' })).json()).toMatchObject({ status: 'deducted', deducted: 300 });
    expect((await decide(dup!.id, { decision: 'accept' })).statusCode).toBe(409);
    expect((await decide(sex!.id, { decision: 'accept', reason: '性别登记错误，已更正' })).json().status).toBe('accepted');
    expect((await decide(readmit!.id, { decision: 'return', reason: '请说明两次住院的关系' })).json().status).toBe('returned');
    const mine = await app.inject({ method: 'GET', url: '/api/v1/review-flags?status=returned', headers: key() });
    expect(mine.json().items.map((x: { id: number }) => x.id)).toEqual([readmit!.id]);
    const otherHospital = await app.inject({ method: 'POST', url: `/api/v1/review-flags/${readmit!.id}/explanation`, headers: key(KEYS.clinic), payload: { explanation: 'x' } });
    expect(otherHospital.statusCode).toBe(404);
    const explained = await app.inject({ method: 'POST', url: `/api/v1/review-flags/${readmit!.id}/explanation`, headers: key(), payload: { explanation: '不同病情：第二次为并发症' } });
    expect(explained.json()).toMatchObject({ status: 'explained', explanation: '不同病情：第二次为并发症' });
    expect((await decide(readmit!.id, { decision: 'deduct', amount: 50_000, reason: '分解住院' })).json().status).toBe('deducted');
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'review.%' AND action <> 'review.batch' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['review.deduct', 'review.accept', 'review.return', 'review.explain', 'review.deduct']);
  });

  it('statistics per hospital and rule, and the deductions for each hospital’s clearing', async () => {
    const stats = (await app.inject({ method: 'GET', url: '/api/v1/review/stats?from=2025-01-01&to=2025-12-31', headers: as('auditor') })).json().items;
    const h1 = (rule: string) => stats.find((s: { facility: { code: string }; rule: string }) => s.facility.code === 'H51333000001' && s.rule === rule);
    expect(h1('duplicate_lines')).toMatchObject({ flags: 1, open: 0, amount: 300, deducted: 300 });
    expect(h1('readmission')).toMatchObject({ flags: 3, open: 2, deducted: 50_000 });
    expect(stats.find((s: { facility: { code: string } }) => s.facility.code === 'H51333000002')).toMatchObject({ rule: 'concurrent_stays', flags: 1, open: 1 });
    const clearing = (await app.inject({ method: 'GET', url: '/api/v1/review/clearing?from=2025-01-01&to=2025-12-31', headers: as('clerk') })).json();
    expect(clearing.items).toEqual([{ facility: { id: f.facilities.county, code: 'H51333000001' }, flags: 2, deducted: 50_300 }]);
  });

  it('rules are data: an admin switches one off, and the next bill is not flagged for it', async () => {
    const off = await app.inject({ method: 'PUT', url: '/api/v1/review/rules/outpatient_splitting', headers: as('admin'), payload: { enabled: false } });
    expect(off.statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/review/rules/outpatient_splitting', headers: as('auditor'), payload: { enabled: false } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/review/rules/readmission', headers: as('admin'), payload: { enabled: true, params: { days: 0 } } })).statusCode).toBe(400);
    const o3 = await settle(KEYS.county, { transactionId: 'RV-7', patient: { idNumber: f.poor.idNumber }, visit: { kind: 'outpatient', date: '2025-05-20' }, amounts: { total: 5_000, compliant: 5_000 } });
    expect(await flagsOf(`&settlementId=${o3.id}`)).toEqual([]);
  });
});

describe('claim review after a reversal', () => {
  it('refuses to deduct from a reversed settlement, and the batch leaves reversed bills out', async () => {
    const [split] = await flagsOf('&rule=outpatient_splitting');
    const reversed = await app.inject({ method: 'POST', url: `/api/v1/settlements/${split!.transactionId}/reversal`, headers: key(), payload: { reversalId: 'RV-5-R' } });
    expect(reversed.statusCode).toBe(200);
    const res = await app.inject({ method: 'POST', url: `/api/v1/review/flags/${split!.id}/decision`, headers: as('clerk'), payload: { decision: 'deduct', amount: 100, reason: 'x' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SETTLEMENT_REVERSED');
    const accepted = await app.inject({ method: 'POST', url: `/api/v1/review/flags/${split!.id}/decision`, headers: as('clerk'), payload: { decision: 'accept', reason: '已冲正' } });
    expect(accepted.json().status).toBe('accepted');
    const run = await app.inject({ method: 'POST', url: '/api/v1/review/runs', headers: as('clerk'), payload: { from: '2025-01-01', to: '2025-12-31' } });
    expect(run.json().settlements).toBe(6); // 7 settled, one reversed
  });
});

describe('OpenAPI', () => {
  it('documents the catalogue, chronic-disease and review paths, and fee lines on settlements', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/catalogue/items', '/api/v1/chronic/applications', '/api/v1/chronic/applications/{id}/decision', '/api/v1/chronic-applications',
      '/api/v1/review/flags', '/api/v1/review/flags/{id}/decision', '/api/v1/review/stats', '/api/v1/review/runs', '/api/v1/review-flags/{id}/explanation',
    ]));
    const settle = doc.paths['/api/v1/settlements'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(settle.properties)).toEqual(expect.arrayContaining(['lines', 'amounts', 'transactionId']));
    expect(settle.properties.lines.items.required).toEqual(['code', 'quantity', 'unitPrice', 'amount', 'date', 'department']);
    const decision = doc.paths['/api/v1/review/flags/{id}/decision'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(decision)).toContain('deduct');
  });
});

describe('real-time review of bills settled at the same moment', () => {
  it('the second of two overlapping stays, waiting for the first to commit, still sees it', async () => {
    const stay = (k: string, transactionId: string) =>
      app.inject({
        method: 'POST', url: '/api/v1/settlements', headers: key(k),
        payload: { transactionId, patient: { idNumber: f.alleviated.idNumber }, visit: { kind: 'inpatient', date: '2025-07-01', dischargeDate: '2025-07-05', diagnosis: 'K35.800' }, amounts: { total: 100_000, compliant: 90_000 } },
      });
    // An earlier bill, so the person's accumulator row exists and both settlements lock it.
    await settle(KEYS.county, { transactionId: 'RV-SAME-0', patient: { idNumber: f.alleviated.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 5_000, compliant: 5_000 } });
    let a: Promise<Awaited<ReturnType<typeof stay>>>;
    let b: typeof a;
    if (t.url) {
      // On PostgreSQL: hold the person's row, let both settlements start and wait for it (the second behind the first), then let go. The one that
      // gets the row second read its snapshot before the first committed; it must read again once it holds the row.
      const holder = await openPostgres(t.url, 1);
      // Polled from inside the holder's transaction, where PostgreSQL keeps the first pg_stat_activity it read until the transaction ends:
      // cleared on every poll, or a connection the pool opens afterwards (the second settlement's, when the file runs alone) is never seen.
      const waiting = async (q: { query: typeof holder.query }, n: number) => {
        for (let i = 0; i < 1200; i++) {
          await q.query('SELECT pg_stat_clear_snapshot()');
          const [row] = await q.query<{ n: number }>(`WITH RECURSIVE w (pid) AS (
             SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))
             UNION SELECT a.pid FROM pg_stat_activity a JOIN w ON w.pid = ANY (pg_blocking_pids(a.pid)))
           SELECT count(*)::int AS n FROM w`);
          if (row!.n >= n) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('the settlements never waited for the row');
      };
      try {
        await holder.transaction(async (tx) => {
          await tx.query('SELECT 1 FROM accumulators WHERE person_id = $1 AND year = 2025 FOR UPDATE', [f.alleviated.id]);
          a = stay(KEYS.county, 'RV-SAME-1');
          await waiting(tx, 1);
          b = stay(KEYS.clinic, 'RV-SAME-2');
          await waiting(tx, 2);
        });
      } finally {
        await holder.close();
      }
    } else {
      [a, b] = [stay(KEYS.county, 'RV-SAME-1'), stay(KEYS.clinic, 'RV-SAME-2')];
    }
    const [ra, rb] = await Promise.all([a!, b!]);
    expect([ra.statusCode, rb.statusCode]).toEqual([201, 201]);
    const ids = [ra.json().id, rb.json().id];
    const flags = (await flagsOf('&rule=concurrent_stays')).filter((x) => ids.includes(x.settlementId));
    expect(flags).toHaveLength(1);
    expect(ids).toContain(flags[0]!.relatedSettlementId);
  });
});

describe('the hospital-level restriction (限医院等级)', () => {
  it('flags an item a lower-level hospital billed, names it in the bill step, and still settles', async () => {
    const bill = await settle(KEYS.clinic, {
      transactionId: 'RV-LEVEL', patient: { idNumber: f.alleviated.idNumber },
      visit: { kind: 'inpatient', date: '2025-10-01', dischargeDate: '2025-10-03', diagnosis: 'C50.900' },
      lines: [line('XL01XCT057B002', 1, 500_000, '2025-10-01'), line('XA10BAE054A001', 2, 150, '2025-10-01')], // trastuzumab: level 2 and above
    });
    const flags = await flagsOf(`&settlementId=${bill.id}`);
    expect(flags.map((x) => [x.rule, x.lineIndex])).toEqual([['level_restriction', 0]]);
    expect(flags[0]!.amount).toBe(bill.lines[0].compliant);
    expect(bill.steps.find((s: { fund: string }) => s.fund === 'bill').groups[0].unmet).toEqual([{ restriction: 'level', minLevel: 2, level: 1 }]);
    // The same bill at the county hospital (level 2) is not flagged.
    const county = await settle(KEYS.county, {
      transactionId: 'RV-LEVEL-2', patient: { idNumber: f.alleviated.idNumber },
      visit: { kind: 'inpatient', date: '2025-11-01', dischargeDate: '2025-11-03', diagnosis: 'C50.900' },
      lines: [line('XL01XCT057B002', 1, 500_000, '2025-11-01')],
    });
    expect((await flagsOf(`&settlementId=${county.id}`)).filter((x) => x.rule === 'level_restriction')).toEqual([]);
  });
});
