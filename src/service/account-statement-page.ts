/**
 * The yearly statement as a printable page (个人账户年度对账单): plain HTML with
 * print styles, in Chinese, Tibetan or English, amounts formatted from fen.
 * Used by the console's print button, the API (?format=html) and the CLI.
 */
import { formatYuan } from '../domain/money.ts';
import type { AccountStatement, StatementLine } from './account-statement.ts';

export const STATEMENT_LANGUAGES = ['zh-CN', 'bo', 'en'] as const;
export type StatementLanguage = (typeof STATEMENT_LANGUAGES)[number];

const WORDS: Record<StatementLanguage, Record<string, string>> = {
  'zh-CN': {
    title: '职工医保个人账户年度对账单', person: '参保人', idNumber: '身份证号', year: '年度', base: '月缴费基数', opening: '年初余额',
    closing: '年末余额', balance: '当前余额', credits: '划入合计', own: '本人支付', family: '家庭共济支付', restored: '退回合计',
    date: '日期', item: '摘要', amount: '金额（元）', after: '余额（元）', credit: '按月划入', spend: '支付', restore: '冲正退回',
    self: '本人', for: '为', none: '本年无记录', sharing: '家庭共济', printed: '打印时间',
    'account.credit.in_service': '在职：缴费基数的份额', 'account.credit.retired': '退休：定额划入', spouse: '配偶', parent: '父母', child: '子女',
  },
  bo: {
    title: 'ལས་བཀོལ་བའི་སྨན་བཅོས་འགན་ལེན་གྱི་སྒེར་གྱི་རྩིས་ཁྲ་ལོ་འཁོར་གྱི་རྩིས་ཐོ།', person: 'འགན་ལེན་པ།', idNumber: 'ངོ་སྤྲོད་ལག་ཁྱེར་ཨང་།', year: 'ལོ།',
    base: 'ཟླ་རེའི་འཇལ་ཁྲའི་གཞི་རྩ།', opening: 'ལོ་འགོའི་ལྷག་མ།', closing: 'ལོ་མཇུག་གི་ལྷག་མ།', balance: 'ད་ལྟའི་ལྷག་མ།', credits: 'ནང་འཇུག་བསྡོམས།',
    own: 'རང་ཉིད་ཀྱི་འཇལ་སྒྲུབ།', family: 'ཁྱིམ་ཚང་མཉམ་སྤྱོད་ཀྱི་འཇལ་སྒྲུབ།', restored: 'ཕྱིར་ལོག་བསྡོམས།', date: 'ཚེས་གྲངས།', item: 'གནད་བསྡུས།',
    amount: 'དངུལ་འབོར། (སྒོར།)', after: 'ལྷག་མ། (སྒོར།)', credit: 'ཟླ་རེར་ནང་འཇུག', spend: 'འཇལ་སྒྲུབ།', restore: 'ཕྱིར་ལོག', self: 'རང་ཉིད།', for: 'ཆེད་དུ།',
    none: 'ལོ་འདིར་ཟིན་ཐོ་མེད།', sharing: 'ཁྱིམ་ཚང་མཉམ་སྤྱོད།', printed: 'པར་འདེབས་དུས་ཚོད།',
    'account.credit.in_service': 'ལས་ཐོག་ཡོད་པ། འཇལ་ཁྲའི་གཞི་རྩའི་ཆ་ཤས།', 'account.credit.retired': 'ལས་རྗེས་ངལ་གསོ། གཏན་འཁེལ་དངུལ་འབོར།',
    spouse: 'ཆུང་མ་ཁྱོ་ག', parent: 'ཕ་མ།', child: 'བུ་ཕྲུག',
  },
  en: {
    title: 'Employee personal account — yearly statement', person: 'Insured person', idNumber: 'ID number', year: 'Year', base: 'Monthly contribution base',
    opening: 'Opening balance', closing: 'Closing balance', balance: 'Balance now', credits: 'Credited', own: 'Paid for own bills',
    family: 'Paid for relatives (family sharing)', restored: 'Given back', date: 'Date', item: 'Item', amount: 'Amount (yuan)', after: 'Balance (yuan)',
    credit: 'Monthly credit', spend: 'Payment', restore: 'Given back (reversal)', self: 'own bill', for: 'for', none: 'No movement this year',
    sharing: 'Family sharing', printed: 'Printed',
    'account.credit.in_service': 'in service: share of the contribution base', 'account.credit.retired': 'retired: fixed monthly amount',
    spouse: 'spouse', parent: 'parent', child: 'child',
  },
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function describe(line: StatementLine, w: Record<string, string>): string {
  if (line.kind === 'credit') return `${w.credit} ${line.month ?? ''} · ${w[line.rule] ?? line.rule}`;
  const bill = line.bill ? ` · ${line.bill.facility} ${line.bill.visitDate} (${line.bill.transactionId})` : '';
  const whose = line.beneficiary?.self === false ? ` · ${w.for} ${line.beneficiary.maskedName ?? ''}${line.beneficiary.relation ? ` (${w[line.beneficiary.relation] ?? line.beneficiary.relation})` : ''}` : '';
  return `${line.kind === 'spend' ? w.spend : w.restore}${bill}${whose}`;
}

export function renderStatementHtml(s: AccountStatement, lang: StatementLanguage, printedAt: Date = new Date()): string {
  const w = WORDS[lang];
  const money = (fen: number) => escape(formatYuan(fen));
  const rows = s.lines.map((l) => `<tr><td>${escape(l.at.slice(0, 10))}</td><td>${escape(describe(l, w))}</td><td class="n">${money(l.amount)}</td><td class="n">${money(l.balanceAfter)}</td></tr>`);
  const summary: [string, string][] = [
    [w.person!, escape(s.person.maskedName)], [w.idNumber!, escape(s.person.idNumber)], [w.year!, String(s.year)],
    [w.base!, s.contributionBase === null ? '—' : money(s.contributionBase)], [w.opening!, money(s.opening)], [w.credits!, money(s.totals.credits)],
    [w.own!, money(s.totals.ownSpends)], [w.family!, money(s.totals.familySpends)], [w.restored!, money(s.totals.restored)],
    [w.closing!, money(s.closing)], [w.balance!, money(s.balance)],
  ];
  const sharing = s.sharing.filter((l) => l.status === 'active').map((l) => `${escape(l.maskedName)} (${escape(w[l.relation] ?? l.relation)})`).join('、');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escape(w.title!)} ${s.year}</title>
<style>
body{font-family:"Noto Serif Tibetan","Noto Sans CJK SC",sans-serif;margin:2em;color:#111}
h1{font-size:1.3em}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#555}
table{border-collapse:collapse;width:100%;margin-top:1em}td,th{border:1px solid #999;padding:.3em .5em;text-align:left}.n{text-align:right;white-space:nowrap}
@media print{body{margin:0}}
</style></head>
<body data-testid="account-statement">
<h1>${escape(w.title!)} · ${s.year}</h1>
<dl>${summary.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${v}</dd>`).join('')}</dl>
${sharing ? `<p>${escape(w.sharing!)}: ${sharing}</p>` : ''}
<table><thead><tr><th>${escape(w.date!)}</th><th>${escape(w.item!)}</th><th class="n">${escape(w.amount!)}</th><th class="n">${escape(w.after!)}</th></tr></thead>
<tbody>${rows.length ? rows.join('\n') : `<tr><td colspan="4">${escape(w.none!)}</td></tr>`}</tbody></table>
<p><small>${escape(w.printed!)}: ${escape(printedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</small></p>
</body></html>`;
}
