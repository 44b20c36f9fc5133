/**
 * The national interface, outpatient group: 2201 / 2202 registration, 2204 /
 * 2205 fee lines by charge batch, 2206 pre-settle, 2207 settle, 2208 cancel,
 * and 2601 reversal by the original msgid.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeYearAudited } from '../src/service/year-end.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { feeLine, his, openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

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

const hospital = { authorization: `Bearer ${KEYS.county}` };
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

async function register(person: { id: number; idNumber: string }, day: string, extra: Record<string, unknown> = {}) {
  const r = await h.call('2201', { data: { psn_no: String(person.id), insutype: '390', begntime: `${day} 08:30:00`, mdtrt_cert_type: '02', mdtrt_cert_no: person.idNumber, ipt_otp_no: `MZ${day}`, dept_name: '内科', ...extra } });
  expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
  return r.body.output.data.mdtrt_id as string;
}

describe('outpatient through the national interface', () => {
  it('registers, takes lines by charge batch, cancels a batch, settles to the same money as Sanbao\'s own API, and cancels', async () => {
    const psn = String(f.plain.id);
    const mdtrtId = await register(f.plain, '2025-05-10');
    const b1 = [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 20, '1.50', '2025-05-10', { chrg_bchno: 'B1' }), feeLine('2', mdtrtId, psn, 'XJ01DDC175B002', 2, '30.00', '2025-05-10', { chrg_bchno: 'B1' })];
    const b2 = [feeLine('3', mdtrtId, psn, 'T000700456', 1, '20.00', '2025-05-10', { chrg_bchno: 'B2' })];
    expect((await h.call('2204', { feedetail: b1 })).body.infcode).toBe(0);
    expect((await h.call('2204', { feedetail: b2 })).body.infcode).toBe(0);
    const cancelled = await h.call('2205', { data: { chrg_bchno: 'B2', mdtrt_id: mdtrtId, psn_no: psn } });
    expect(cancelled.body.output.result).toEqual([{ feedetl_sn: '3' }]);

    const own = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: hospital,
      payload: { patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-05-10' }, lines: [
        { code: 'XA10BAE054A001', quantity: 20, unitPrice: 150, amount: 3_000, date: '2025-05-10', department: '内科' },
        { code: 'XJ01DDC175B002', quantity: 2, unitPrice: 3_000, amount: 6_000, date: '2025-05-10', department: '内科' },
      ] },
    });
    const expected = own.json();
    const data = { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, med_type: '11', medfee_sumamt: 90, psn_setlway: '01', mdtrt_id: mdtrtId, chrg_bchno: 'B1', insutype: '390', acct_used_flag: '0' };
    const trial = await h.call('2206', { data });
    const settled = await h.call('2207', { data });
    for (const r of [trial, settled]) {
      expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
      expect(r.body.output.setlinfo).toMatchObject({
        medfee_sumamt: '90.00', inscp_scp_amt: yuan(expected.compliant), hifp_pay: yuan(expected.funds.basic), fund_pay_sumamt: yuan(expected.total - expected.selfPay),
        psn_part_amt: yuan(expected.selfPay), clr_type: '11', med_type: '11', insutype: '390',
      });
    }
    expect(expected.funds.basic).toBeGreaterThan(0);
    expect(settled.body.output.setldetail).toEqual([expect.objectContaining({ fund_pay_type: '390100', fund_payamt: yuan(expected.funds.basic) })]);
    const mine = await app.inject({ method: 'GET', url: `/api/v1/settlements/${settled.msgid}`, headers: hospital });
    expect(mine.json()).toMatchObject({ status: 'settled', total: 9_000, funds: expected.funds, visit: { kind: 'outpatient', date: '2025-05-10' } });

    const refused = await h.call('2202', { data: { psn_no: psn, mdtrt_id: mdtrtId } });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'VISIT_SETTLED']);
    const cancel = await h.call('2208', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    expect(cancel.body.infcode, cancel.body.err_msg ?? '').toBe(0);
    expect(cancel.body.output.setlinfo.hifp_pay).toBe(`-${yuan(expected.funds.basic)}`);
    const again = await h.call('2208', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    expect([again.status, again.body.error?.code, again.body.error?.field]).toEqual([409, 'ALREADY_REVERSED', 'input.data.setl_id']);
    expect((await h.call('2202', { data: { psn_no: psn, mdtrt_id: mdtrtId } })).body.infcode).toBe(0);
    const closed = await h.call('2204', { feedetail: b2 });
    expect([closed.status, closed.body.error?.code]).toEqual([409, 'VISIT_CANCELLED']);
    const [acc] = await t.db.query<{ outpatient_fund: number }>('SELECT outpatient_fund FROM accumulators WHERE person_id = $1 AND year = 2025', [f.plain.id]);
    expect(Number(acc!.outpatient_fund)).toBe(0);
  });

  it('2601 reverses a settlement the HIS never saw answered, by its msgid; a retry of the reversal answers the same', async () => {
    const psn = String(f.poor.id);
    const mdtrtId = await register(f.poor, '2025-05-11');
    expect((await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 10, '1.50', '2025-05-11')] })).body.infcode).toBe(0);
    const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '01', mdtrt_cert_no: f.poor.qrToken, medfee_sumamt: '15.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } });
    expect(settled.body.infcode, settled.body.err_msg ?? '').toBe(0);
    const reversal = await h.call('2601', { data: { psn_no: psn, omsgid: settled.msgid, oinfno: '2207' } });
    expect(reversal.body.infcode, reversal.body.err_msg ?? '').toBe(0);
    expect(await h.resend(reversal.msgid, '2601', { data: { psn_no: psn, omsgid: settled.msgid, oinfno: '2207' } })).toMatchObject({ status: 200, body: reversal.body });
    const row = (await app.inject({ method: 'GET', url: `/api/v1/settlements/${settled.msgid}`, headers: hospital })).json();
    expect(row).toMatchObject({ status: 'reversed', reversalId: reversal.msgid });
    const bad: [Record<string, unknown>, number, string, string][] = [
      [{ psn_no: psn, omsgid: settled.msgid, oinfno: '2302' }, 400, 'INVALID_INPUT', 'input.data.oinfno'],
      [{ psn_no: psn, omsgid: settled.msgid, oinfno: '2401' }, 404, 'UNKNOWN_OMSGID', 'input.data.omsgid'],
      [{ psn_no: psn, omsgid: settled.msgid, oinfno: '2301' }, 404, 'UNKNOWN_OMSGID', 'input.data.omsgid'],
      [{ psn_no: psn, omsgid: 'H51333000001202501010000000000', oinfno: '2207' }, 422, 'UNKNOWN_SETL_ID', 'input.data.omsgid'],
      [{ psn_no: String(f.plain.id), omsgid: settled.msgid, oinfno: '2207' }, 422, 'PSN_NO_MISMATCH', 'input.data.psn_no'],
      [{ psn_no: psn, oinfno: '2207' }, 400, 'INVALID_INPUT', 'input.data.omsgid'],
    ];
    for (const [data, status, code, field] of bad) {
      const r = await h.call('2601', { data });
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], code).toEqual([status, -1, code, field]);
    }
  });

  it('2601 also undoes a registration and a fee upload whose answers were lost', async () => {
    const psn = String(f.alleviated.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-05-20 08:30:00', mdtrt_cert_type: '02', mdtrt_cert_no: f.alleviated.idNumber, ipt_otp_no: 'MZ-R' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    const first = await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 2, '1.50', '2025-05-20')] });
    const second = await h.call('2204', { feedetail: [feeLine('2', mdtrtId, psn, 'XA10BAE054A001', 4, '1.50', '2025-05-20'), feeLine('3', mdtrtId, psn, 'XA10BAE054A001', 1, '1.50', '2025-05-20')] });
    const undoLines = await h.call('2601', { data: { psn_no: psn, omsgid: second.msgid, oinfno: '2204' } });
    expect(undoLines.body.infcode, undoLines.body.err_msg ?? '').toBe(0);
    const lines = await t.db.query<{ feedetl_sn: string; status: string }>(`SELECT l.feedetl_sn, l.status FROM fsi_fee_lines l JOIN fsi_visits v ON v.id = l.visit_id WHERE v.mdtrt_id = $1 ORDER BY 1`, [mdtrtId]);
    expect(lines).toEqual([{ feedetl_sn: '1', status: 'active' }, { feedetl_sn: '2', status: 'cancelled' }, { feedetl_sn: '3', status: 'cancelled' }]);
    expect(first.body.infcode).toBe(0);
    const undoVisit = await h.call('2601', { data: { psn_no: psn, omsgid: reg.msgid, oinfno: '2201' } });
    expect(undoVisit.body.infcode, undoVisit.body.err_msg ?? '').toBe(0);
    const [visit] = await t.db.query<{ status: string }>('SELECT status FROM fsi_visits WHERE mdtrt_id = $1', [mdtrtId]);
    expect(visit!.status).toBe('cancelled');
  });

  it('refuses bad outpatient input with infcode -1 naming the field, writing nothing', async () => {
    const psn = String(f.extreme.id);
    const mdtrtId = await register(f.extreme, '2025-05-12');
    const reg = { psn_no: psn, insutype: '390', begntime: '2025-05-12 08:30:00', mdtrt_cert_type: '02', mdtrt_cert_no: f.extreme.idNumber, ipt_otp_no: 'MZ1' };
    const line = feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 2, '1.50', '2025-05-12');
    const settle = { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.extreme.idNumber, medfee_sumamt: '3.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['2201', { data: { ...reg, begntime: undefined } }, 400, 'INVALID_INPUT', 'input.data.begntime'],
      ['2201', { data: { ...reg, med_type: '21' } }, 400, 'INVALID_INPUT', 'input.data.med_type'],
      ['2201', { data: { ...reg, med_type: '14' } }, 400, 'INVALID_INPUT', 'input.data.dise_codg'],
      ['2201', { data: { ...reg, psn_no: 'abc' } }, 400, 'INVALID_INPUT', 'input.data.psn_no'],
      ['2201', { data: { ...reg, begntime: '2030-01-01 08:00:00' } }, 422, 'NOT_ENROLLED', 'input.data.insutype'],
      ['2204', { feedetail: [{ ...line, pric: 1.555 }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.pric'],
      ['2204', { feedetail: [{ ...line, pric: '' }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.pric'],
      ['2204', { feedetail: [{ ...line, det_item_fee_sumamt: undefined }] }, 400, 'INVALID_INPUT', 'input.feedetail.0.det_item_fee_sumamt'],
      ['2204', { feedetail: [{ ...line, fee_ocur_time: '2025-05-11 10:00:00' }] }, 422, 'FEE_DATE_OUTSIDE_VISIT', 'input.feedetail.0.fee_ocur_time'],
      ['2205', { data: { chrg_bchno: 'NOPE', mdtrt_id: mdtrtId, psn_no: psn } }, 422, 'NO_SUCH_FEE_LINES', 'input.data.chrg_bchno'],
      ['2206', { data: { ...settle, med_type: '14' } }, 422, 'MED_TYPE_MISMATCH', 'input.data.med_type'],
      ['2206', { data: settle }, 422, 'NO_FEE_LINES', 'input.data.mdtrt_id'],
      ['2207', { data: { ...settle, mdtrt_cert_no: f.plain.idNumber } }, 422, 'CERT_MISMATCH', 'input.data.mdtrt_cert_no'],
      ['2207', { data: { ...settle, medfee_sumamt: '3.001' } }, 400, 'INVALID_INPUT', 'input.data.medfee_sumamt'],
      ['2208', { data: { setl_id: 'NOPE', mdtrt_id: mdtrtId, psn_no: psn } }, 422, 'UNKNOWN_SETL_ID', 'input.data.setl_id'],
      ['2202', { data: { psn_no: psn, mdtrt_id: 'M404' } }, 404, 'UNKNOWN_MDTRT_ID', 'input.data.mdtrt_id'],
    ];
    const [before] = await t.db.query('SELECT (SELECT count(*)::int FROM settlements) s, (SELECT count(*)::int FROM fsi_visits) v, (SELECT count(*)::int FROM fsi_fee_lines) l');
    for (const [infno, input, status, code, field] of cases) {
      const r = await h.call(infno, input);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], `${infno} ${code}`).toEqual([status, -1, code, field]);
    }
    const [after] = await t.db.query('SELECT (SELECT count(*)::int FROM settlements) s, (SELECT count(*)::int FROM fsi_visits) v, (SELECT count(*)::int FROM fsi_fee_lines) l');
    expect(after).toEqual(before);
  });

  it('a visit of another facility is not found by this one', async () => {
    const mdtrtId = await register(f.alleviated, '2025-05-13');
    const clinic = his(app, { code: 'H51333000002', key: KEYS.clinic });
    await clinic.signIn();
    const r = await clinic.call('2204', { feedetail: [feeLine('1', mdtrtId, String(f.alleviated.id), 'XA10BAE054A001', 1, '1.50', '2025-05-13')] });
    expect([r.status, r.body.error?.code]).toEqual([404, 'UNKNOWN_MDTRT_ID']);
  });

  // Last: it closes 2025 for the rest of this file.
  it('a closed year refuses a settlement and a cancel, naming the field, writing nothing', async () => {
    const psn = String(f.plain.id);
    const mdtrtId = await register(f.plain, '2025-11-02');
    await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 2, '1.50', '2025-11-02')] });
    const data = { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, medfee_sumamt: '3.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
    const settled = await h.call('2207', { data });
    expect(settled.body.infcode).toBe(0);
    const other = await register(f.plain, '2025-11-03');
    await h.call('2204', { feedetail: [feeLine('1', other, psn, 'XA10BAE054A001', 2, '1.50', '2025-11-03')] });
    await closeYearAudited(t.db, 2025, 'cli', 'test');
    const refused = await h.call('2207', { data: { ...data, mdtrt_id: other } });
    expect([refused.status, refused.body.error?.code, refused.body.error?.field]).toEqual([409, 'YEAR_CLOSED', 'input.data.mdtrt_id']);
    const cancel = await h.call('2208', { data: { setl_id: settled.msgid, mdtrt_id: mdtrtId, psn_no: psn } });
    expect([cancel.status, cancel.body.error?.code, cancel.body.error?.field]).toEqual([409, 'YEAR_CLOSED', 'input.data.setl_id']);
    expect((await t.db.query(`SELECT 1 FROM settlements WHERE transaction_id = $1`, [refused.msgid])).length).toBe(0);
  });
});
