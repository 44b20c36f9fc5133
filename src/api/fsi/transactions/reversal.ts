/**
 * 2601 冲正交易: undoes a transaction by its original msgid (omsgid) when the
 * HIS never saw its answer: a settlement (2207 / 2304) is reversed as 2208 /
 * 2305 would; a registration or admission (2201 / 2401) is cancelled with its
 * lines; a fee upload (2204 / 2301) has the lines it uploaded cancelled.
 */
import { z } from 'zod';
import { notFound, unprocessable } from '../../../domain/errors.ts';
import { cancelFeeLines, cancelVisitSettlement } from '../../../service/fsi/fsi-bills.ts';
import { cancelVisit, personOf } from '../../../service/fsi/fsi-visits.ts';
import { findFsiVisitByMessage } from '../../../store/repositories/fsi-visits.ts';
import type { FsiHandler } from '../call.ts';
import { code, psnNo, readInput, renamedFields, str } from '../input.ts';

const REVERSIBLE = ['2207', '2304', '2201', '2401', '2204', '2301'] as const;

const schema = z.object({
  data: z.object({
    psn_no: psnNo,
    omsgid: str(30),
    oinfno: code(REVERSIBLE, 'a transaction 2601 undoes (settlements 2207 / 2304, visits 2201 / 2401, fee uploads 2204 / 2301)'),
  }, { required_error: 'is missing' }),
});

const FIELDS = { setlId: 'input.data.omsgid', mdtrtId: 'input.data.omsgid', psnNo: 'input.data.psn_no' } as const;

export const reverse2601: FsiHandler = async ({ deps, facility, envelope }) => {
  const { data } = readInput(schema, envelope.input);
  if (data.omsgid === envelope.msgid) throw unprocessable('REVERSAL_OF_ITSELF', 'omsgid is this message', 'input.data.omsgid');
  await personOf(deps.db, data.psn_no, 'input.data.psn_no');
  switch (data.oinfno) {
    case '2207':
    case '2304':
      // A settlement's setl_id is the msgid that settled it.
      await cancelVisitSettlement(deps, facility, envelope.msgid, { setlId: data.omsgid, psnNo: data.psn_no }, FIELDS).catch(renamedFields({ transactionId: 'input.data.omsgid' }));
      break;
    case '2201':
    case '2401': {
      const visit = await findFsiVisitByMessage(deps.db, facility.id, data.omsgid, 'opened');
      if (!visit) throw notFound('UNKNOWN_OMSGID', `no visit opened by ${data.omsgid} at this facility`, 'input.data.omsgid');
      await cancelVisit(deps.db, facility, visit.mdtrt_id, data.psn_no, FIELDS);
      break;
    }
    case '2204':
    case '2301': {
      const visit = await findFsiVisitByMessage(deps.db, facility.id, data.omsgid, 'lines');
      if (!visit) throw notFound('UNKNOWN_OMSGID', `no fee lines uploaded by ${data.omsgid} at this facility`, 'input.data.omsgid');
      await cancelFeeLines(deps.db, facility, { mdtrtId: visit.mdtrt_id, psnNo: data.psn_no, which: { msgid: data.omsgid } }, { ...FIELDS, which: 'input.data.omsgid' });
      break;
    }
  }
  return { result: { omsgid: data.omsgid, oinfno: data.oinfno } };
};
