/**
 * The national interface's filings: 2501 referral / out-of-area filing, 2503
 * chronic-disease filing (the bureau reviews it; once approved, a med_type 14
 * visit settles against it) and 2504 its withdrawal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocument, reviewApplication } from '../src/service/chronic-approvals.ts';
import type { TestDb } from './support/db.ts';
import { CODES, type Fixture } from './support/fixture.ts';
import { feeLine, openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

let t: TestDb;
let f: Fixture;
let h: His;
let fsiApp: FsiTestApp;

beforeAll(async () => {
  fsiApp = await openFsiApp({ catalogues: ['reference'] });
  ({ t, f, h } = fsiApp);
});
afterAll(() => fsiApp?.close());

describe('2501 referral filing', () => {
  it('files out-of-area treatment for the patient, audited as the facility; limits and bad input refused', async () => {
    const refmedin = { psn_no: String(f.plain.id), insutype: '390', diag_code: 'C34.900', reflin_medins_name: '四川大学华西医院', mdtrtarea_admdvs: '510107', refl_type: '1', refl_rea: '上级医院诊治', begntime: '2025-06-01', endtime: '2025-08-31' };
    const r = await h.call('2501', { refmedin });
    expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
    const [filing] = await t.db.query<{ id: number; reason: string; treatment_division: string; created_by: string; valid_to: string }>(
      'SELECT id, reason, treatment_division, created_by, valid_to::text AS valid_to FROM out_of_area_filings WHERE person_id = $1', [f.plain.id],
    );
    expect(filing).toMatchObject({ reason: 'referral', treatment_division: '510107', created_by: `facility:${CODES.county}`, valid_to: '2025-08-31' });
    expect(r.body.output.result.trt_dcla_detl_sn).toBe(String(filing!.id));
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...refmedin, refl_type: '7' }, 400, 'INVALID_INPUT', 'input.refmedin.refl_type'],
      [{ ...refmedin, endtime: '2025-05-01' }, 422, 'INVALID_PERIOD', 'input.refmedin.endtime'],
      [{ ...refmedin, endtime: '2027-05-01' }, 422, 'FILING_TOO_LONG', 'input.refmedin.endtime'],
      [{ ...refmedin, psn_no: '424242' }, 404, 'UNKNOWN_PERSON', 'input.refmedin.psn_no'],
      [{ ...refmedin, mdtrtarea_admdvs: 'x' }, 400, 'INVALID_INPUT', 'input.refmedin.mdtrtarea_admdvs'],
    ];
    for (const [input, status, code, field] of cases) {
      const bad = await h.call('2501', { refmedin: input });
      expect([bad.status, bad.body.infcode, bad.body.error?.code, bad.body.error?.field], code).toEqual([status, -1, code, field]);
    }
    expect((await t.db.query('SELECT 1 FROM out_of_area_filings')).length).toBe(1);
  });
});

describe('2503 / 2504 chronic-disease filing', () => {
  it('files an application the bureau approves; a med_type 14 visit then settles against the approved disease', async () => {
    const psn = String(f.plain.id);
    const filed = await h.call('2503', { data: { psn_no: psn, insutype: '390', opsp_dise_code: 'GZ05', opsp_dise_name: '高血压', diag_code: 'I10.X00', begndate: '2025-03-01' } });
    expect(filed.body.infcode, filed.body.err_msg ?? '').toBe(0);
    const id = Number(filed.body.output.result.trt_dcla_detl_sn);
    const [app0] = await t.db.query<{ channel: string; submitted_by: string; status: string }>('SELECT channel, submitted_by, status FROM chronic_applications WHERE id = $1', [id]);
    expect(app0).toEqual({ channel: 'hospital', submitted_by: `facility:${CODES.county}`, status: 'submitted' });
    await addDocument(t.db, { name: 'staff:clerk', channel: 'window' }, id, { kind: 'diagnosis_certificate', fileName: '诊断证明.pdf', sha256: 'c'.repeat(64), sizeBytes: 1000 });
    await reviewApplication(t.db, 'staff:clerk', id, { decision: 'approve', validFrom: '2025-01-01', validTo: '2025-12-31' });
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-04-01 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, ipt_otp_no: 'MZ-C1', med_type: '14', dise_codg: 'I10.X00' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    expect((await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 100, '1.50', '2025-04-01')] })).body.infcode).toBe(0);
    const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber, med_type: '14', medfee_sumamt: '150.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } });
    expect(settled.body.infcode, settled.body.err_msg ?? '').toBe(0);
    // Class B chronic disease, resident: 80 % of the compliant 150 yuan.
    expect(settled.body.output.setlinfo).toMatchObject({ clr_type: '14', med_type: '14', hifp_pay: '120.00', psn_part_amt: '30.00' });
    const [bill] = await t.db.query<{ chronic_disease_code: string }>('SELECT chronic_disease_code FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id WHERE s.transaction_id = $1', [settled.msgid]);
    expect(bill!.chronic_disease_code).toBe('GZ05');
  });

  it('withdraws an undecided filing (2504), not a decided one; refuses a disease outside the catalogue', async () => {
    const psn = String(f.poor.id);
    const filed = await h.call('2503', { data: { psn_no: psn, insutype: '390', opsp_dise_code: 'GZ06', diag_code: 'E11.900', begndate: '2025-03-01' } });
    const id = filed.body.output.result.trt_dcla_detl_sn;
    const withdrawn = await h.call('2504', { data: { psn_no: psn, trt_dcla_detl_sn: id, memo: '患者放弃' } });
    expect(withdrawn.body.infcode, withdrawn.body.err_msg ?? '').toBe(0);
    const [row] = await t.db.query<{ status: string; decision_reason: string }>('SELECT status, decision_reason FROM chronic_applications WHERE id = $1', [Number(id)]);
    expect(row).toEqual({ status: 'rejected', decision_reason: 'withdrawn by the hospital (2504): 患者放弃' });
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['2503', { data: { psn_no: psn, insutype: '390', opsp_dise_code: 'LS13', diag_code: 'I10.X00', begndate: '2025-03-01' } }, 422, 'UNKNOWN_DISEASE', 'input.data.opsp_dise_code'],
      ['2503', { data: { psn_no: psn, insutype: '390', opsp_dise_code: 'GZ05', diag_code: 'E11.900', begndate: '2025-03-01' } }, 422, 'DIAGNOSIS_NOT_OF_DISEASE', 'input.data.diag_code'],
      ['2503', { data: { psn_no: psn, insutype: '310', opsp_dise_code: 'GZ05', diag_code: 'I10.X00', begndate: '2025-03-01' } }, 422, 'WRONG_INSUTYPE', 'input.data.insutype'],
      ['2503', { data: { psn_no: psn, insutype: '390', opsp_dise_code: 'GZ05', begndate: '2025-03-01' } }, 400, 'INVALID_INPUT', 'input.data.diag_code'],
      ['2504', { data: { psn_no: psn, trt_dcla_detl_sn: '999999' } }, 404, 'UNKNOWN_APPLICATION', 'input.data.trt_dcla_detl_sn'],
      ['2504', { data: { psn_no: psn, trt_dcla_detl_sn: 'x' } }, 400, 'INVALID_INPUT', 'input.data.trt_dcla_detl_sn'],
    ];
    for (const [infno, input, status, code, field] of cases) {
      const r = await h.call(infno, input);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], `${infno} ${code}`).toEqual([status, -1, code, field]);
    }
  });

  it('a chronic visit without an approval covering its diagnosis is refused at settlement, naming the visit', async () => {
    const psn = String(f.extreme.id);
    const reg = await h.call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-04-02 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: f.extreme.idNumber, ipt_otp_no: 'MZ-C2', med_type: '14', dise_codg: 'I10.X00' } });
    const mdtrtId = reg.body.output.data.mdtrt_id;
    expect((await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 10, '1.50', '2025-04-02')] })).body.infcode).toBe(0);
    const r = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: f.extreme.idNumber, medfee_sumamt: '15.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } });
    expect([r.status, r.body.error?.code, r.body.error?.field]).toEqual([422, 'CHRONIC_NOT_APPROVED', 'input.data.mdtrt_id']);
  });
});
