/** The data dictionary is data in code and documented in docs/fsi.md: the two agree; yuan at the edge are exact. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHRGITM_LV, CLR_TYPE, FUND_PAY_TYPE, FUND_PAY_TYPE_ABSENT, INSUTYPE, insutypeOf, MDTRT_CERT_TYPE, MED_TYPE, PSN_IDET_TYPE, PSN_TYPE, REFL_TYPE, TRANSACTIONS,
} from '../src/api/fsi/dictionary.ts';
import { HANDLERS } from '../src/api/fsi/transactions/index.ts';
import { basisPointsToRatio, fenToYuan, yuanToFen } from '../src/api/fsi/yuan.ts';
import { INSUTYPE as LEDGER_INSUTYPE } from '../src/domain/ledger/reconcile.ts';
import { IDENTITIES, SCHEMES } from '../src/domain/vocabulary.ts';

const doc = readFileSync(new URL('../docs/fsi.md', import.meta.url), 'utf8');

describe('the dictionary', () => {
  it('documents every code and every transaction', () => {
    const codes = [
      ...Object.keys(INSUTYPE), ...Object.keys(MED_TYPE), ...Object.values(CLR_TYPE), ...Object.keys(MDTRT_CERT_TYPE), ...Object.values(PSN_TYPE),
      ...Object.values(PSN_IDET_TYPE), ...Object.values(FUND_PAY_TYPE).flatMap((c) => [c.resident, c.employee]), ...Object.keys(FUND_PAY_TYPE_ABSENT),
      ...Object.values(CHRGITM_LV), ...Object.keys(REFL_TYPE),
    ];
    for (const code of codes) expect(doc, code).toContain(`\`${code}\``);
    for (const [identity, code] of Object.entries(PSN_IDET_TYPE)) expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| \`${identity}\` \\|`));
    for (const infno of Object.keys(TRANSACTIONS)) expect(doc).toMatch(new RegExp(`### [^\\n]*${infno}`));
  });

  it('says insutype as the ledger\'s reconciliation does', () => {
    for (const scheme of SCHEMES) {
      expect(insutypeOf(scheme)).toBe(LEDGER_INSUTYPE[scheme]);
      expect(INSUTYPE[insutypeOf(scheme)]).toBe(scheme);
    }
  });

  it('gives every identity a psn_idet_type of its own, and answers every transaction it lists', () => {
    expect(Object.keys(PSN_IDET_TYPE).sort()).toEqual([...IDENTITIES].sort());
    expect(new Set(Object.values(PSN_IDET_TYPE)).size).toBe(IDENTITIES.length);
    const answered = Object.keys(HANDLERS);
    for (const infno of answered) expect(Object.keys(TRANSACTIONS)).toContain(infno);
  });
});

describe('yuan at the edge', () => {
  it.each([
    ['123.40', 12_340], [123.4, 12_340], ['0', 0], [0, 0], ['0.01', 1], [0.07, 7], [1.1, 110], ['45000.5', 4_500_050], [19.99, 1_999], ['  8.00 ', 800],
  ])('%j yuan is %i fen', (input, fen) => {
    expect(yuanToFen(input)).toEqual({ fen });
  });

  it.each([['1.234'], [1.234], ['-1'], [-1], ['1e3'], [1e21], ['abc'], [''], [null], [undefined], [true], [Number.NaN], [{}]])('refuses %j', (input) => {
    expect(yuanToFen(input)).toHaveProperty('problem');
  });

  it('reads back what it writes, for every amount', () => {
    // parseYuan reads at most 9 whole digits of yuan (MAX_FEN itself has 10).
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (fen) => {
      expect(yuanToFen(fenToYuan(fen))).toEqual({ fen });
      // A HIS that sends the same figure as a JSON number gets the same fen.
      expect(yuanToFen(JSON.parse(fenToYuan(fen)))).toEqual({ fen });
    }));
  });

  it('writes ratios without a float', () => {
    expect([8500, 10_000, 0, 1500, 8550, 8555].map(basisPointsToRatio)).toEqual(['0.85', '1.00', '0.00', '0.15', '0.855', '0.8555']);
  });
});
