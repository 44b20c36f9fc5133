/**
 * The data dictionary of the national interface (医保信息平台接口 码表) as far
 * as Sanbao answers it: each national code beside Sanbao's own identifier.
 * Documented, table by table, in docs/fsi.md; a test checks the two agree.
 */
import { CLR_TYPE as LEDGER_CLR_TYPE } from '../../domain/ledger/reconcile.ts';
import type { Fund, Identity, Scheme, VisitKind } from '../../domain/vocabulary.ts';

/** 险种类型 insutype ↔ scheme (the ledger's reconciliation, src/domain/ledger/reconcile.ts, holds it the other way round; a test compares them). */
export const INSUTYPE = { '310': 'employee', '390': 'resident' } as const satisfies Record<string, Scheme>;
export type Insutype = keyof typeof INSUTYPE;
export const insutypeOf = (scheme: Scheme): Insutype => (scheme === 'employee' ? '310' : '390');

/** 医疗类别 med_type ↔ visit kind. */
export const MED_TYPE = { '11': 'outpatient', '14': 'chronic', '21': 'inpatient' } as const satisfies Record<string, VisitKind>;
export type MedType = keyof typeof MED_TYPE;
/** Which med_type each group of transactions takes: 2201–2208 outpatient and chronic, 2401–2305 inpatient. */
export const OUTPATIENT_MED_TYPES = ['11', '14'] as const;
export const INPATIENT_MED_TYPES = ['21'] as const;

/** 清算类别 clr_type: the visit kind's clearing class (as the ledger's reconciliation counts it). */
export const CLR_TYPE: Readonly<Record<VisitKind, string>> = LEDGER_CLR_TYPE;

/** 就诊凭证类型 mdtrt_cert_type: how the patient is identified. */
export const MDTRT_CERT_TYPE = { '01': 'qrToken', '02': 'idNumber' } as const;
export type MdtrtCertType = keyof typeof MDTRT_CERT_TYPE;

/** 人员证件类型 psn_cert_type: 01 居民身份证 (the only one Sanbao stores). */
export const PSN_CERT_TYPE = { '01': 'idNumber' } as const;

/** 性别 gend. */
export const GEND = { M: '1', F: '2' } as const;

/** 人员类别 psn_type: employees in service / retired, residents. */
export const PSN_TYPE = { in_service: '11', retired: '12', resident: '15' } as const;

/** 参保状态 psn_insu_stas: enrolled for the year → 1 正常参保, otherwise 2 暂停参保. */
export const PSN_INSU_STAS = { enrolled: '1', not_enrolled: '2' } as const;

/**
 * 人员身份类别 psn_idet_type ↔ identity. The national list leaves the
 * assistance categories to the province; these are Sanbao's, one per identity.
 */
export const PSN_IDET_TYPE = {
  extreme_poverty: '2301',
  minimum_living: '2302',
  low_income_margin: '2303',
  monitored: '2304',
  returned_to_poverty: '2305',
  sudden_hardship: '2306',
  poverty_alleviated: '2307',
  low_income_transition: '2308',
  severe_disability: '2401',
  special_care: '2501',
  border_resident: '2601',
} as const satisfies Record<Identity, string>;

/** 基金支付类型 fund_pay_type of each Sanbao fund, by scheme (the basic fund differs). */
export const FUND_PAY_TYPE: Readonly<Record<Fund, { readonly resident: string; readonly employee: string; readonly name: string }>> = {
  basic: { resident: '390100', employee: '310100', name: '基本医疗保险统筹基金' },
  critical: { resident: '390200', employee: '390200', name: '城乡居民大病保险资金' },
  assistance: { resident: '510100', employee: '510100', name: '医疗救助基金' },
  supplementary: { resident: '370100', employee: '370100', name: '补充医疗保险基金' },
  tilt: { resident: '610100', employee: '610100', name: '政府兜底（倾斜救助）资金' },
};
/** National funds Sanbao has no fund for: listed in the dictionary, always 0 in answers. */
export const FUND_PAY_TYPE_ABSENT = {
  '310200': '职工基本医疗保险个人账户基金 (acct_pay; personal accounts)',
  '320100': '公务员医疗补助资金 (cvlserv_pay)',
  '330100': '职工大额医疗费用补助基金 (hifob_pay)',
} as const;

/** Which setlinfo figure each fund adds to: tilt is paid from the assistance fund, so it counts in maf_pay. */
export const SETLINFO_FUND = {
  basic: 'hifp_pay',
  critical: 'hifmi_pay',
  assistance: 'maf_pay',
  tilt: 'maf_pay',
  supplementary: 'hifes_pay',
} as const satisfies Record<Fund, string>;

/** 收费项目等级 chrgitm_lv ↔ catalogue class: 01 甲类, 02 乙类, 03 丙类 (自费). */
export const CHRGITM_LV = { A: '01', B: '02', C: '03' } as const;

/** 个人结算方式 psn_setlway: 01 按项目结算 (the only one Sanbao settles; 02 定额 is refused). */
export const PSN_SETLWAY = { '01': 'by_item' } as const;

/** 转诊转院类型 refl_type (2501) ↔ filing reason. */
export const REFL_TYPE = { '1': 'referral', '2': 'resident_elsewhere', '3': 'temporary', '4': 'emergency' } as const;

/** Every transaction the adapter answers, with what it does in Sanbao's terms. */
export const TRANSACTIONS = {
  '9001': 'sign-in (签到): a sign_no for the day',
  '1101': 'person information (人员信息获取): the person, enrollment and identities',
  '2201': 'outpatient registration (门诊挂号): a visit with its mdtrt_id',
  '2202': 'outpatient registration cancel (门诊挂号撤销)',
  '2204': 'outpatient fee lines upload (门诊费用明细上传): each line priced against the catalogue',
  '2205': 'outpatient fee lines cancel (门诊费用明细撤销)',
  '2206': 'outpatient pre-settlement (门诊预结算): nothing written',
  '2207': 'outpatient settlement (门诊结算): a Sanbao settlement, transaction id = msgid',
  '2208': 'outpatient settlement cancel (门诊结算撤销): a reversal',
  '2401': 'admission (入院办理): an inpatient visit with its mdtrt_id',
  '2402': 'discharge (出院办理)',
  '2301': 'inpatient fee lines upload (住院费用明细上传)',
  '2302': 'inpatient fee lines cancel (住院费用明细撤销)',
  '2303': 'inpatient pre-settlement (住院预结算): nothing written',
  '2304': 'inpatient settlement (住院结算)',
  '2305': 'inpatient settlement cancel (住院结算撤销): a reversal',
  '2601': 'reversal (冲正交易) of a settlement by its original msgid',
  '2501': 'referral / out-of-area filing (转院备案): an out-of-area filing',
  '2503': 'chronic-disease filing (人员慢特病备案): a chronic-disease application',
  '2504': 'chronic-disease filing cancel (人员慢特病备案撤销)',
  '3201': 'total reconciliation (医药机构费用结算对总账)',
  '3202': 'detail reconciliation (医药机构费用结算对明细账)',
  '4101': 'settlement list (医疗保障基金结算清单信息上传): the DRG discharge abstract',
} as const;
export type Infno = keyof typeof TRANSACTIONS;
