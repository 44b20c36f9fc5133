/** Pieces the outpatient (2201–2208) and inpatient (2401–2305) groups share: fee lines, pre-settle / settle, cancel. */
import { z } from 'zod';
import { unprocessable } from '../../../domain/errors.ts';
import {
  cancelVisitSettlement, preSettleVisit, settleVisit, uploadFeeLines, type PricedUpload, type UploadedLine, type VisitGroup,
} from '../../../service/fsi/fsi-bills.ts';
import { personOf } from '../../../service/fsi/fsi-visits.ts';
import type { FsiCall } from '../call.ts';
import { CHRGITM_LV, INSUTYPE, MED_TYPE, PSN_SETLWAY } from '../dictionary.ts';
import { code, count, day, optionalStr, psnNo, readInput, renamedFields, str, yuan } from '../input.ts';
import { setldetailOf, setlinfoOf } from '../setlinfo.ts';
import { basisPointsToRatio, fenToYuan } from '../yuan.ts';
import { certMatches, certSchema } from './person.ts';

export const insutype = code(Object.keys(INSUTYPE) as (keyof typeof INSUTYPE)[], 'an insurance type (310 employee, 390 resident)');
export const medType = code(Object.keys(MED_TYPE) as (keyof typeof MED_TYPE)[], 'a medical type (11 outpatient, 14 chronic outpatient, 21 inpatient)');

const feeLine = z.object({
  feedetl_sn: str(30),
  mdtrt_id: str(30),
  psn_no: psnNo,
  chrg_bchno: optionalStr(30),
  fee_ocur_time: day,
  med_list_codg: str(50),
  medins_list_codg: str(150),
  det_item_fee_sumamt: yuan,
  cnt: count,
  pric: yuan,
  bilg_dept_codg: optionalStr(30),
  bilg_dept_name: optionalStr(100),
});
const feeUpload = z.object({ feedetail: z.array(feeLine, { required_error: 'is missing' }).min(1, 'lists no fee line').max(5_000, 'more than 5,000 lines in one upload') });

/** 2204 / 2301: the lines stored and priced, one result per line. */
export async function uploadLines(call: FsiCall, group: VisitGroup): Promise<Record<string, unknown>> {
  const { feedetail } = readInput(feeUpload, call.envelope.input);
  const lines: UploadedLine[] = feedetail.map((l) => ({
    feedetlSn: l.feedetl_sn, mdtrtId: l.mdtrt_id, psnNo: l.psn_no, chrgBchno: l.chrg_bchno ?? null, medListCodg: l.med_list_codg,
    medinsListCodg: l.medins_list_codg, feeDate: l.fee_ocur_time, cnt: l.cnt, pricFen: l.pric, amountFen: l.det_item_fee_sumamt,
    department: l.bilg_dept_name ?? l.bilg_dept_codg ?? '-',
  }));
  const priced = await uploadFeeLines(call.deps.db, call.facility, call.envelope.msgid, group, lines, (i, f) => `input.feedetail.${i}.${f}`);
  return { result: priced.map(resultOf) };
}

function resultOf({ line, priced, item, scheme }: PricedUpload) {
  return {
    feedetl_sn: line.feedetlSn,
    det_item_fee_sumamt: fenToYuan(line.amountFen),
    cnt: String(line.cnt),
    pric: fenToYuan(line.pricFen),
    pric_uplmt_amt: item.priceCap === null ? '' : fenToYuan(item.priceCap),
    selfpay_prop: item.class === 'C' ? '1' : item.class === 'B' ? basisPointsToRatio(item.selfPayFirst[scheme]) : '0',
    fulamt_ownpay_amt: fenToYuan(priced.excluded),
    overlmt_amt: fenToYuan(priced.aboveCap),
    preselfpay_amt: fenToYuan(priced.selfPayFirst),
    inscp_scp_amt: fenToYuan(priced.compliant),
    chrgitm_lv: CHRGITM_LV[item.class],
    med_chrgitm_type: item.kind,
    list_sp_item_flag: '0',
    memo: priced.rule,
  };
}

const settleData = z.object({
  data: z.object({
    psn_no: psnNo,
    ...certSchema,
    med_type: medType.optional(),
    medfee_sumamt: yuan,
    psn_setlway: code(Object.keys(PSN_SETLWAY) as '01'[], 'a settlement way (01 by item; 02 fixed amounts is not settled by Sanbao)'),
    mdtrt_id: str(30),
    chrg_bchno: optionalStr(30),
    insutype,
    acct_used_flag: code(['0', '1'], 'an account flag (0 or 1)').optional(),
  }, { required_error: 'is missing' }),
});

/** Sanbao's settlement names its own request's fields; the HIS knows them as these. */
const SETTLE_RENAMES = {
  patient: 'input.data.psn_no', visit: 'input.data.mdtrt_id', 'visit.date': 'input.data.mdtrt_id', 'visit.diagnosis': 'input.data.mdtrt_id', transactionId: 'msgid',
} as const;

const SETTLE_FIELDS = { mdtrtId: 'input.data.mdtrt_id', psnNo: 'input.data.psn_no', insutype: 'input.data.insutype', medfeeSumamt: 'input.data.medfee_sumamt', medType: 'input.data.med_type' } as const;

/** 2206 / 2207 / 2303 / 2304: the settlement (or its trial) of the visit's uploaded lines. */
export async function settleOrTrial(call: FsiCall, group: VisitGroup, write: boolean): Promise<Record<string, unknown>> {
  const { data } = readInput(settleData, call.envelope.input);
  const person = await personOf(call.deps.db, data.psn_no, 'input.data.psn_no');
  if (!certMatches(person, data.mdtrt_cert_type, data.mdtrt_cert_no)) {
    throw unprocessable('CERT_MISMATCH', 'the certificate does not name the person psn_no', 'input.data.mdtrt_cert_no');
  }
  const request = { mdtrtId: data.mdtrt_id, psnNo: data.psn_no, insutype: data.insutype, medfeeSumamt: data.medfee_sumamt, medType: data.med_type, acctUsed: data.acct_used_flag === '1' };
  const settled = await (write
    ? settleVisit(call.deps, call.facility, call.envelope.msgid, group, request, SETTLE_FIELDS)
    : preSettleVisit(call.deps, call.facility, group, request, SETTLE_FIELDS)
  ).catch(renamedFields(SETTLE_RENAMES));
  return { setlinfo: setlinfoOf(settled), setldetail: setldetailOf(settled) };
}

const cancelData = z.object({ data: z.object({ setl_id: str(40), mdtrt_id: str(30), psn_no: psnNo }, { required_error: 'is missing' }) });

/** 2208 / 2305: the settlement cancelled (Sanbao's reversal); its figures answered negated. */
export async function cancelSettlement(call: FsiCall): Promise<Record<string, unknown>> {
  const { data } = readInput(cancelData, call.envelope.input);
  await personOf(call.deps.db, data.psn_no, 'input.data.psn_no');
  const reversed = await cancelVisitSettlement(call.deps, call.facility, call.envelope.msgid, { setlId: data.setl_id, mdtrtId: data.mdtrt_id, psnNo: data.psn_no }, {
    setlId: 'input.data.setl_id', mdtrtId: 'input.data.mdtrt_id', psnNo: 'input.data.psn_no',
  }).catch(renamedFields({ transactionId: 'input.data.setl_id' }));
  return { setlinfo: setlinfoOf(reversed, -1), setldetail: setldetailOf(reversed, -1) };
}
