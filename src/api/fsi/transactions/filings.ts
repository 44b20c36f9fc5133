/**
 * Filings a hospital makes for its patient: 2501 referral / out-of-area
 * filing (转院备案 → an out-of-area filing, its reason from refl_type),
 * 2503 chronic-disease filing (慢特病备案 → an application the bureau
 * reviews) and 2504 its withdrawal.
 */
import { z } from 'zod';
import { unprocessable } from '../../../domain/errors.ts';
import { submitApplication } from '../../../service/chronic-approvals.ts';
import { withdrawChronicApplication } from '../../../service/fsi/fsi-filings.ts';
import { personOf } from '../../../service/fsi/fsi-visits.ts';
import { fileOutOfArea } from '../../../service/resident-self-service.ts';
import type { FsiHandler } from '../call.ts';
import { INSUTYPE, REFL_TYPE } from '../dictionary.ts';
import { dayOf } from '../envelope.ts';
import { code, day, optionalStr, psnNo, readInput, renamedFields, str } from '../input.ts';
import { insutype } from './shared.ts';

const referral = z.object({
  refmedin: z.object({
    psn_no: psnNo,
    insutype,
    diag_code: optionalStr(30),
    diag_name: optionalStr(100),
    reflin_medins_no: optionalStr(30),
    reflin_medins_name: str(200),
    mdtrtarea_admdvs: z.string({ required_error: 'is missing' }).regex(/^\d{6}$/, 'must be a 6-digit division code'),
    refl_type: code(Object.keys(REFL_TYPE) as (keyof typeof REFL_TYPE)[], 'a referral type (1 referral, 2 living elsewhere, 3 temporary, 4 emergency)'),
    refl_rea: optionalStr(500),
    begntime: day,
    endtime: day,
  }, { required_error: 'is missing' }),
});

export const referral2501: FsiHandler = async ({ deps, facility, envelope }) => {
  const { refmedin: r } = readInput(referral, envelope.input);
  const person = await personOf(deps.db, r.psn_no, 'input.refmedin.psn_no');
  if (person.scheme !== INSUTYPE[r.insutype]) throw unprocessable('WRONG_INSUTYPE', `the person is insured in the ${person.scheme} scheme`, 'input.refmedin.insutype');
  if (r.endtime < r.begntime) throw unprocessable('INVALID_PERIOD', 'the filing ends before it starts', 'input.refmedin.endtime');
  // Filed at the hospital's window on the patient's behalf; the audit log names the facility.
  const filing = await fileOutOfArea(deps.db, deps.policies, person, {
    treatmentPlace: r.reflin_medins_name, treatmentDivision: r.mdtrtarea_admdvs, reason: REFL_TYPE[r.refl_type], validFrom: r.begntime, validTo: r.endtime,
  }, 'window', `facility:${facility.code}`, dayOf(envelope.inf_time)).catch(renamedFields({ validFrom: 'input.refmedin.begntime', validTo: 'input.refmedin.endtime' }));
  return { result: { trt_dcla_detl_sn: String(filing.id) } };
};

const chronic = z.object({
  data: z.object({
    psn_no: psnNo,
    insutype,
    opsp_dise_code: str(30),
    opsp_dise_name: optionalStr(100),
    diag_code: str(30),
    begndate: day,
    enddate: day.optional(),
    ide_fixmedins_no: optionalStr(30),
    hosp_ide_date: day.optional(),
  }, { required_error: 'is missing' }),
});

export const chronicFiling2503: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(chronic, envelope.input);
  const person = await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  if (person.scheme !== INSUTYPE[data.insutype]) throw unprocessable('WRONG_INSUTYPE', `the person is insured in the ${person.scheme} scheme`, 'input.data.insutype');
  const app = await submitApplication(deps.db, { name: `facility:${facility.code}`, channel: 'hospital' }, person, {
    diseaseCode: data.opsp_dise_code, diagnosis: data.diag_code, date: data.begndate, documents: [],
  }).catch(renamedFields({ diseaseCode: 'input.data.opsp_dise_code', diagnosis: 'input.data.diag_code' }));
  return { result: { trt_dcla_detl_sn: String(app.id), status: app.status } };
};

const withdraw = z.object({ data: z.object({ psn_no: psnNo, trt_dcla_detl_sn: z.union([z.string(), z.number()]).transform(String).refine((v) => /^\d{1,15}$/.test(v), 'must be the number 2503 answered').transform(Number), memo: optionalStr(200) }, { required_error: 'is missing' }) });

export const chronicWithdrawal2504: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(withdraw, envelope.input);
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  await withdrawChronicApplication(deps.db, facility, { applicationId: data.trt_dcla_detl_sn, psnNo: data.psn_no, memo: data.memo }, { id: 'input.data.trt_dcla_detl_sn', psnNo: 'input.data.psn_no' });
  return {};
};
