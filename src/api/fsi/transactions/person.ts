/**
 * 1101 人员信息获取: who the patient is, the year's enrollment (insuinfo) and
 * identities (idetinfo). The look-up is audited and counted against the
 * facility's allowance like Sanbao's own identify. The ID number is masked and
 * the birth date given only to a desk that identified the patient by it.
 */
import { z } from 'zod';
import { unprocessable } from '../../../domain/errors.ts';
import { maskIdNumber } from '../../../domain/privacy.ts';
import { accountBalanceOf } from '../../../service/personal-account-pay.ts';
import { DEFAULT_LIMITS, takeHit } from '../../../service/rate-limit.ts';
import { identify, type PatientRef } from '../../../service/settlement-service.ts';
import type { PersonRow } from '../../../store/repositories/persons.ts';
import type { FsiCall, FsiHandler } from '../call.ts';
import { GEND, insutypeOf, MDTRT_CERT_TYPE, PSN_IDET_TYPE, PSN_INSU_STAS, PSN_TYPE } from '../dictionary.ts';
import { dayOf } from '../envelope.ts';
import { code, day, optionalStr, readInput, renamedFields, str } from '../input.ts';
import { fenToYuan } from '../yuan.ts';

export const certSchema = {
  mdtrt_cert_type: code(Object.keys(MDTRT_CERT_TYPE) as (keyof typeof MDTRT_CERT_TYPE)[], 'a certificate type (01 electronic certificate, 02 ID card)'),
  mdtrt_cert_no: str(200),
};

const schema = z.object({
  data: z.object({
    ...certSchema,
    psn_cert_type: code(['01'], 'a person certificate type (01 居民身份证)').optional(),
    certno: optionalStr(18),
    psn_name: optionalStr(50),
    begntime: day.optional(),
  }, { required_error: 'is missing' }),
});

export function patientRefOf(certType: keyof typeof MDTRT_CERT_TYPE, certNo: string): PatientRef {
  return MDTRT_CERT_TYPE[certType] === 'qrToken' ? { qrToken: certNo } : { idNumber: certNo.toUpperCase() };
}

/** The person the certificate names must be the psn_no the HIS sends with it. */
export function certMatches(person: PersonRow, certType: keyof typeof MDTRT_CERT_TYPE, certNo: string): boolean {
  return MDTRT_CERT_TYPE[certType] === 'qrToken' ? person.qr_token === certNo : person.id_number === certNo.trim().toUpperCase();
}

/** Whole years from the birth date to the day. */
export function ageOn(birthDate: string, dayText: string): number {
  const years = Number(dayText.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return dayText.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export const person1101: FsiHandler = async ({ deps, facility, envelope }: FsiCall) => {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  await takeHit(deps.db, `identify:facility:${facility.id}`, limits.identifyPerFacility, 'IDENTIFY_RATE_LIMITED', 'too many patient look-ups from this facility; try again later');
  const { data } = readInput(schema, envelope.input);
  const on = data.begntime ?? dayOf(envelope.inf_time);
  const year = Number(on.slice(0, 4));
  const { person, enrollment, identities } = await identify(deps, facility, patientRefOf(data.mdtrt_cert_type, data.mdtrt_cert_no), year, 'registration')
    .catch(renamedFields({ patient: 'input.data.mdtrt_cert_no' }));
  if (data.certno !== undefined && data.certno.toUpperCase() !== person.id_number) {
    throw unprocessable('CERTNO_MISMATCH', 'certno is not the ID number of the person the certificate names', 'input.data.certno');
  }
  const byIdNumber = MDTRT_CERT_TYPE[data.mdtrt_cert_type] === 'idNumber';
  const balance = (await accountBalanceOf(deps.db, person)) ?? 0;
  return {
    baseinfo: {
      psn_no: String(person.id),
      psn_cert_type: '01',
      certno: maskIdNumber(person.id_number),
      psn_name: person.name,
      gend: GEND[person.sex],
      naty: '',
      brdy: byIdNumber ? person.birth_date : '',
      age: ageOn(person.birth_date, on),
    },
    insuinfo: enrollment
      ? [{
          insutype: insutypeOf(person.scheme),
          psn_type: person.scheme === 'employee' ? PSN_TYPE[person.employment_status] : PSN_TYPE.resident,
          balc: fenToYuan(balance),
          psn_insu_stas: enrollment.status === 'enrolled' ? PSN_INSU_STAS.enrolled : PSN_INSU_STAS.not_enrolled,
          psn_insu_date: `${year}-01-01`,
          paus_insu_date: '',
          insuplc_admdvs: person.division_code.slice(0, 6),
          emp_name: '',
        }]
      : [],
    idetinfo: identities
      .filter((i) => i.valid_from <= on && (i.valid_to === null || i.valid_to >= on))
      .map((i) => ({ psn_idet_type: PSN_IDET_TYPE[i.identity], psn_type_lv: '', memo: i.identity, begntime: `${i.valid_from} 00:00:00`, endtime: i.valid_to ? `${i.valid_to} 23:59:59` : '' })),
  };
};
