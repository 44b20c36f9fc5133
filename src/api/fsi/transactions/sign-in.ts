/** 9001 签到: the sign_no every other transaction of the day travels with. */
import { z } from 'zod';
import { signIn } from '../../../service/fsi/fsi-messages.ts';
import type { FsiHandler } from '../call.ts';
import { optionalStr, readInput, str } from '../input.ts';
import { formatTime } from '../setlinfo.ts';

const schema = z.object({ signIn: z.object({ opter_no: str(30), mac: optionalStr(40), ip: optionalStr(45) }, { required_error: 'is missing' }) });

export const signIn9001: FsiHandler = async ({ deps, facility, envelope }) => {
  const input = readInput(schema, envelope.input);
  const { signNo, signedAt } = await signIn(deps.db, facility, input.signIn.opter_no);
  return { signinoutb: { sign_time: formatTime(signedAt), sign_no: signNo } };
};
