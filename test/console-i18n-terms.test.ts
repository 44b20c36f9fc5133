/**
 * The Tibetan catalogue names one thing one way (issue 17): wherever the
 * Chinese says 清算, 结算, 基金, 身份证号 or 救助, the Tibetan uses the term the
 * bureau's Tibetan readers already know from the rest of the console, and
 * never the stray renderings six branches once brought in (ཉེན་འགོག for
 * insurance, ཐོབ་ཐང་ལག་ཁྱེར for the ID card, སྐྱེ་ཁུལ for a division).
 * The printed payment receipt follows the same words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bo } from '../web/src/i18n/bo.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';

const BO = bo as Record<string, string>;
const ZH = zhCN as Record<string, string>;

/** Chinese term → the Tibetan every entry carrying it must use. */
const TERMS: ReadonlyArray<readonly [string, string]> = [
  ['清算', 'རྩིས་འཁྱོངས'],
  ['基金', 'མ་དངུལ'],
  ['身份证号', 'ངོ་སྤྲོད་ལག་ཁྱེར'],
  ['医疗救助', 'རམ་འདེགས'],
  ['救助金', 'རམ་འདེགས'],
];
/** 结算 is རྩིས་སྒྲིག, except 预结算 (a trial, སྔོན་རྩིས). */
const SETTLEMENT: readonly [RegExp, string] = [/(?<!预)结算/, 'རྩིས་སྒྲིག'];
const STRAY = ['ཉེན་འགོག', 'ཐོབ་ཐང་ལག་ཁྱེར', 'སྐྱེ་ཁུལ'];

describe('the Tibetan catalogue keeps its terms', () => {
  it('translates each Chinese term with the one Tibetan term', () => {
    const problems: string[] = [];
    for (const [key, zh] of Object.entries(ZH)) {
      for (const [term, tibetan] of TERMS) if (zh.includes(term) && !BO[key]!.includes(tibetan)) problems.push(`${key}: ${term} → ${tibetan}: ${BO[key]}`);
      if (SETTLEMENT[0].test(zh) && !BO[key]!.includes(SETTLEMENT[1])) problems.push(`${key}: 结算 → ${SETTLEMENT[1]}: ${BO[key]}`);
    }
    expect(problems).toEqual([]);
  });

  it('checks real entries (the rules are not vacuous)', () => {
    const hits = (term: string | RegExp) => Object.values(ZH).filter((zh) => (typeof term === 'string' ? zh.includes(term) : term.test(zh))).length;
    for (const [term] of TERMS) expect(hits(term), term).toBeGreaterThan(0);
    expect(hits(SETTLEMENT[0])).toBeGreaterThan(10);
  });

  it('uses none of the stray renderings, in the catalogue or on the receipt', () => {
    const receipt = readFileSync(join(import.meta.dirname, '../src/service/payment-receipt.ts'), 'utf8');
    const found = [
      ...Object.entries(BO).flatMap(([key, text]) => STRAY.filter((s) => text.includes(s)).map((s) => `${key}: ${s}`)),
      ...STRAY.filter((s) => receipt.includes(s)).map((s) => `receipt: ${s}`),
    ];
    expect(found).toEqual([]);
  });
});
