/** The settlement list (4101) read field by field: what is accepted, and every refusal named by its field. */
import { describe, expect, it } from 'vitest';
import { abstractFromRow, readAbstractHeader } from './abstract-csv.ts';
import { readAbstract } from './abstract.ts';

const base = {
  setl_id: 'S-1', psn_no: 'P1', gend: '2', age: 0, nwb_age: 12, nwb_bir_wt: 2450, adm_time: '2025-02-27 23:10:00', dscg_time: '2025-03-02', ipt_days: 3, dscg_way: 1,
  diseinfo: [{ diag_code: ' P07.100 ', maindiag_flag: 1 }, { diag_code: 'P59.900', maindiag_flag: '0' }],
  medfee_sumamt: 500_000, psn_selfpay: 100_000, fund_pay_sumamt: 400_000,
};

describe('readAbstract', () => {
  it('reads a newborn with times, numeric flags and trimmed codes', () => {
    const r = readAbstract(base);
    expect(r.problems).toBeUndefined();
    expect(r.abstract).toMatchObject({
      sex: 'F', ageYears: 0, ageDays: 12, newbornWeightG: 2450, admissionDate: '2025-02-27', dischargeDate: '2025-03-02', iptDays: 3,
      dischargeWay: '1', principal: 'P07.100', secondary: ['P59.900'], mainProcedure: null, otherProcedures: [], items: [],
    });
  });

  it('counts a same-day discharge as one day', () => {
    expect(readAbstract({ ...base, dscg_time: '2025-02-27', ipt_days: 1 }).problems).toBeUndefined();
    expect(readAbstract({ ...base, dscg_time: '2025-02-27', ipt_days: 0 }).problems).toBeUndefined();
  });

  it.each([
    [{ adm_time: '2025-02-30' }, 'adm_time'],
    [{ dscg_time: '2025-02-20', ipt_days: 0 }, 'dscg_time'],
    [{ age: -1 }, 'age'],
    [{ age: 1.5 }, 'age'],
    [{ nwb_bir_wt: 100 }, 'nwb_bir_wt'],
    [{ gend: 'F' }, 'gend'],
    [{ psn_no: 'P 1' }, 'psn_no'],
    [{ psn_selfpay: '100000' }, 'psn_selfpay'],
    [{ diseinfo: [] }, 'diseinfo'],
    [{ diseinfo: [{ maindiag_flag: '1' }] }, 'diseinfo[0].diag_code'],
    [{ oprninfo: [{ oprn_oprt_code: '47.0100', main_oprn_flag: '0' }] }, 'oprninfo'],
    [{ oprninfo: [{ oprn_oprt_code: '47.0100', main_oprn_flag: '1' }, { oprn_oprt_code: '47.0900', main_oprn_flag: '1' }] }, 'oprninfo[1].main_oprn_flag'],
    [{ iteminfo: [{ med_chrgitm_type: '15', amt: 500_000 }] }, 'iteminfo[0].med_chrgitm_type'],
    [{ iteminfo: 'x' }, 'iteminfo'],
  ])('refuses %j naming %s', (patch, field) => {
    const r = readAbstract({ ...base, ...patch });
    expect(r.problems?.map((p) => p.field)).toContain(field);
  });

  it('refuses what is not an object', () => {
    for (const v of [null, [], 'x', 3]) expect(readAbstract(v).problems).toEqual([{ field: '', message: 'an abstract is a JSON object' }]);
  });
});

describe('a CSV row', () => {
  const header = ['fixmedins_code', 'setl_id', 'psn_no', 'age', 'adm_time', 'dscg_time', 'ipt_days', 'dscg_way', 'main_diag_code', 'other_diag_codes', 'main_oprn_code', 'other_oprn_codes', 'medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt'];
  const at = (readAbstractHeader(header) as { at: Parameters<typeof abstractFromRow>[1] }).at;
  it('becomes a 4101 object, yuan parsed digit by digit into fen', () => {
    const r = abstractFromRow(['H1', 'S-1', 'P1', '60', '2025-03-01', '2025-03-05', '4', '1', 'K35.800', 'E87.100|N39.000', '47.0100', '', '11000.5', '2000', '8000.05'], at);
    expect(r).toMatchObject({ facility: 'H1', body: { medfee_sumamt: 1_100_050, psn_selfpay: 200_000, fund_pay_sumamt: 800_005, age: 60 } });
    const body = (r as unknown as { body: { diseinfo: unknown[]; oprninfo: unknown[] } }).body;
    expect(body.diseinfo).toEqual([{ diag_code: 'K35.800', maindiag_flag: '1' }, { diag_code: 'E87.100', maindiag_flag: '0' }, { diag_code: 'N39.000', maindiag_flag: '0' }]);
    expect(body.oprninfo).toEqual([{ oprn_oprt_code: '47.0100', main_oprn_flag: '1' }]);
    expect(readAbstract((r as { body: unknown }).body).problems).toBeUndefined();
  });
  it('names cells that are not numbers or amounts, and a header that lacks columns', () => {
    const r = abstractFromRow(['H1', 'S-1', 'P1', 'sixty', '2025-03-01', '2025-03-05', '4', '1', 'K35.800', '', '', '', '1.234', '0', '0'], at);
    expect((r as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['age', 'medfee_sumamt']);
    expect(readAbstractHeader(['setl_id'])).toMatchObject({ problem: expect.stringMatching(/^the header lacks psn_no, age/) });
  });
});
