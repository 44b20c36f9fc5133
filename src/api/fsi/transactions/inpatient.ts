/**
 * Inpatient transactions: 2401 admission (入院办理), 2402 discharge, 2301 /
 * 2302 fee lines and their cancel, 2303 pre-settle, 2304 settle, 2305 the
 * settlement's cancel.
 */
import { z } from 'zod';
import { unprocessable } from '../../../domain/errors.ts';
import { cancelFeeLines } from '../../../service/fsi/fsi-bills.ts';
import { dischargeVisit, openVisit, personOf, requireEnrolledAs } from '../../../service/fsi/fsi-visits.ts';
import type { FsiHandler } from '../call.ts';
import { INPATIENT_MED_TYPES, INSUTYPE } from '../dictionary.ts';
import { code, day, optionalStr, psnNo, readInput, str } from '../input.ts';
import { certMatches, certSchema } from './person.ts';
import { cancelSettlement, insutype, settleOrTrial, uploadLines } from './shared.ts';

const diagnosis = z.object({
  diag_code: str(30),
  diag_name: optionalStr(100),
  maindiag_flag: z.union([z.string(), z.number()]).transform((v) => String(v)).optional(),
  diag_type: optionalStr(3),
});

const admission = z.object({
  mdtrtinfo: z.object({
    psn_no: psnNo,
    insutype,
    ...certSchema,
    med_type: code(INPATIENT_MED_TYPES, 'an inpatient medical type (21)'),
    ipt_no: str(30),
    begntime: day,
    adm_diag_dscr: optionalStr(200),
    dscg_maindiag_code: optionalStr(30),
    dscg_maindiag_name: optionalStr(100),
    adm_dept_name: optionalStr(100),
  }, { required_error: 'is missing' }),
  diseinfo: z.array(diagnosis).max(50).optional(),
});

export const admit2401: FsiHandler = async ({ deps, facility, envelope }) => {
  const { mdtrtinfo: m, diseinfo } = readInput(admission, envelope.input);
  const person = await personOf(deps.db, m.psn_no, 'input.mdtrtinfo.psn_no');
  if (!certMatches(person, m.mdtrt_cert_type, m.mdtrt_cert_no)) throw unprocessable('CERT_MISMATCH', 'the certificate does not name the person psn_no', 'input.mdtrtinfo.mdtrt_cert_no');
  await requireEnrolledAs(deps.db, person, Number(m.begntime.slice(0, 4)), INSUTYPE[m.insutype], 'input.mdtrtinfo.insutype');
  const principal = m.dscg_maindiag_code ?? diseinfo?.find((d) => d.maindiag_flag === '1')?.diag_code ?? null;
  const visit = await openVisit(deps.db, facility, {
    msgid: envelope.msgid, person, insutype: m.insutype, medType: m.med_type, kind: 'inpatient', iptOtpNo: m.ipt_no, beginDate: m.begntime, diagnosis: principal,
  });
  return { result: { mdtrt_id: visit.mdtrt_id, psn_no: String(person.id), ipt_otp_no: visit.ipt_otp_no } };
};

const discharge = z.object({
  dscginfo: z.object({
    mdtrt_id: str(30),
    psn_no: psnNo,
    insutype: insutype.optional(),
    endtime: day,
    dise_codg: optionalStr(30),
    dscg_way: optionalStr(3),
  }, { required_error: 'is missing' }),
  diseinfo: z.array(diagnosis).max(50).optional(),
});

export const discharge2402: FsiHandler = async ({ deps, facility, envelope }) => {
  const { dscginfo: d, diseinfo } = readInput(discharge, envelope.input);
  await personOf(deps.db, d.psn_no, 'input.dscginfo.psn_no');
  const principal = d.dise_codg ?? diseinfo?.find((x) => x.maindiag_flag === '1')?.diag_code ?? null;
  await dischargeVisit(deps.db, facility, { mdtrtId: d.mdtrt_id, psnNo: d.psn_no, endDate: d.endtime, diagnosis: principal }, {
    mdtrtId: 'input.dscginfo.mdtrt_id', psnNo: 'input.dscginfo.psn_no', endDate: 'input.dscginfo.endtime',
  });
  return {};
};

export const uploadInpatientLines2301: FsiHandler = (call) => uploadLines(call, 'inpatient');

const lineCancel = z.object({ data: z.object({ feedetl_sn: str(30), mdtrt_id: str(30), psn_no: psnNo }, { required_error: 'is missing' }) });

/** 2302: one line by its number, or every unsettled line with "0000". */
export const cancelInpatientLines2302: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(lineCancel, envelope.input);
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  const which = data.feedetl_sn === '0000' ? { all: true as const } : { feedetlSn: data.feedetl_sn };
  const cancelled = await cancelFeeLines(deps.db, facility, { mdtrtId: data.mdtrt_id, psnNo: data.psn_no, which }, {
    mdtrtId: 'input.data.mdtrt_id', psnNo: 'input.data.psn_no', which: 'input.data.feedetl_sn',
  });
  return { result: cancelled.map((sn) => ({ feedetl_sn: sn })) };
};

export const preSettleInpatient2303: FsiHandler = (call) => settleOrTrial(call, 'inpatient', false);
export const settleInpatient2304: FsiHandler = (call) => settleOrTrial(call, 'inpatient', true);
export const cancelInpatientSettlement2305: FsiHandler = (call) => cancelSettlement(call);
