/**
 * The national interface, inpatient group: 2401 admission, 2301 / 2302 fee
 * lines, 2402 discharge, 2303 pre-settle, 2304 settle, 2305 cancel — and the
 * same money as Sanbao's own API for the same bill.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { feeLine, openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let h: His;
let fsiApp: FsiTestApp;

beforeAll(async () => {
  fsiApp = await openFsiApp({ catalogues: ['reference'] });
  ({ t, app, f, h } = fsiApp);
});
afterAll(() => fsiApp?.close());

const cert = (idNumber: string) => ({ mdtrt_cert_type: '02', mdtrt_cert_no: idNumber });

async function admit(person: { id: number; idNumber: string }, begntime = '2025-06-01 08:00:00') {
  const r = await h.call('2401', {
    mdtrtinfo: { psn_no: String(person.id), insutype: '390', ...cert(person.idNumber), med_type: '21', ipt_no: `ZY${person.id}`, begntime, adm_diag_dscr: '肺炎', dscg_maindiag_code: 'J18.900' },
    diseinfo: [{ psn_no: String(person.id), diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: 'J18.900', diag_name: '肺炎' }],
  });
  expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
  return r.body.output.result.mdtrt_id as string;
}

const LINES = (mdtrtId: string, psnNo: string) => [
  feeLine('1', mdtrtId, psnNo, 'XA10BAE054A001', 10, '1.50'),
  feeLine('2', mdtrtId, psnNo, 'XJ01DDC175B002', 4, '40.00', '2025-06-02'),
  feeLine('3', mdtrtId, psnNo, 'T000700456', 5, '20.00'),
  feeLine('4', mdtrtId, psnNo, '001105000010000', 3, '30.00', '2025-06-03'),
];
const ownLines = [
  { code: 'XA10BAE054A001', quantity: 10, unitPrice: 150, amount: 1_500, date: '2025-06-01', department: '内科' },
  { code: 'XJ01DDC175B002', quantity: 4, unitPrice: 4_000, amount: 16_000, date: '2025-06-02', department: '内科' },
  { code: 'T000700456', quantity: 5, unitPrice: 2_000, amount: 10_000, date: '2025-06-01', department: '内科' },
  { code: '001105000010000', quantity: 3, unitPrice: 3_000, amount: 9_000, date: '2025-06-03', department: '内科' },
];
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

async function counts() {
  const [row] = await t.db.query<{ s: number; v: number; l: number; m: number }>(
    `SELECT (SELECT count(*)::int FROM settlements) AS s, (SELECT count(*)::int FROM fsi_visits) AS v, (SELECT count(*)::int FROM fsi_fee_lines) AS l,
       (SELECT count(*)::int FROM fsi_messages) AS m`,
  );
  return row!;
}

describe('inpatient through the national interface', () => {
  it('admits, takes priced fee lines, discharges, pre-settles and settles to the same money as Sanbao\'s own API', async () => {
    const psn = String(f.poor.id);
    const mdtrtId = await admit(f.poor);
    const up = await h.call('2301', { feedetail: LINES(mdtrtId, psn) });
    expect(up.body.infcode, up.body.err_msg ?? '').toBe(0);
    expect(up.body.output.result.map((r: Record<string, string>) => [r.feedetl_sn, r.det_item_fee_sumamt, r.overlmt_amt, r.fulamt_ownpay_amt, r.preselfpay_amt, r.inscp_scp_amt, r.chrgitm_lv])).toEqual([
      ['1', '15.00', '0.00', '0.00', '0.00', '15.00', '01'],
      ['2', '160.00', '6.00', '0.00', '15.40', '138.60', '02'],
      ['3', '100.00', '0.00', '100.00', '0.00', '0.00', '03'],
      ['4', '90.00', '0.00', '0.00', '0.00', '90.00', '01'],
    ]);
    expect((await h.call('2402', { dscginfo: { mdtrt_id: mdtrtId, psn_no: psn, insutype: '390', endtime: '2025-06-03 10:00:00' } })).body.infcode).toBe(0);

    const own = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { patient: { idNumber: f.poor.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01', dischargeDate: '2025-06-03', diagnosis: 'J18.900' }, lines: ownLines },
    });
    expect(own.statusCode).toBe(200);
    const expected = own.json();
    const data = { psn_no: psn, ...cert(f.poor.idNumber), medfee_sumamt: '365.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390', acct_used_flag: '0' };
    const trial = await h.call('2303', { data });
    expect(trial.body.infcode, trial.body.err_msg ?? '').toBe(0);
    const settled = await h.call('2304', { data });
    expect(settled.body.infcode, settled.body.err_msg ?? '').toBe(0);
    for (const s of [trial.body.output.setlinfo, settled.body.output.setlinfo]) {
      expect(s).toMatchObject({
        mdtrt_id: mdtrtId, psn_no: psn, medfee_sumamt: '365.00', inscp_scp_amt: yuan(expected.compliant), overlmt_selfpay: '6.00', fulamt_ownpay_amt: '100.00',
        preselfpay_amt: '15.40', hifp_pay: yuan(expected.funds.basic), hifmi_pay: yuan(expected.funds.critical), maf_pay: yuan(expected.funds.assistance + expected.funds.tilt),
        fund_pay_sumamt: yuan(expected.total - expected.selfPay), psn_part_amt: yuan(expected.selfPay), psn_cash_pay: yuan(expected.selfPay), acct_pay: '0.00', balc: '0.00', clr_type: '21',
      });
    }
    expect(settled.body.output.setlinfo.setl_id).toBe(settled.msgid);
    expect(settled.body.output.setldetail.map((d: Record<string, string>) => [d.fund_pay_type, d.fund_payamt])).toEqual(
      [['390100', expected.funds.basic], ['390200', expected.funds.critical], ['510100', expected.funds.assistance]].filter(([, v]) => v > 0).map(([c, v]) => [c, yuan(v as number)]),
    );
    // Sanbao's own API shows the same settlement, in fen.
    const mine = await app.inject({ method: 'GET', url: `/api/v1/settlements/${settled.msgid}`, headers: { authorization: `Bearer ${KEYS.county}` } });
    expect(mine.json()).toMatchObject({ total: 36_500, compliant: expected.compliant, funds: expected.funds, selfPay: expected.selfPay, verification: 'itemised' });

    // A retry of the msgid answers the first answer whole; another body under it is refused, writing nothing.
    const before = await counts();
    const again = await h.resend(settled.msgid, '2304', { data });
    expect(again.body).toEqual(settled.body);
    const other = await h.resend(settled.msgid, '2304', { data: { ...data, medfee_sumamt: '365.01' } });
    expect([other.status, other.body.infcode, other.body.error?.code]).toEqual([409, -1, 'MSGID_CONFLICT']);
    expect(await counts()).toEqual(before);

    // Settled: no more lines, no second settlement.
    const late = await h.call('2301', { feedetail: [feeLine('5', mdtrtId, psn, 'XA10BAE054A001', 1, '1.50', '2025-06-02')] });
    expect([late.status, late.body.error?.code, late.body.error?.field]).toEqual([409, 'VISIT_SETTLED', 'input.feedetail.0.mdtrt_id']);
    const twice = await h.call('2304', { data });
    expect([twice.status, twice.body.error?.code]).toEqual([409, 'VISIT_SETTLED']);

    // 2305 cancels (Sanbao's reversal); the visit may then be settled again.
    const cancel = await h.call('2305', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    expect(cancel.body.infcode, cancel.body.err_msg ?? '').toBe(0);
    expect(cancel.body.output.setlinfo.fund_pay_sumamt).toBe(`-${settled.body.output.setlinfo.fund_pay_sumamt}`);
    expect((await app.inject({ method: 'GET', url: `/api/v1/settlements/${settled.msgid}`, headers: { authorization: `Bearer ${KEYS.county}` } })).json()).toMatchObject({ status: 'reversed', reversalId: cancel.msgid });
    const again2 = await h.call('2304', { data });
    expect(again2.body.infcode).toBe(0);
    expect(again2.body.output.setlinfo.fund_pay_sumamt).toBe(settled.body.output.setlinfo.fund_pay_sumamt);
  });

  it('cancels fee lines one by one or all with 0000, before settlement', async () => {
    const psn = String(f.plain.id);
    const mdtrtId = await admit(f.plain, '2025-07-01 08:00:00');
    const lines = [feeLine('A', mdtrtId, psn, 'XA10BAE054A001', 2, '1.50', '2025-07-01'), feeLine('B', mdtrtId, psn, 'XA10BAE054A001', 4, '1.50', '2025-07-02')];
    expect((await h.call('2301', { feedetail: lines })).body.infcode).toBe(0);
    // The same line again is accepted as it is; other content under its number is refused.
    expect((await h.call('2301', { feedetail: [lines[0]] })).body.infcode).toBe(0);
    const changed = await h.call('2301', { feedetail: [{ ...lines[0], cnt: 3, det_item_fee_sumamt: '4.50' }] });
    expect([changed.status, changed.body.error?.code, changed.body.error?.field]).toEqual([409, 'FEE_LINE_EXISTS', 'input.feedetail.0.feedetl_sn']);
    const one = await h.call('2302', { data: { feedetl_sn: 'B', mdtrt_id: mdtrtId, psn_no: psn } });
    expect(one.body.output.result).toEqual([{ feedetl_sn: 'B' }]);
    const data = { psn_no: psn, ...cert(f.plain.idNumber), medfee_sumamt: '9.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
    const wrong = await h.call('2303', { data });
    expect([wrong.status, wrong.body.error?.code, wrong.body.error?.field]).toEqual([422, 'MEDFEE_MISMATCH', 'input.data.medfee_sumamt']);
    expect((await h.call('2303', { data: { ...data, medfee_sumamt: 3 } })).body.output.setlinfo.medfee_sumamt).toBe('3.00');
    const all = await h.call('2302', { data: { feedetl_sn: '0000', mdtrt_id: mdtrtId, psn_no: psn } });
    expect(all.body.output.result).toEqual([{ feedetl_sn: 'A' }]);
    const none = await h.call('2303', { data: { ...data, medfee_sumamt: '0' } });
    expect([none.status, none.body.error?.code]).toEqual([422, 'NO_FEE_LINES']);
  });

  it('refuses bad input with infcode -1 naming the field, and writes nothing', async () => {
    const psn = String(f.extreme.id);
    const mdtrtId = await admit(f.extreme, '2025-08-01 08:00:00');
    const good = feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 2, '1.50', '2025-08-01');
    const adm = { psn_no: psn, insutype: '390', ...cert(f.extreme.idNumber), med_type: '21', ipt_no: 'ZY9', begntime: '2025-08-02 08:00:00', dscg_maindiag_code: 'J18.900' };
    const settle = { psn_no: psn, ...cert(f.extreme.idNumber), medfee_sumamt: '3.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['2401', { mdtrtinfo: { ...adm, psn_no: undefined } }, 400, 'INVALID_INPUT', 'input.mdtrtinfo.psn_no'],
      ['2401', { mdtrtinfo: { ...adm, psn_no: '999999' } }, 404, 'UNKNOWN_PERSON', 'input.mdtrtinfo.psn_no'],
      ['2401', { mdtrtinfo: { ...adm, insutype: '391' } }, 400, 'INVALID_INPUT', 'input.mdtrtinfo.insutype'],
      ['2401', { mdtrtinfo: { ...adm, insutype: '310' } }, 422, 'WRONG_INSUTYPE', 'input.mdtrtinfo.insutype'],
      ['2401', { mdtrtinfo: { ...adm, med_type: '11' } }, 400, 'INVALID_INPUT', 'input.mdtrtinfo.med_type'],
      ['2401', { mdtrtinfo: { ...adm, mdtrt_cert_no: f.plain.idNumber } }, 422, 'CERT_MISMATCH', 'input.mdtrtinfo.mdtrt_cert_no'],
      ['2401', { mdtrtinfo: { ...adm, begntime: '2025-02-30 08:00:00' } }, 400, 'INVALID_INPUT', 'input.mdtrtinfo.begntime'],
      ['2401', { mdtrtinfo: { ...adm, psn_no: String(f.pending.id), mdtrt_cert_no: f.pending.idNumber } }, 422, 'NOT_ENROLLED', 'input.mdtrtinfo.insutype'],
      ['2301', { feedetail: [{ ...good, pric: '1.505' }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.pric'],
      ['2301', { feedetail: [{ ...good, det_item_fee_sumamt: 3.001 }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.det_item_fee_sumamt'],
      ['2301', { feedetail: [{ ...good, det_item_fee_sumamt: '-3.00' }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.det_item_fee_sumamt'],
      ['2301', { feedetail: [{ ...good, det_item_fee_sumamt: '1e3' }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.det_item_fee_sumamt'],
      ['2301', { feedetail: [{ ...good, det_item_fee_sumamt: '3.10' }] }, 400, 'AMOUNT_MISMATCH', 'input.feedetail.0.det_item_fee_sumamt'],
      ['2301', { feedetail: [{ ...good, cnt: 1.5 }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.cnt'],
      ['2301', { feedetail: [{ ...good, med_list_codg: 'NOPE' }] }, 400, 'UNKNOWN_ITEM', 'input.feedetail.0.med_list_codg'],
      ['2301', { feedetail: [{ ...good, fee_ocur_time: '2025-07-31 10:00:00' }] }, 422, 'FEE_DATE_OUTSIDE_VISIT', 'input.feedetail.0.fee_ocur_time'],
      ['2301', { feedetail: [{ ...good, mdtrt_id: 'M0000' }] }, 404, 'UNKNOWN_MDTRT_ID', 'input.feedetail.0.mdtrt_id'],
      ['2301', { feedetail: [{ ...good, psn_no: String(f.plain.id) }] }, 422, 'PSN_NO_MISMATCH', 'input.feedetail.0.psn_no'],
      ['2301', { feedetail: [good, good] }, 400, 'DUPLICATE_FEEDETL_SN', 'input.feedetail.1.feedetl_sn'],
      ['2301', { feedetail: [] }, 400, 'INVALID_INPUT', 'input.feedetail'],
      ['2303', { data: { ...settle, psn_setlway: '02' } }, 400, 'INVALID_INPUT', 'input.data.psn_setlway'],
      ['2303', { data: { ...settle, medfee_sumamt: 'abc' } }, 400, 'INVALID_INPUT', 'input.data.medfee_sumamt'],
      ['2304', { data: { ...settle, psn_no: '999999' } }, 404, 'UNKNOWN_PERSON', 'input.data.psn_no'],
      ['2304', { data: { ...settle, insutype: '310' } }, 422, 'INSUTYPE_MISMATCH', 'input.data.insutype'],
      ['2304', { data: { ...settle, mdtrt_cert_type: '03' } }, 400, 'INVALID_INPUT', 'input.data.mdtrt_cert_type'],
      ['2305', { data: { setl_id: 'NOPE', mdtrt_id: mdtrtId, psn_no: psn } }, 422, 'UNKNOWN_SETL_ID', 'input.data.setl_id'],
      ['2402', { dscginfo: { mdtrt_id: mdtrtId, psn_no: psn, endtime: '2025-07-01 08:00:00' } }, 422, 'DISCHARGE_BEFORE_ADMISSION', 'input.dscginfo.endtime'],
      ['2302', { data: { feedetl_sn: 'X', mdtrt_id: mdtrtId, psn_no: psn } }, 422, 'NO_SUCH_FEE_LINES', 'input.data.feedetl_sn'],
    ];
    const before = await counts();
    for (const [infno, input, status, code, field] of cases) {
      const r = await h.call(infno, input);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], `${infno} ${code} ${field}`).toEqual([status, -1, code, field]);
      expect(r.body.err_msg).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
      expect(r.body.output).toEqual({});
    }
    expect(await counts()).toEqual(before);
  });

  it('answers 20 concurrent sends of one 2304 msgid with one settlement, and 10 of one 2401 msgid with one visit', async () => {
    const psn = String(f.alleviated.id);
    const msgid = h.nextMsgid();
    const admission = { mdtrtinfo: { psn_no: psn, insutype: '390', ...cert(f.alleviated.idNumber), med_type: '21', ipt_no: 'ZY-C', begntime: '2025-09-01 08:00:00', dscg_maindiag_code: 'J18.900' } };
    const admitted = await Promise.all(Array.from({ length: 10 }, () => h.call('2401', admission, { msgid })));
    const ids = new Set(admitted.map((r) => r.body.output.result?.mdtrt_id));
    expect([...ids]).toHaveLength(1);
    const mdtrtId = [...ids][0] as string;
    expect((await h.call('2301', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 100, '1.50', '2025-09-01')] })).body.infcode).toBe(0);
    const data = { psn_no: psn, ...cert(f.alleviated.idNumber), medfee_sumamt: '150.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
    const settleMsgid = h.nextMsgid();
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.call('2304', { data }, { msgid: settleMsgid })));
    for (const a of answers) expect(a.body.infcode, a.body.err_msg ?? '').toBe(0);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM settlements WHERE transaction_id = $1`, [settleMsgid]);
    expect(rows[0]!.n).toBe(1);
    const [acc] = await t.db.query<{ basic: number }>('SELECT basic FROM accumulators WHERE person_id = $1 AND year = 2025', [f.alleviated.id]);
    expect(fenOf(answers[0]!.body.output.setlinfo.hifp_pay)).toBe(Number(acc!.basic));
  });
});

function fenOf(yuan: string): number {
  const [w, d = ''] = yuan.split('.');
  return Number(w) * 100 + Number(d.padEnd(2, '0'));
}
