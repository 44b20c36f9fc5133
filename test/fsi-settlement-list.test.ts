/** The national interface's 4101: the settlement list (discharge abstract) in yuan, received and grouped by Sanbao's DRG service. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from './support/db.ts';
import { openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

let t: TestDb;
let h: His;
let fsiApp: FsiTestApp;

beforeAll(async () => {
  fsiApp = await openFsiApp({ catalogues: ['shipped'] });
  ({ t, h } = fsiApp);
});
afterAll(() => fsiApp?.close());

const list = (setlinfo: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  setlinfo: {
    setl_id: 'S-4101-1', mdtrt_id: 'M1', psn_no: 'P0012345678', gend: '1', age: 64, adm_time: '2025-04-02 09:30:00', dscg_time: '2025-04-10', ipt_days: 8, dscg_way: '1',
    medfee_sumamt: '45000.00', psn_selfpay: 9000, fund_pay_sumamt: '34000.5', ...setlinfo,
  },
  diseinfo: [{ diag_code: 'I21.000x001', maindiag_flag: '1' }, { diag_code: 'N17.900', maindiag_flag: '0' }],
  oprninfo: [{ oprn_oprt_code: '36.0700', main_oprn_flag: '1' }],
  iteminfo: [{ med_chrgitm_type: '08', amt: '30000.00' }, { med_chrgitm_type: '09', amt: '15000' }],
  ...rest,
});
const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM drg_abstracts'))[0]!.n;

describe('4101 settlement list', () => {
  it('receives the list with its amounts in yuan, stored in fen and grouped; a retry answers the same', async () => {
    const r = await h.call('4101', list());
    expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
    expect(r.body.output.result).toMatchObject({ setl_id: 'S-4101-1', drg_code: expect.any(String) });
    const [row] = await t.db.query<{ total_fen: number; patient_fen: number; fund_fen: number }>(`SELECT total_fen, patient_fen, fund_fen FROM drg_abstracts WHERE setl_id = 'S-4101-1'`);
    expect(row).toEqual({ total_fen: 4_500_000, patient_fen: 900_000, fund_fen: 3_400_050 });
    expect((await h.resend(r.msgid, '4101', list())).body).toEqual(r.body);
  });

  it.each([
    ['an amount with three decimals', list({ medfee_sumamt: '45000.001' }), 'INVALID_INPUT', 'input.setlinfo.medfee_sumamt'],
    ['an item amount not in yuan', list({}, { iteminfo: [{ med_chrgitm_type: '08', amt: 'x' }] }), 'INVALID_INPUT', 'input.iteminfo.0.amt'],
    ['no setlinfo', { diseinfo: [] }, 'INVALID_INPUT', 'input.setlinfo'],
    ['two principal diagnoses', list({ setl_id: 'S-BAD' }, { diseinfo: [{ diag_code: 'I21.900', maindiag_flag: '1' }, { diag_code: 'I10.x00', maindiag_flag: '1' }] }), 'INVALID_ABSTRACT', 'input.diseinfo.1.maindiag_flag'],
    ['days not matching the dates', list({ setl_id: 'S-BAD', ipt_days: 3 }), 'INVALID_ABSTRACT', 'input.setlinfo.ipt_days'],
    ['the same setl_id with other content', list({ medfee_sumamt: '45000.01' }, { iteminfo: undefined }), 'IDEMPOTENCY_CONFLICT', 'input.setlinfo.setl_id'],
  ])('refuses %s, naming the field and writing nothing', async (_what, input, code, field) => {
    const before = await count();
    const r = await h.call('4101', input as Record<string, unknown>);
    expect([r.body.infcode, r.body.error?.code, r.body.error?.field]).toEqual([-1, code, field]);
    expect(await count()).toBe(before);
  });
});
