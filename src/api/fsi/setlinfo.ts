/**
 * A Sanbao settlement as the national interface answers it: setlinfo (the
 * figures of the bill) and setldetail (one line per fund that paid), yuan as
 * strings with two decimals, codes from the dictionary.
 */
import type { Fen } from '../../domain/money.ts';
import { FUNDS } from '../../domain/vocabulary.ts';
import type { VisitSettlement } from '../../service/fsi/fsi-bills.ts';
import { CLR_TYPE, FUND_PAY_TYPE, SETLINFO_FUND } from './dictionary.ts';
import { basisPointsToRatio, fenToYuan } from './yuan.ts';

/** Figures with a sign: a cancelled settlement answers them negated, as the platform does. */
export function setlinfoOf(s: VisitSettlement, sign: 1 | -1 = 1) {
  const account = s.account ?? { acctPay: 0, acctMulaidPay: 0, balance: 0 };
  const y = (fen: Fen) => fenToYuan(sign * fen);
  const by = { hifp_pay: 0, hifmi_pay: 0, maf_pay: 0, hifes_pay: 0 } as Record<(typeof SETLINFO_FUND)[keyof typeof SETLINFO_FUND], Fen>;
  for (const fund of FUNDS) by[SETLINFO_FUND[fund]] += s.funds[fund];
  const fundSum = FUNDS.reduce((t, f) => t + s.funds[f], 0);
  const basic = s.steps.find((st) => st.fund === 'basic');
  return {
    setl_id: s.setlId ?? '',
    mdtrt_id: s.visit.mdtrt_id,
    psn_no: String(s.visit.person_id),
    insutype: s.visit.insutype,
    med_type: s.visit.med_type,
    clr_type: CLR_TYPE[s.visit.kind],
    setl_time: formatTime(s.at),
    medfee_sumamt: y(s.total),
    fulamt_ownpay_amt: y(s.excluded),
    overlmt_selfpay: y(s.aboveCap),
    preselfpay_amt: y(s.selfPayFirst),
    inscp_scp_amt: y(s.compliant),
    act_pay_dedc: y(basic?.deductible ?? 0),
    hifp_pay: y(by.hifp_pay),
    // The share of the basic fund's base left to the patient (1 − the ratio applied).
    pool_prop_selfpay: basic?.ratio === undefined ? '0' : basisPointsToRatio(10_000 - basic.ratio),
    cvlserv_pay: y(0),
    hifes_pay: y(by.hifes_pay),
    hifmi_pay: y(by.hifmi_pay),
    hifob_pay: y(0),
    maf_pay: y(by.maf_pay),
    oth_pay: y(0),
    fund_pay_sumamt: y(fundSum),
    psn_part_amt: y(s.selfPay),
    acct_pay: y(account.acctPay),
    psn_cash_pay: y(s.selfPay - account.acctPay - account.acctMulaidPay),
    // The balance is the account's now (after this settlement, or after its cancel gave the money back): never negated.
    balc: fenToYuan(account.balance),
    acct_mulaid_pay: y(account.acctMulaidPay),
    hosp_part_amt: y(0),
  };
}

export function setldetailOf(s: VisitSettlement, sign: 1 | -1 = 1) {
  return FUNDS.filter((fund) => s.funds[fund] > 0).map((fund) => {
    const step = s.steps.find((st) => st.fund === fund);
    const code = FUND_PAY_TYPE[fund];
    return {
      fund_pay_type: s.scheme === 'employee' ? code.employee : code.resident,
      fund_pay_type_name: code.name,
      inscp_scp_amt: fenToYuan(sign * (step?.base ?? 0)),
      crt_payb_lmt_amt: fenToYuan(0),
      fund_payamt: fenToYuan(sign * s.funds[fund]),
      // The engine's explanation: its rule and, where it applied, the ratio and the deductible.
      setl_proc_info: [step?.rule ?? fund, step?.ratio !== undefined ? `ratio ${basisPointsToRatio(step.ratio)}` : '', step?.deductible ? `deductible ${fenToYuan(step.deductible)}` : '']
        .filter(Boolean).join('; '),
    };
  });
}

/** "yyyy-MM-dd HH:mm:ss" in China time. */
export function formatTime(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}
