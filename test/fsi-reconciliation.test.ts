/**
 * 3201 / 3202 reconciliation through the national interface: bad input named
 * and nothing recorded; a retried msgid answers the same; a reversal counts −1.
 * (A day's traffic reconciling to the fen is test/fsi-replay.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { daysAroundToday, feeLine, openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

let t: TestDb;
let f: Fixture;
let h: His;
let fsiApp: FsiTestApp;
const period = { setl_optins: '513330', ...daysAroundToday() };

beforeAll(async () => {
  fsiApp = await openFsiApp({ catalogues: ['reference'] });
  ({ t, f, h } = fsiApp);
});
afterAll(() => fsiApp?.close());

const records = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reconciliations'))[0]!.n;

describe('3201 / 3202', () => {
  it('a settlement and its reversal on the same day net to nothing; a retry answers the same', async () => {
    const psn = String(f.plain.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-06-01 08:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, ipt_otp_no: 'MZ1' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 10, '1.50')] });
    const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, medfee_sumamt: '15.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } });
    const s = settled.body.output.setlinfo;
    const one = await h.call('3201', { data: { insutype: '390', clr_type: '11', ...period, medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: '0', fixmedins_setl_cnt: 1 } });
    expect(one.body.output.stmtinfo.stmt_rslt).toBe('0');
    expect((await h.resend(one.msgid, '3201', { data: { insutype: '390', clr_type: '11', ...period, medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: '0', fixmedins_setl_cnt: 1 } })).body).toEqual(one.body);
    await h.call('2208', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    const none = await h.call('3201', { data: { insutype: '390', clr_type: '11', ...period, medfee_sumamt: 0, fund_pay_sumamt: '0.00', fixmedins_setl_cnt: '0' } });
    expect(none.body.output.stmtinfo.stmt_rslt).toBe('0');
    const stale = await h.call('3201', { data: { insutype: '390', clr_type: '11', ...period, medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, fixmedins_setl_cnt: 1 } });
    expect(stale.body.output.stmtinfo).toMatchObject({ stmt_rslt: '1', stmt_rslt_dscr: expect.stringContaining('fixmedins_setl_cnt: bureau 0, hospital 1') });
    const reversalLine = await h.call('3202', { data: period, detail: [
      { setl_id: settled.msgid, refd_setl_flag: '0', medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt },
      { setl_id: settled.msgid, refd_setl_flag: '1', medfee_sumamt: `-${s.medfee_sumamt}`, fund_pay_sumamt: `-${s.fund_pay_sumamt}` },
    ] });
    expect(reversalLine.body.output.stmtinfo.stmt_rslt).toBe('0');
  });

  it('refuses bad input naming the field, recording nothing', async () => {
    const good = { insutype: '390', clr_type: '11', ...period, medfee_sumamt: '1.00', fund_pay_sumamt: '0.50', fixmedins_setl_cnt: 1 };
    const before = await records();
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['3201', { data: { ...good, clr_type: '99' } }, 400, 'INVALID_INPUT', 'input.data.clr_type'],
      ['3201', { data: { ...good, insutype: '999' } }, 400, 'INVALID_INPUT', 'input.data.insutype'],
      ['3201', { data: { ...good, medfee_sumamt: '1.001' } }, 400, 'INVALID_INPUT', 'input.data.medfee_sumamt'],
      ['3201', { data: { ...good, fund_pay_sumamt: undefined } }, 400, 'INVALID_INPUT', 'input.data.fund_pay_sumamt'],
      ['3201', { data: { ...good, fixmedins_setl_cnt: 1.5 } }, 400, 'INVALID_INPUT', 'input.data.fixmedins_setl_cnt'],
      ['3201', { data: { ...good, stmt_begndate: '2025-13-01' } }, 400, 'INVALID_INPUT', 'input.data.stmt_begndate'],
      ['3201', { data: { ...good, stmt_begndate: '2025-06-02', stmt_enddate: '2025-06-01' } }, 400, 'INVALID_PERIOD', 'input.data.stmt_enddate'],
      ['3201', { data: { ...good, stmt_begndate: '2023-01-01', stmt_enddate: '2025-06-01' } }, 400, 'INVALID_PERIOD', 'input.data.stmt_enddate'],
      ['3202', { data: period }, 400, 'INVALID_INPUT', 'input.detail'],
      ['3202', { data: period, detail: [{ setl_id: 'X', medfee_sumamt: 'a', fund_pay_sumamt: '0' }] }, 400, 'INVALID_INPUT', 'input.detail.0.medfee_sumamt'],
      ['3202', { data: period, detail: [{ setl_id: 'X', refd_setl_flag: '2', medfee_sumamt: '1', fund_pay_sumamt: '0' }] }, 400, 'INVALID_INPUT', 'input.detail.0.refd_setl_flag'],
    ];
    for (const [infno, input, status, code, field] of cases) {
      const r = await h.call(infno, input);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], `${infno} ${field}`).toEqual([status, -1, code, field]);
    }
    expect(await records()).toBe(before);
  });
});
