/**
 * The national interface and employee personal accounts: 1101 gives the
 * account's balance (balc); with acct_used_flag "1" the account pays the
 * patient's part after the funds (acct_pay), the rest is cash; a cancel gives
 * it back. The same figures as Sanbao's own API.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { creditMonth } from '../src/service/personal-account-credit.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { seedAccountFixture, type AccountFixture } from './support/account-fixture.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, KEYS, seedFixture } from './support/fixture.ts';
import { daysAroundToday, feeLine, his, type His } from './support/fsi.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let a: AccountFixture;
let h: His;
const policies = loadFixturePolicies();

beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db, policies);
  a = await seedAccountFixture(t.db);
  await importReferenceCatalogues(t.db, 'test');
  await creditMonth(t.db, policies, { month: '2025-01', today: '2025-12-31', actor: 'test' });
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  h = his(app, { code: CODES.lhasa, key: KEYS.lhasa, day: '2025-07-01', area: '540102' });
  await h.signIn();
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const fen = (yuan: string) => {
  const negative = yuan.startsWith('-');
  const [w, d = ''] = yuan.replace('-', '').split('.');
  return (negative ? -1 : 1) * (Number(w) * 100 + Number(d.padEnd(2, '0')));
};
const balance = async (personId: number) =>
  (await t.db.query<{ b: number }>('SELECT coalesce((SELECT balance_fen::int FROM personal_accounts WHERE person_id = $1), 0) AS b', [personId]))[0]!.b;

describe('personal accounts through the national interface', () => {
  it('1101 answers the balance; 2207 with acct_used_flag 1 pays from the account, 2208 gives it back', async () => {
    const before = await balance(a.head.id);
    expect(before).toBe(16_000);
    const info = await h.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: a.head.idNumber } });
    expect(info.body.output.insuinfo).toEqual([expect.objectContaining({ insutype: '310', psn_type: '11', balc: '160.00' })]);

    const psn = String(a.head.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '310', begntime: '2025-07-01 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: a.head.idNumber, ipt_otp_no: 'MZ-A1' } });
    expect(reg.body.infcode, reg.body.err_msg ?? '').toBe(0);
    const mdtrtId = reg.body.output.data.mdtrt_id;
    await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 200, '1.50', '2025-07-01'), feeLine('2', mdtrtId, psn, 'T000700456', 5, '20.00', '2025-07-01')] });
    const data = { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: a.head.idNumber, medfee_sumamt: '400.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '310', acct_used_flag: '1' };
    const trial = await h.call('2206', { data });
    const settled = await h.call('2207', { data });
    expect(settled.body.infcode, settled.body.err_msg ?? '').toBe(0);
    const s = settled.body.output.setlinfo;
    const acct = fen(s.acct_pay);
    expect(acct).toBeGreaterThan(0);
    expect(acct).toBe(Math.min(before, fen(s.psn_part_amt)));
    expect(fen(s.psn_cash_pay)).toBe(fen(s.psn_part_amt) - acct);
    expect(fen(s.balc)).toBe(before - acct);
    expect(await balance(a.head.id)).toBe(before - acct);
    expect(trial.body.output.setlinfo).toMatchObject({ acct_pay: s.acct_pay, psn_cash_pay: s.psn_cash_pay, balc: s.balc });
    // Sanbao's own API tells the same settlement.
    const mine = (await app.inject({ method: 'GET', url: `/api/v1/settlements/${settled.msgid}`, headers: { authorization: `Bearer ${KEYS.lhasa}` } })).json();
    expect([mine.total, mine.selfPay]).toEqual([40_000, fen(s.psn_part_amt)]);

    const cancel = await h.call('2208', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    expect(cancel.body.infcode, cancel.body.err_msg ?? '').toBe(0);
    expect(cancel.body.output.setlinfo).toMatchObject({ acct_pay: `-${s.acct_pay}`, balc: '160.00' });
    expect(await balance(a.head.id)).toBe(before);
  });

  it('without acct_used_flag the patient pays cash and the account is untouched', async () => {
    const psn = String(a.father.id);
    const before = await balance(a.father.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '310', begntime: '2025-07-01 10:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: a.father.idNumber, ipt_otp_no: 'MZ-A2' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'T000700456', 1, '20.00', '2025-07-01')] });
    const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: a.father.idNumber, medfee_sumamt: '20.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '310', acct_used_flag: '0' } });
    expect(settled.body.output.setlinfo).toMatchObject({ acct_pay: '0.00', psn_cash_pay: '20.00', psn_part_amt: '20.00' });
    expect(fen(settled.body.output.setlinfo.balc)).toBe(before);
    expect(await balance(a.father.id)).toBe(before);
  });

  it('3201 reconciles what the accounts paid (acct_pay) with the bureau\'s records', async () => {
    const psn = String(a.head.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '310', begntime: '2025-07-01 11:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: a.head.idNumber, ipt_otp_no: 'MZ-A3' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 20, '1.50', '2025-07-01')] });
    const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: a.head.idNumber, medfee_sumamt: '30.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '310', acct_used_flag: '1' } });
    const s = settled.body.output.setlinfo;
    expect(fen(s.acct_pay)).toBeGreaterThan(0);
    // The day so far at this hospital, employee outpatients: the cancelled bill nets to nothing, the father's paid cash, this one from the account.
    const rows = await t.db.query<{ total: number; funds: number }>(
      `SELECT total_fen AS total, funds_fen AS funds FROM settlements WHERE facility_id = (SELECT id FROM facilities WHERE code = $1) AND status = 'settled'`, [CODES.lhasa],
    );
    const y = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
    const data = {
      insutype: '310', clr_type: '11', setl_optins: '540102', ...daysAroundToday(), fixmedins_setl_cnt: rows.length,
      medfee_sumamt: y(rows.reduce((x, r) => x + Number(r.total), 0)), fund_pay_sumamt: y(rows.reduce((x, r) => x + Number(r.funds), 0)),
    };
    expect((await h.call('3201', { data: { ...data, acct_pay: s.acct_pay } })).body.output.stmtinfo.stmt_rslt).toBe('0');
    const without = await h.call('3201', { data: { ...data, acct_pay: '0' } });
    expect(without.body.output.stmtinfo).toMatchObject({ stmt_rslt: '1', stmt_rslt_dscr: expect.stringContaining(`acct_pay: bureau ${s.acct_pay}, hospital 0.00`) });
  });
});
