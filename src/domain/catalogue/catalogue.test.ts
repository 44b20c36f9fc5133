import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../service/tabular.ts';
import { Catalogue, readCatalogueRows } from './entries.ts';
import { diagnosisKind, isDiagnosisCode } from './diagnoses.ts';
import { isProcedureCode, procedureKind } from './procedures.ts';

describe('code shapes', () => {
  it.each([
    ['I21', true], ['I21.0', true], ['I21.000', true], ['I21.000x001', true], ['I10.x00', true], ['i21.0', false],
    ['I2', false], ['I21.', false], ['I21.0000', false], ['I21.000x01', false], ['21.0', false], ['', false],
  ])('diagnosis %s → %s', (code, ok) => expect(isDiagnosisCode(code)).toBe(ok));

  it.each([
    ['36.06', true], ['36.0601', true], ['47.0900x001', true], ['74.1x00', true], ['36', true],
    ['36.06011', false], ['I21.0', false], ['3606', false], ['36.', false],
  ])('procedure %s → %s', (code, ok) => expect(isProcedureCode(code)).toBe(ok));
});

describe('reading a list', () => {
  const header = ['code', 'name_zh', 'name_en', 'valid_from', 'valid_to', 'flags'];
  it('reads entries and names every bad row', () => {
    const { entries, problems } = readCatalogueRows(diagnosisKind, [
      header,
      ['I10.x00', '高血压', 'Hypertension', '2019-01-01', '', ''],
      ['Z37.000', '单胎活产', '', '', '', 'notPrincipal'],
      ['XX', '坏', '', '', '', ''],
      ['I50.900', '', '', '2019-02-30', '', 'bogus'],
      ['I10.x00', '重复', '', '', '', ''],
      ['', '', '', '', '', ''],
    ]);
    expect(entries.map((e) => e.code)).toEqual(['I10.x00', 'Z37.000']);
    expect(entries[1]!.flags).toEqual(['notPrincipal']);
    expect(problems.map((p) => `${p.row}:${p.field}`)).toEqual(['4:code', '5:name_zh', '5:valid_from', '5:flags', '6:code']);
    expect(problems[4]!.message).toMatch(/listed twice \(first on row 2\)/);
  });

  it('refuses a header without the code column', () => {
    expect(readCatalogueRows(procedureKind, [['编码', '名称']]).problems[0]).toMatchObject({ row: 1, field: 'code' });
  });

  it('looks codes up on a day', () => {
    const c = new Catalogue(diagnosisKind, [{ code: 'I10.x00', nameZh: '高血压', nameEn: null, validFrom: '2020-01-01', validTo: '2024-12-31', flags: [] }]);
    expect(c.lookup('I10.x00', '2023-05-01')).toHaveProperty('entry');
    expect(c.lookup('I10.x00', '2019-05-01')).toMatchObject({ problem: 'not_yet_valid' });
    expect(c.lookup('I10.x00', '2025-01-01')).toMatchObject({ problem: 'expired' });
    expect(c.lookup('I99.x00', '2023-05-01')).toEqual({ problem: 'unknown' });
  });

  it.each(['diagnoses', 'procedures'])('the shipped %s list is clean', (name) => {
    const kind = name === 'diagnoses' ? diagnosisKind : procedureKind;
    const text = readFileSync(new URL(`../../../catalogues/${name}.csv`, import.meta.url), 'utf8');
    const { entries, problems } = readCatalogueRows(kind, parseCsv(text));
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThan(15);
  });

  it('the shipped diagnoses hold the plateau conditions', () => {
    const text = readFileSync(new URL('../../../catalogues/diagnoses.csv', import.meta.url), 'utf8');
    const names = readCatalogueRows(diagnosisKind, parseCsv(text)).entries.map((e) => e.nameZh).join(' ');
    for (const n of ['高原性心脏病', '慢性高原病', '包虫病', '肺结核', '高血压', '慢性阻塞性肺病']) expect(names).toContain(n);
  });
});
