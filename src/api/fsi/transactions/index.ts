/** Every transaction the adapter answers, by infno. */
import type { FsiHandler } from '../call.ts';
import type { Infno } from '../dictionary.ts';
import {
  admit2401, cancelInpatientLines2302, cancelInpatientSettlement2305, discharge2402, preSettleInpatient2303, settleInpatient2304, uploadInpatientLines2301,
} from './inpatient.ts';
import {
  cancelOutpatientLines2205, cancelOutpatientSettlement2208, cancelRegistration2202, preSettleOutpatient2206, register2201, settleOutpatient2207,
  uploadOutpatientLines2204,
} from './outpatient.ts';
import { chronicFiling2503, chronicWithdrawal2504, referral2501 } from './filings.ts';
import { person1101 } from './person.ts';
import { details3202, totals3201 } from './reconciliation.ts';
import { reverse2601 } from './reversal.ts';
import { settlementList4101 } from './settlement-list.ts';
import { signIn9001 } from './sign-in.ts';

export const HANDLERS: Partial<Record<Infno, FsiHandler>> = {
  '9001': signIn9001,
  '1101': person1101,
  '2201': register2201,
  '2202': cancelRegistration2202,
  '2204': uploadOutpatientLines2204,
  '2205': cancelOutpatientLines2205,
  '2206': preSettleOutpatient2206,
  '2207': settleOutpatient2207,
  '2208': cancelOutpatientSettlement2208,
  '2401': admit2401,
  '2402': discharge2402,
  '2301': uploadInpatientLines2301,
  '2302': cancelInpatientLines2302,
  '2303': preSettleInpatient2303,
  '2304': settleInpatient2304,
  '2305': cancelInpatientSettlement2305,
  '2601': reverse2601,
  '2501': referral2501,
  '2503': chronicFiling2503,
  '2504': chronicWithdrawal2504,
  '3201': totals3201,
  '3202': details3202,
  '4101': settlementList4101,
};
