import { describe, expect, it } from 'vitest';
import { checkChronicTable, diagnosisFits, diseasesOn } from './chronic-diseases.ts';
import { validityOf } from './table.ts';
import { icdMatches, isIcdPattern } from './icd10.ts';
import { checkItemTable } from './item-rows.ts';
import { resolveItem } from './items.ts';
import { regionReach } from './table.ts';

const HEADER = ['code', 'name', 'kind', 'class', 'self_pay_first', 'price_cap', 'diagnoses', 'valid_from', 'valid_to'];
const table = (...rows: string[][]) => [HEADER, ...rows];

describe('item catalogue rows', () => {
  it('reads kinds and classes in English or Chinese, ratios as basis points, ceilings as fen', () => {
    const check = checkItemTable(table(
      ['X1', '二甲双胍片', 'western_drug', 'A', '', '', '', '2025-01-01', ''],
      ['X2', '头孢曲松', '西药', '乙', '10%', '38.5', 'J18; J20-J22', '2025/1/1', '2025-12-31'],
      ['T1', '冬虫夏草', '中药饮片', '丙', '', '', '', '20250101', ''],
    ), 'national');
    expect(check.problems).toEqual([]);
    expect(check.entries.map((e) => [e.code, e.kind, e.class, e.selfPayFirst.resident, e.priceCap, e.validFrom, e.validTo])).toEqual([
      ['X1', 'western_drug', 'A', 0, null, '2025-01-01', null],
      ['X2', 'western_drug', 'B', 1000, 3850, '2025-01-01', '2025-12-31'],
      ['T1', 'herbal_pieces', 'C', 0, null, '2025-01-01', null],
    ]);
    expect(check.entries[1]!.restrictions.diagnoses).toEqual(['J18', 'J20-J22']);
  });

  it('names every bad row: code, kind, class, ratio on class A, ceiling, dates, diagnoses', () => {
    const check = checkItemTable(table(
      ['bad code!', 'n', 'western_drug', 'A', '', '', '', '2025-01-01', ''],
      ['X2', 'n', 'pills', 'A', '', '', '', '2025-01-01', ''],
      ['X3', 'n', 'service', 'D', '', '', '', '2025-01-01', ''],
      ['X4', 'n', 'service', 'A', '10%', '', '', '2025-01-01', ''],
      ['X5', 'n', 'service', 'B', '10%', '12.345', '', '2025-01-01', ''],
      ['X6', 'n', 'service', 'B', '10%', '', '', '2025-02-30', ''],
      ['X7', 'n', 'service', 'B', '10%', '', 'diabetes', '2025-01-01', ''],
      ['X8', 'n', 'service', 'B', '10%', '', '', '2025-03-01', '2025-01-01'],
    ), 'national');
    expect(check.entries).toEqual([]);
    expect(check.problems.map((p) => p.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(check.problems[3]!.reason).toMatch(/class B only/);
    expect(check.problems[4]!.reason).toMatch(/price_cap/);
    expect(check.problems[6]!.reason).toMatch(/diagnosis "DIABETES"/);
  });

  it('refuses duplicate codes and overlapping validity, naming both rows; consecutive periods are fine', () => {
    const check = checkItemTable(table(
      ['S1', '支架', 'consumable', 'B', '30%', '1000', '', '2024-01-01', '2024-12-31'],
      ['S1', '支架', 'consumable', 'B', '30%', '800', '', '2025-01-01', ''],
      ['S2', 'a', 'service', 'A', '', '', '', '2025-01-01', ''],
      ['S2', 'a', 'service', 'A', '', '', '', '2025-01-01', ''],
      ['S3', 'b', 'service', 'A', '', '', '', '2025-01-01', ''],
      ['S3', 'b', 'service', 'A', '', '', '', '2025-06-01', '2025-12-31'],
    ), 'national');
    expect(check.problems).toEqual([
      { row: 5, reason: 'duplicate code S2 (also row 4)' },
      { row: 7, reason: 'code S3 valid 2025-06-01–2025-12-31 overlaps row 6 (2025-01-01–…)' },
    ]);
    expect(check.entries.map((e) => e.row)).toEqual([2, 3, 4, 6]);
  });

  it('refuses a header without its required columns', () => {
    expect(() => checkItemTable([['code', 'name']], 'national')).toThrow(/no kind column/);
  });
});

describe('which entry applies', () => {
  const base = checkItemTable(table(
    ['S1', '支架', 'consumable', 'B', '30%', '1000', '', '2024-01-01', '2024-12-31'],
    ['S1', '支架', 'consumable', 'B', '30%', '800', '', '2025-01-01', ''],
  ), 'national').entries;
  const tibet = checkItemTable(table(['S1', '支架(西藏)', 'consumable', 'B', '20%', '700', '', '2025-01-01', '']), '540000').entries;
  const all = [...base, ...tibet];
  it.each([
    ['S1', '2024-06-01', '513330', 100_000],
    ['S1', '2025-06-01', '513330', 80_000],
    ['S1', '2025-06-01', '540102', 70_000],
    ['S1', '2024-06-01', '540102', 100_000],
  ])('%s on %s in %s has ceiling %i fen', (code, date, division, cap) => {
    expect(resolveItem(all, code, date, division, regionReach)?.priceCap).toBe(cap);
  });
  it('none before the first period or for an unknown code', () => {
    expect(resolveItem(all, 'S1', '2023-12-31', '513330', regionReach)).toBeUndefined();
    expect(resolveItem(all, 'S9', '2025-06-01', '513330', regionReach)).toBeUndefined();
  });
});

describe('ICD-10 patterns', () => {
  it.each([
    ['E11', 'E11.900', true],
    ['E10-E14', 'E13.1', true],
    ['E10-E14', 'E15', false],
    ['M12.1', 'M12.100', true],
    ['M12.1', 'M12.2', false],
    ['I20-I25', 'i25.1 01', true],
  ])('%s matches %s: %s', (pattern, code, expected) => {
    expect(icdMatches(pattern, code)).toBe(expected);
  });
  it('rejects shapes that are not codes', () => {
    expect(isIcdPattern('E14-E10')).toBe(false);
    expect(isIcdPattern('11')).toBe(false);
    expect(isIcdPattern('T70.2')).toBe(true);
  });
});

describe('chronic disease rows', () => {
  it('reads diseases with schemes, ICD-10 codes and yearly limits; finds them by date and scheme', () => {
    const check = checkChronicTable([
      ['code', 'name', 'class', 'schemes', 'icd10', 'yearly_limit', 'rare', 'valid_from', 'valid_to'],
      ['LS13', '高血压', 'B', 'both', 'I10-I15', '3000', 'no', '2024-01-01', '2025-08-31'],
      ['LS36', '慢性肾炎', 'B', 'employee', 'N03', '3000', '', '2024-01-01', '2025-08-31'],
      ['LS36', '慢性肾炎', 'B', 'both', 'N03', '3000', '', '2025-09-01', ''],
      ['RD001', '戈谢病', 'A', 'both', 'E75.2', '50000', 'yes', '2025-09-01', ''],
    ], '540100');
    expect(check.problems).toEqual([]);
    expect(check.entries[0]!.yearlyLimit).toBe(300_000);
    expect(diseasesOn(check.entries, '2025-06-01', 'resident').map((d) => d.code)).toEqual(['LS13']);
    expect(diseasesOn(check.entries, '2025-06-01', 'employee').map((d) => d.code)).toEqual(['LS13', 'LS36']);
    expect(diseasesOn(check.entries, '2025-09-01', 'resident').map((d) => d.code)).toEqual(['LS36', 'RD001']);
    expect(diagnosisFits(check.entries[0]!, 'I11.000')).toBe(true);
    expect(diagnosisFits(check.entries[0]!, 'anything')).toBe(false);
    expect(diagnosisFits(check.entries[0]!, undefined)).toBe(false);
  });
});

describe('a catalogue row\'s period of validity (validityOf, shared by the item and chronic-disease tables)', () => {
  const reasons = (from: string, to: string) => {
    const said: string[] = [];
    return { ...validityOf(from, to, (r) => void said.push(r)), said };
  };
  it.each([
    ['2025-01-01', '', { validFrom: '2025-01-01', validTo: null, said: [] }],
    ['2025-01-01', '2025-01-01', { validFrom: '2025-01-01', validTo: '2025-01-01', said: [] }],
    ['2025-02-30', '', { validFrom: null, validTo: null, said: ['valid_from "2025-02-30" is not a date (YYYY-MM-DD)'] }],
    ['2025-03-01', 'soon', { validFrom: '2025-03-01', validTo: null, said: ['valid_to "soon" is not a date (YYYY-MM-DD)'] }],
    ['2025-03-01', '2025-02-28', { validFrom: '2025-03-01', validTo: '2025-02-28', said: ['valid_to 2025-02-28 is before valid_from 2025-03-01'] }],
  ])('from %j to %j', (from, to, expected) => {
    expect(reasons(from, to)).toEqual(expected);
  });

  it('names the row of a chronic-disease table', () => {
    const chronic = checkChronicTable([
      ['code', 'name', 'class', 'schemes', 'icd10', 'yearly_limit', 'valid_from', 'valid_to'],
      ['LS13', '高血压', 'B', 'both', 'I10-I15', '3000', '2025-09-01', '2025-08-31'],
    ], '540100');
    expect(chronic.problems).toEqual([{ row: 2, reason: 'valid_to 2025-08-31 is before valid_from 2025-09-01' }]);
  });
});

