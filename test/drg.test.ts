/**
 * DRG end to end on a real database: settlement lists imported and checked,
 * grouped, weights and rates from the year before, a month paid, to the fen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbstractFileRejected, importAbstracts } from '../src/service/drg-abstracts.ts';
import { drgContext, type DrgContext } from '../src/service/drg-catalogues.ts';
import { groupPeriod } from '../src/service/drg-grouping.ts';
import { computeRates, payMonth } from '../src/service/drg-payments.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { DRG_POLICY_DIR, seedDrg } from './support/drg-fixture.ts';

let t: TestDb;
let ctx: DrgContext;
beforeAll(async () => {
  t = await createTestDb();
  ctx = drgContext(t.db, { policyDir: DRG_POLICY_DIR });
  await seedDrg(t.db, ctx, { 2022: 600, 2023: 300 });
}, 120_000);
afterAll(async () => t?.drop());

const HEADER = 'fixmedins_code,setl_id,psn_no,gend,age,adm_time,dscg_time,ipt_days,dscg_way,main_diag_code,other_diag_codes,main_oprn_code,other_oprn_codes,medfee_sumamt,psn_selfpay,fund_pay_sumamt';
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n'));
const abstracts = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM drg_abstracts'))[0]!.n;

describe('settlement lists from a file', () => {
  it('refuses a file with bad rows whole, naming each row and field, and writes nothing', async () => {
    const before = await abstracts();
    const file = csv(
      'HX3,CSV-1,P1,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,"16,000.00",3000,12000',
      'HX3,CSV-2,P2,1,60,2023-03-01,2023-03-08,7,1,,,,,16000,3000,12000',
      'HX3,CSV-3,P3,1,60,2023-03-01,2023-03-08,9,1,I21.900,,,,16000,3000,12000',
      'HX9,CSV-4,P4,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,16000,3000,12000',
      'HX3,CSV-5,P5,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,16000.001,3000,12000',
      'HX3,CSV-6,P6,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,16000,9000,12000',
    );
    const error = await importAbstracts(t.db, ctx, { content: file, format: 'csv', skipBadRows: false, actor: 't' }).catch((e) => e);
    expect(error).toBeInstanceOf(AbstractFileRejected);
    expect(error.problems.map((p: { row: number; field: string }) => `${p.row} ${p.field}`)).toEqual([
      '2 medfee_sumamt', '3 diseinfo', '4 ipt_days', '5 fixmedins_code', '6 medfee_sumamt', '7 fund_pay_sumamt',
    ]);
    expect(await abstracts()).toBe(before);
  });

  it('imports good rows; an unknown code is kept, named, and lands in 0000 with the reason; again changes nothing', async () => {
    const file = csv(
      'HX3,CSV-10,P1,1,60,2023-03-01,2023-03-08,7,1,I21.900,N17.900,,,16000,3000,12000',
      'HX3,CSV-11,P2,1,60,2023-03-01,2023-03-08,7,1,I21.900,Q99.999,,,16000,3000,12000',
      'HX2,CSV-12,P3,2,30,2023-03-01,2023-03-04,3,1,O82.000,Z37.000,74.1x00,,8200.50,2000,5000',
    );
    const r = await importAbstracts(t.db, ctx, { content: file, format: 'csv', skipBadRows: false, actor: 't' });
    expect(r).toMatchObject({ rows: 3, added: 3, unchanged: 0, ungroupable: 1, withFindings: 1 });
    const rows = await t.db.query<{ setl_id: string; drg: string; reason_code: string | null; reason_message: string | null; total_fen: number; findings: { code: string }[] }>(
      `SELECT a.setl_id, g.drg, g.reason_code, g.reason_message, a.total_fen, a.findings FROM drg_abstracts a JOIN drg_groupings g ON g.abstract_id = a.id
       WHERE a.setl_id LIKE 'CSV-1%' ORDER BY a.setl_id`,
    );
    expect(rows.map((x) => [x.setl_id, x.drg, x.reason_code])).toEqual([['CSV-10', 'FR11', null], ['CSV-11', '0000', 'UNKNOWN_DIAGNOSIS'], ['CSV-12', 'OB15', null]]);
    expect(rows[1]!.reason_message).toBe('diagnosis Q99.999 is not in the list');
    expect(rows[1]!.findings.map((f) => f.code)).toEqual(['UNKNOWN_DIAGNOSIS']);
    expect(rows[2]!.total_fen).toBe(820_050);
    const again = await importAbstracts(t.db, ctx, { content: file, format: 'csv', skipBadRows: false, actor: 't' });
    expect(again).toMatchObject({ added: 0, unchanged: 3 });
  });

  it('refuses the same setl_id with other content, or twice in one file, unless asked to skip', async () => {
    const file = csv(
      'HX3,CSV-10,P1,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,17000,3000,12000',
      'HX3,CSV-20,P1,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,17000,3000,12000',
      'HX3,CSV-20,P1,1,60,2023-03-01,2023-03-08,7,1,I21.900,,,,17000,3000,12000',
    );
    const error = await importAbstracts(t.db, ctx, { content: file, format: 'csv', skipBadRows: false, actor: 't' }).catch((e) => e);
    expect(error.message).toMatch(/row 2 setl_id: CSV-10 was received before with different content; row 4 setl_id: CSV-20 of HX3 is listed twice \(first on row 3\)/);
    expect((await t.db.query(`SELECT 1 FROM drg_abstracts WHERE setl_id = 'CSV-20'`)).length).toBe(0);
    const skipped = await importAbstracts(t.db, ctx, { content: file, format: 'csv', skipBadRows: true, actor: 't' });
    expect(skipped).toMatchObject({ added: 1, skipped: [expect.objectContaining({ row: 2 }), expect.objectContaining({ row: 4 })] });
  });
});

describe('grouping, weights, rates and payments', () => {
  it('groups a year, naming every ungroupable reason', async () => {
    const r = await groupPeriod(t.db, ctx, { from: '2022-01-01', to: '2022-12-31', actor: 't' });
    expect(r.discharges).toBe(600);
    expect(r.grouped + r.ungroupable).toBe(600);
    expect(r.ungroupable).toBeGreaterThan(0);
    expect(Object.keys(r.reasons).sort()).toEqual(expect.arrayContaining(['NOT_PRINCIPAL']));
    expect(r.groups).toBeGreaterThan(15);
  });

  it('computes weights from the trimmed history and a rate per level from the budget', async () => {
    const r = await computeRates(t.db, ctx, { policy: 'test-2023', from: '2022-01-01', to: '2022-12-31', actor: 't' });
    expect(r.weights.every((w) => w.weight > 0)).toBe(true);
    expect(r.weights.some((w) => w.trimmed > 0)).toBe(true);
    expect(r.rates.map((x) => x.level)).toEqual([2, 3]);
    for (const rate of r.rates) {
      // The rate is the budget over the expected weights, rounded down: never above the budget.
      expect(Math.floor((rate.rate * rate.weightSum) / 10_000)).toBeLessThanOrEqual(rate.budget);
      expect(Math.floor(((rate.rate + 1) * rate.weightSum) / 10_000)).toBeGreaterThan(rate.budget);
    }
  });

  it('gives no weight to a group with fewer kept cases than the policy asks; a level left with no weight has no rate (refused)', async () => {
    await expect(computeRates(t.db, ctx, { policy: 'test-few-2023', from: '2022-01-01', to: '2022-12-31', actor: 't' })).rejects.toThrow(/level 2 has a budget but no discharge of the history in a group with a weight/);
    expect((await t.db.query(`SELECT 1 FROM drg_weights WHERE policy_id = 'test-few-2023'`)).length).toBe(0);
  });

  it('pays a month: every discharge once, the sums hold, and computing again gives the same rows', async () => {
    await groupPeriod(t.db, ctx, { from: '2023-01-01', to: '2023-12-31', actor: 't' });
    const first = await payMonth(t.db, ctx, { policy: 'test-2023', month: '2023-03', actor: 't' });
    const [{ n }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM drg_abstracts WHERE discharge_date BETWEEN '2023-03-01' AND '2023-03-31'`)) as [{ n: number }];
    expect(first.discharges).toBe(n);
    expect(first.byKind.standard).toBeGreaterThan(0);
    const rows = await t.db.query<{ payment_fen: number; fund_payment_fen: number; patient_fen: number; surplus_fen: number; total_fen: number; kind: string; standard_fen: number; weight_10k: number | null; rate_fen: number | null }>(
      `SELECT payment_fen, fund_payment_fen, patient_fen, surplus_fen, total_fen, kind, standard_fen, weight_10k, rate_fen FROM drg_payments WHERE month = '2023-03'`,
    );
    expect(rows.reduce((s, r) => s + Number(r.fund_payment_fen), 0)).toBe(first.fundPayment);
    for (const r of rows) {
      expect(Number(r.surplus_fen)).toBe(Number(r.patient_fen) + Number(r.fund_payment_fen) - Number(r.total_fen));
      if (r.kind === 'standard') expect(Number(r.standard_fen)).toBe(Math.floor((r.weight_10k! * Number(r.rate_fen!) + 5_000) / 10_000));
    }
    // The patient's part is what the item-based settlement made it.
    const [same] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM drg_payments p JOIN drg_abstracts a ON a.id = p.abstract_id WHERE p.month = '2023-03' AND p.patient_fen <> a.patient_fen`,
    );
    expect(same!.n).toBe(0);
    const again = await payMonth(t.db, ctx, { policy: 'test-2023', month: '2023-03', actor: 't' });
    expect(again).toEqual(first);
    expect((await t.db.query(`SELECT 1 FROM drg_payments WHERE month = '2023-03'`)).length).toBe(n);
  });

  it('refuses a month outside the policy, a policy with no rates, an unknown policy', async () => {
    await expect(payMonth(t.db, ctx, { policy: 'test-2023', month: '2024-01', actor: 't' })).rejects.toThrow(/outside DRG policy/);
    await expect(payMonth(t.db, ctx, { policy: 'test-2023', month: '2023-13', actor: 't' })).rejects.toThrow(/YYYY-MM/);
    await expect(payMonth(t.db, ctx, { policy: 'nope-2023', month: '2023-01', actor: 't' })).rejects.toThrow(/no DRG policy/);
  });
});
