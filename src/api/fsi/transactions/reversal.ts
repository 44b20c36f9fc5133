/**
 * 2601 冲正交易: undoes a transaction by its original msgid (omsgid) when the
 * HIS never saw its answer. A settlement (2207 / 2304) is reversed as 2208 /
 * 2305 would; other transactions are cancelled with their own cancel.
 */
import { z } from 'zod';
import { unprocessable } from '../../../domain/errors.ts';
import { cancelVisitSettlement } from '../../../service/fsi/fsi-bills.ts';
import { personOf } from '../../../service/fsi/fsi-visits.ts';
import type { FsiHandler } from '../call.ts';
import { code, psnNo, readInput, str } from '../input.ts';

const REVERSIBLE = ['2207', '2304'] as const;

const schema = z.object({
  data: z.object({ psn_no: psnNo, omsgid: str(30), oinfno: code(REVERSIBLE, 'a settlement transaction (2207 or 2304); cancel other transactions with their own cancel') }, { required_error: 'is missing' }),
});

export const reverse2601: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(schema, envelope.input);
  if (data.omsgid === envelope.msgid) throw unprocessable('REVERSAL_OF_ITSELF', 'omsgid is this message', 'input.data.omsgid');
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  // A settlement's setl_id is the msgid that settled it.
  await cancelVisitSettlement(deps, facility, envelope.msgid, { setlId: data.omsgid, psnNo: data.psn_no }, {
    setlId: 'input.data.omsgid', mdtrtId: 'input.data.omsgid', psnNo: 'input.data.psn_no',
  });
  return { result: { omsgid: data.omsgid, oinfno: data.oinfno } };
};
