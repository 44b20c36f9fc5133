/**
 * What a payment receipt says, in Chinese and in Tibetan: the labels and the
 * lines, shared by the printable page and the PDF so the two never differ.
 * The payer's name and ID number are masked by the one masking rule (a
 * receipt is handed over, left at a window, photographed); amounts are yuan,
 * formatted from fen.
 */
import { formatYuan } from '../domain/money.ts';
import { maskIdNumber, maskName } from '../domain/privacy.ts';

export const RECEIPT_LANGUAGES = ['zh-CN', 'bo'] as const;
export type ReceiptLanguage = (typeof RECEIPT_LANGUAGES)[number];

/** The receipt as the database holds it (one payment, its person and enrolment). */
export interface ReceiptRow {
  id: number;
  receipt_no: string;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount_fen: number;
  method: string;
  reference: string | null;
  paid_on: string;
  recorded_by: string;
  reversed_at: Date | null;
  person_id: number;
  id_number: string;
  name: string;
  name_bo: string | null;
  division_code: string;
  division_name: string | null;
  division_name_bo: string | null;
  individual_fen: number;
  paid_fen: number;
  status: string;
  cover_from: string | null;
  cover_decision: { reason: string; waitingMonths: number } | null;
}

export const RECEIPT_WORDS = {
  'zh-CN': {
    title: '城乡居民基本医疗保险缴费凭证', payer: '缴费人', idNumber: '身份证号', division: '行政区划', year: '缴费年度', amount: '本次缴费',
    due: '个人应缴 / 已缴', method: '缴费方式', paidOn: '缴费日期', cover: '待遇享受起始日', reference: '票据号', onBehalf: '代缴',
    waiting: '等待期 {n} 个月', yuan: '元', reversed: '已冲正', clerk: '经办', printed: '打印时间', platform: '三保医疗保障信息平台',
    'method.cash': '现金', 'method.bank': '银行', 'method.mobile': '移动支付', 'method.transfer': '转账',
    'department.county_bureau': '县医保局', 'department.medical_assistance': '医疗救助基金', 'department.finance': '财政', 'department.civil_affairs': '民政局',
    'department.rural_revitalization': '乡村振兴局', 'department.disabled_federation': '残联', 'department.veterans_affairs': '退役军人事务局',
  },
  bo: {
    title: 'གྲོང་གསེབ་མི་དམངས་ཀྱི་གཞི་རྩའི་གསོ་བཅོས་ཉེན་བཅོལ་གྱི་དངུལ་སྤྲོད་ལག་ཁྱེར།', payer: 'དངུལ་སྤྲོད་མཁན།', idNumber: 'ངོ་སྤྲོད་ལག་ཁྱེར་ཨང་།',
    division: 'སྲིད་འཛིན་ས་ཁུལ།', year: 'དངུལ་སྤྲོད་ལོ།', amount: 'ཐེངས་འདིའི་དངུལ་སྤྲོད།', due: 'རང་གིས་སྤྲོད་དགོས། / སྤྲད་ཟིན།', method: 'སྤྲོད་སྟངས།',
    paidOn: 'སྤྲོད་ཚེས།', cover: 'ཕན་ཐོབ་འགོ་འཛུགས་ཚེས།', reference: 'ཨང་རྟགས།', onBehalf: 'ཚབ་སྤྲོད།', waiting: 'སྒུག་དུས་ཟླ་བ་ {n}', yuan: 'སྒོར།',
    reversed: 'ཕྱིར་བཅོས་ཟིན།', clerk: 'ལས་བྱེད།', printed: 'པར་འདེབས་དུས་ཚོད།', platform: 'སྲུང་སྐྱོབ་གསུམ། · གསོ་བཅོས་འགན་ལེན།',
    'method.cash': 'དངུལ་དངོས།', 'method.bank': 'དངུལ་ཁང་།', 'method.mobile': 'ཁ་པར་བརྒྱུད་སྤྲོད།', 'method.transfer': 'བརྒྱུད་སྤྲོད།',
    'department.county_bureau': 'རྫོང་གསོ་བཅོས་འགན་ལེན་ཅུས།', 'department.medical_assistance': 'གསོ་བཅོས་རམ་འདེགས་མ་དངུལ།', 'department.finance': 'དངུལ་རྩིས།',
    'department.civil_affairs': 'དམངས་སྲིད་ཅུས།', 'department.rural_revitalization': 'གྲོང་གསེབ་བསྐྱར་གསོ་ཅུས།', 'department.disabled_federation': 'སྐྱོན་ཅན་མཐུན་ཚོགས།',
    'department.veterans_affairs': 'དམག་མི་ཕྱིར་ལོག་དོན་གཅོད་ཅུས།',
  },
} as const satisfies Record<ReceiptLanguage, Record<string, string>>;
export type ReceiptWord = keyof (typeof RECEIPT_WORDS)['zh-CN'];

export const word = (lang: ReceiptLanguage, key: ReceiptWord): string => RECEIPT_WORDS[lang][key];

/** The payer as a receipt shows them: the name (and the Tibetan name) and the ID number masked. */
export function receiptPayer(r: ReceiptRow): { name: string; nameBo: string | null; idNumber: string } {
  return { name: maskName(r.name), nameBo: r.name_bo ? maskName(r.name_bo) : null, idNumber: maskIdNumber(r.id_number) };
}

export interface ReceiptLine {
  readonly key: ReceiptWord;
  readonly value: string;
}

/** The receipt's lines in one language, in print order (amounts in yuan). */
export function receiptLines(r: ReceiptRow, lang: ReceiptLanguage): ReceiptLine[] {
  const w = RECEIPT_WORDS[lang];
  const payer = receiptPayer(r);
  const names = lang === 'bo' ? [payer.nameBo, payer.name] : [payer.name, payer.nameBo];
  const division = (lang === 'bo' ? r.division_name_bo ?? r.division_name : r.division_name) ?? '';
  const named = (key: string, fallback: string) => (w as Record<string, string>)[key] ?? fallback;
  const method = named(`method.${r.method}`, r.method);
  const department = r.department ? named(`department.${r.department}`, r.department) : '';
  const waiting = r.cover_decision?.reason === 'waiting_period' ? ` (${w.waiting.replace('{n}', String(r.cover_decision.waitingMonths))})` : '';
  const lines: ReceiptLine[] = [
    { key: 'payer', value: names.filter((n): n is string => Boolean(n)).join(' ') },
    { key: 'idNumber', value: payer.idNumber },
    { key: 'division', value: `${division} ${r.division_code}`.trim() },
    { key: 'year', value: String(r.year) },
    { key: 'amount', value: `¥ ${formatYuan(r.amount_fen)} ${w.yuan}` },
    { key: 'due', value: `${formatYuan(r.individual_fen)} / ${formatYuan(r.paid_fen)} ${w.yuan}` },
    { key: 'method', value: `${method}${r.kind === 'on_behalf' ? ` · ${w.onBehalf} ${department}` : ''}` },
    { key: 'paidOn', value: r.paid_on },
    { key: 'cover', value: r.cover_from ? `${r.cover_from}${waiting}` : '—' },
  ];
  if (r.reference) lines.push({ key: 'reference', value: r.reference });
  return lines;
}
