/** The grouper on the illustrative table: each row a discharge and where it must land, and why. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { shippedCatalogue } from '../../service/catalogue-import.ts';
import { groupTable } from '../../service/drg-tables.ts';
import { readAbstract, type DischargeAbstract } from './abstract.ts';
import { groupDischarge } from './grouper.ts';
import { qualityCheck } from './quality.ts';
import { compileGroupTable, GroupTableError } from './table.ts';

const catalogues = { diagnoses: shippedCatalogue('diagnoses'), procedures: shippedCatalogue('procedures') };
const table = groupTable();

export function abstractOf(principal: string, secondary: string[] = [], procedures: string[] = [], extra: Record<string, unknown> = {}): DischargeAbstract {
  const r = readAbstract({
    setl_id: 'S1', psn_no: 'P1', gend: '1', age: 60, adm_time: '2025-06-01', dscg_time: '2025-06-08', ipt_days: 7, dscg_way: '1',
    diseinfo: [{ diag_code: principal, maindiag_flag: '1' }, ...secondary.map((c) => ({ diag_code: c, maindiag_flag: '0' }))],
    oprninfo: procedures.map((c, i) => ({ oprn_oprt_code: c, main_oprn_flag: i === 0 ? '1' : '0' })),
    medfee_sumamt: 1_000_000, psn_selfpay: 200_000, fund_pay_sumamt: 800_000,
    ...extra,
  });
  if (!r.abstract) throw new Error(JSON.stringify(r.problems));
  return r.abstract;
}

describe('grouping on the illustrative table', () => {
  it.each([
    // principal, secondary, procedures → DRG
    ['I21.000x001', [], ['36.0700'], 'FC15'],
    ['I21.000x001', ['E87.100'], ['36.0700'], 'FC13'],
    ['I21.000x001', ['N17.900', 'E87.100'], ['36.0700'], 'FC11'],
    ['I21.000x001', ['E87.100'], ['00.6600'], 'FC25'], // split 1/5: CC counts as none
    ['I21.900', [], [], 'FR15'],
    ['I21.900', ['I21.100'], [], 'FR15'], // AMI as complication excluded with a coronary principal
    ['I50.900', ['J18.900'], [], 'FR23'],
    ['I50.900', ['I50.000'], [], 'FR25'], // heart failure excluded with itself
    ['I25.100', [], ['88.5500'], 'FK15'],
    ['I25.100', ['R57.000'], ['88.5500'], 'FK13'], // split 3/5: MCC lands in 3
    ['I27.800x003', [], [], 'FR35'], // high-altitude heart disease
    ['I10.x00', ['R57.000'], [], 'FV11'],
    ['J44.100', ['J96.000'], [], 'ES11'],
    ['J44.100', ['J18.900'], [], 'ES15'], // pneumonia excluded with COPD principal
    ['J18.900', ['E87.600'], [], 'ET13'],
    ['J96.000', ['J96.100'], [], 'EU15'],
    ['A15.000', [], [], 'ER15'], // tuberculosis
    ['B67.100', [], [], 'EV19'], // hydatid lung, not split
    ['K35.800', [], ['47.0100'], 'GC15'],
    ['K35.800', ['E87.100'], ['47.0900'], 'GC13'],
    ['K35.800', [], [], 'GT15'],
    ['B67.000', [], ['50.2900x004'], 'HB15'], // hydatid liver operation
    ['B67.000', [], [], 'HS15'],
    ['K80.200', [], ['51.2300'], 'HC15'],
    ['O82.000', ['Z37.000'], ['74.1x00'], 'OB15'],
    ['O80.000', ['Z37.000', 'O72.100'], [], 'OR13'],
    ['O80.000', ['Z37.000'], ['73.5900'], 'OC15'],
    ['D75.100x002', [], [], 'QR15'], // high-altitude polycythaemia
  ])('%s + %j, procedures %j → %s', (principal, secondary, procedures, drg) => {
    const g = groupDischarge(abstractOf(principal, secondary, procedures, principal.startsWith('O') ? { gend: '2', age: 28 } : {}), table, catalogues);
    expect(g.reason).toBeNull();
    expect(g.drg).toBe(drg);
    expect(g.steps.at(-1)!.detail).toContain(drg);
  });

  it('explains which rule placed the case', () => {
    const g = groupDischarge(abstractOf('I21.000x001', ['N17.900'], ['36.0700']), table, catalogues);
    expect(g).toMatchObject({ drg: 'FC11', mdc: 'MDCF', adrg: 'FC1', ccLevel: 'MCC', name: '经皮冠状动脉支架置入，伴严重并发症或合并症' });
    expect(g.steps.map((s) => [s.step, s.rule])).toEqual([
      ['mdc', 'mdcs[0]'], ['adrg', 'mdcs[0].adrgs[0]'], ['complication', 'complications[2]'], ['drg', 'mdcs[0].adrgs[0]'],
    ]);
    expect(g.steps[0]!.detail).toBe('MDCF 循环系统疾病及功能障碍: principal I21.000x001 matches I2*');
  });

  it.each([
    ['an unknown diagnosis', abstractOf('I21.999x999'), '0000', 'UNKNOWN_DIAGNOSIS', /I21.999x999 is not in the list/],
    ['an unknown secondary diagnosis', abstractOf('I21.900', ['Q99.900']), '0000', 'UNKNOWN_DIAGNOSIS', /Q99.900/],
    ['an unknown procedure', abstractOf('I21.900', [], ['36.9999']), '0000', 'UNKNOWN_PROCEDURE', /36.9999/],
    ['a principal not allowed as principal', abstractOf('Z37.000'), '0000', 'NOT_PRINCIPAL', /not allowed as principal/],
    ['a delivery code for a man', abstractOf('O80.000'), '0000', 'SEX_MISMATCH', /women only/],
    ['a principal outside every category', abstractOf('I63.900'), '0000', 'NO_MDC', /no major diagnostic category/],
    ['a caesarean diagnosis without the operation', abstractOf('O82.000', [], [], { gend: '2' }), '0000', 'NO_ADRG', /no medical group of MDCO/],
    ['an operation its diagnosis does not explain', abstractOf('I21.900', [], ['47.0100']), 'FQY', 'PROCEDURE_UNRELATED', /47.0100 matches no surgical group of MDCF/],
    ['a code expired on the discharge day', abstractOf('I10.x00', [], [], { adm_time: '2018-06-01', dscg_time: '2018-06-08' }), '0000', 'CODE_NOT_VALID', /not valid yet on 2018-06-08/],
  ])('%s goes to %s with the reason', (_what, a, drg, code, message) => {
    const g = groupDischarge(a, table, catalogues);
    expect(g.drg).toBe(drg);
    expect(g.reason?.code).toBe(code);
    expect(g.reason?.message).toMatch(message);
  });

  it('the quality check names a procedure without a matching diagnosis', () => {
    const findings = qualityCheck(abstractOf('I21.900', [], ['47.0100']), catalogues, table);
    expect(findings).toEqual([expect.objectContaining({ code: 'PROCEDURE_WITHOUT_DIAGNOSIS', field: 'mainProcedure' })]);
    expect(qualityCheck(abstractOf('K35.800', [], ['47.0100']), catalogues, table)).toEqual([]);
  });
});

describe('group tables', () => {
  const base = { id: 'test-table', name: 't', version: 1, mdcs: [] as unknown[] };
  const mdc = (code: string, principal: string[], adrgs: unknown[]) => ({ code, name: code, principal, adrgs });
  const medical = (code: string, principal: string[]) => ({ code, name: code, kind: 'medical', principal, split: [1, 3, 5] });

  it('refuses overlapping categories, naming both rules', () => {
    const raw = { ...base, mdcs: [mdc('MDCF', ['I*'], [medical('FR1', ['I21*'])]), mdc('MDCE', ['J*', 'I27*'], [medical('ER1', ['J*'])])] };
    expect(() => compileGroupTable(raw, 'x.yaml')).toThrow(/overlapping rules: mdcs\[0\] MDCF \(I\*\) and mdcs\[1\] MDCE \(I27\*\) both match/);
  });

  it('refuses overlapping groups of one kind, and exact codes listed twice', () => {
    const raw = { ...base, mdcs: [mdc('MDCF', ['I*'], [medical('FR1', ['I21*']), medical('FR2', ['I21.000x001', 'I50*']), medical('FR3', ['I50*'])])] };
    const error = (() => {
      try {
        compileGroupTable(raw, 'x.yaml');
      } catch (e) {
        return e as GroupTableError;
      }
    })()!;
    expect(error).toBeInstanceOf(GroupTableError);
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/mdcs\[0\].adrgs\[0\] FR1 \(I21\*\) and mdcs\[0\].adrgs\[1\] FR2 \(I21.000x001\)/);
    expect(error.message).toMatch(/FR2 \(I50\*\) and .*FR3 \(I50\*\)|FR3 \(I50\*\) and .*FR2 \(I50\*\)/);
  });

  it('lets two operations share a procedure when their principal diagnoses keep them apart', () => {
    const surgical = (code: string, principal: string[]) => ({ code, name: code, kind: 'surgical', procedures: ['50.2*'], principal, split: [9] });
    expect(() => compileGroupTable({ ...base, mdcs: [mdc('MDCH', ['B67*', 'C22*'], [surgical('HB1', ['B67*']), surgical('HB2', ['C22*'])])] }, 'x')).not.toThrow();
    expect(() => compileGroupTable({ ...base, mdcs: [mdc('MDCH', ['B67*', 'C22*'], [surgical('HB1', ['B67*']), surgical('HB2', ['B67.0*'])])] }, 'x')).toThrow(/overlapping rules/);
  });

  it('refuses a complication listed at two levels, a bad split and a group outside its category', () => {
    const raw = {
      ...base,
      mdcs: [mdc('MDCF', ['I*'], [{ ...medical('FR1', ['J21*']), split: [1, 3] }])],
      complications: [{ codes: ['N17*'], level: 'MCC' }, { codes: ['N17.9*'], level: 'CC' }],
    };
    expect(() => compileGroupTable(raw, 'x')).toThrow(/split 1,3 is not one of.*principal J21\* is outside MDCF.*complications\[0\] \(N17\*\) and complications\[1\] \(N17.9\*\)/);
  });
});

describe('group table files', () => {
  it('a file with overlapping rules is refused as bad input, both rules named', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'drg-table-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'overlap.yaml');
    writeFileSync(path, [
      'id: overlap', 'name: x', 'version: 1', 'mdcs:',
      '  - { code: MDCF, name: F, principal: ["I*"], adrgs: [{ code: FR1, name: a, kind: medical, principal: ["I2*"], split: [9] }, { code: FR2, name: b, kind: medical, principal: ["I21*"], split: [9] }] }',
    ].join('\n'));
    expect(() => groupTable(path)).toThrow(expect.objectContaining({ code: 'INVALID_TABLE', message: expect.stringMatching(/mdcs\[0\].adrgs\[0\] FR1 \(I2\*\) and mdcs\[0\].adrgs\[1\] FR2 \(I21\*\) both match/) }));
    expect(() => groupTable('no-such-table')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TABLE' }));
  });
});
