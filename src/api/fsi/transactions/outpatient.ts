/**
 * Outpatient transactions: 2201 registration (挂号) and 2202 its cancel, 2204
 * / 2205 fee lines and their cancel, 2206 pre-settle, 2207 settle, 2208 the
 * settlement's cancel. med_type 11 is a general outpatient visit, 14 a
 * chronic-disease visit (its disease code dise_codg given at registration).
 */
import { z } from 'zod';
import { invalid, unprocessable } from '../../../domain/errors.ts';
import { cancelFeeLines } from '../../../service/fsi/fsi-bills.ts';
import { cancelVisit, openVisit, personOf, requireEnrolledAs } from '../../../service/fsi/fsi-visits.ts';
import type { FsiHandler } from '../call.ts';
import { INSUTYPE, MED_TYPE, OUTPATIENT_MED_TYPES } from '../dictionary.ts';
import { code, day, optionalStr, psnNo, readInput, str } from '../input.ts';
import { certMatches, certSchema } from './person.ts';
import { cancelSettlement, insutype, settleOrTrial, uploadLines } from './shared.ts';

const registration = z.object({
  data: z.object({
    psn_no: psnNo,
    insutype,
    begntime: day,
    ...certSchema,
    ipt_otp_no: str(30),
    med_type: code(OUTPATIENT_MED_TYPES, 'an outpatient medical type (11 general, 14 chronic)').default('11'),
    dise_codg: optionalStr(30),
    dept_name: optionalStr(100),
  }, { required_error: 'is missing' }),
});

export const register2201: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(registration, envelope.input);
  if (data.med_type === '14' && !data.dise_codg) throw invalid('INVALID_INPUT', 'a chronic-disease visit (med_type 14) needs its diagnosis code', 'input.data.dise_codg');
  const person = await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  if (!certMatches(person, data.mdtrt_cert_type, data.mdtrt_cert_no)) throw unprocessable('CERT_MISMATCH', 'the certificate does not name the person psn_no', 'input.data.mdtrt_cert_no');
  await requireEnrolledAs(deps.db, person, Number(data.begntime.slice(0, 4)), INSUTYPE[data.insutype], 'input.data.insutype');
  const visit = await openVisit(deps.db, facility, {
    msgid: envelope.msgid, person, insutype: data.insutype, medType: data.med_type, kind: MED_TYPE[data.med_type], iptOtpNo: data.ipt_otp_no,
    beginDate: data.begntime, diagnosis: data.dise_codg ?? null,
  });
  return { data: { mdtrt_id: visit.mdtrt_id, psn_no: String(person.id), ipt_otp_no: visit.ipt_otp_no } };
};

const visitRef = z.object({ data: z.object({ psn_no: psnNo, mdtrt_id: str(30), ipt_otp_no: optionalStr(30) }, { required_error: 'is missing' }) });

export const cancelRegistration2202: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(visitRef, envelope.input);
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  await cancelVisit(deps.db, facility, data.mdtrt_id, data.psn_no, { mdtrtId: 'input.data.mdtrt_id', psnNo: 'input.data.psn_no' });
  return {};
};

export const uploadOutpatientLines2204: FsiHandler = (call) => uploadLines(call, 'outpatient');

const lineCancel = z.object({ data: z.object({ chrg_bchno: str(30), mdtrt_id: str(30), psn_no: psnNo }, { required_error: 'is missing' }) });

export const cancelOutpatientLines2205: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(lineCancel, envelope.input);
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  const which = data.chrg_bchno === '0000' ? { all: true as const } : { chrgBchno: data.chrg_bchno };
  const cancelled = await cancelFeeLines(deps.db, facility, { mdtrtId: data.mdtrt_id, psnNo: data.psn_no, which }, {
    mdtrtId: 'input.data.mdtrt_id', psnNo: 'input.data.psn_no', which: 'input.data.chrg_bchno',
  });
  return { result: cancelled.map((sn) => ({ feedetl_sn: sn })) };
};

export const preSettleOutpatient2206: FsiHandler = (call) => settleOrTrial(call, 'outpatient', false);
export const settleOutpatient2207: FsiHandler = (call) => settleOrTrial(call, 'outpatient', true);
export const cancelOutpatientSettlement2208: FsiHandler = (call) => cancelSettlement(call);
