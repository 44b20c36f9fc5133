/**
 * 4101 医疗保障基金结算清单信息上传: the discharge abstract DRG groups, as
 * Sanbao's own settlement-list service receives it (idempotent on setl_id),
 * amounts read from yuan here. A setl_id that is a settlement made through
 * this interface must carry that settlement's total.
 */
import { DomainError, invalid, unprocessable } from '../../../domain/errors.ts';
import { AbstractRejected, receiveAbstract } from '../../../service/drg-abstracts.ts';
import { drgContext } from '../../../service/drg-catalogues.ts';
import { findSettlementByTransaction } from '../../../store/repositories/settlements.ts';
import type { FsiHandler } from '../call.ts';
import { fenToYuan, yuanToFen } from '../yuan.ts';

type Json = Record<string, unknown>;
const YUAN_FIELDS = ['medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt'] as const;

/** The 4101 object in fen, or the first amount that is not yuan with two decimals. */
function inFen(input: Json): Json {
  const setlinfo = input.setlinfo;
  if (setlinfo === null || typeof setlinfo !== 'object' || Array.isArray(setlinfo)) throw invalid('INVALID_INPUT', 'is missing', 'input.setlinfo');
  const out: Json = { ...(setlinfo as Json) };
  for (const field of YUAN_FIELDS) {
    const r = yuanToFen((setlinfo as Json)[field]);
    if ('problem' in r) throw invalid('INVALID_INPUT', r.problem, `input.setlinfo.${field}`);
    out[field] = r.fen;
  }
  for (const list of ['diseinfo', 'oprninfo'] as const) if (input[list] !== undefined) out[list] = input[list];
  if (input.iteminfo !== undefined) {
    if (!Array.isArray(input.iteminfo)) throw invalid('INVALID_INPUT', 'must be a list', 'input.iteminfo');
    out.iteminfo = input.iteminfo.map((item: unknown, i) => {
      const r = yuanToFen((item as Json | null)?.amt);
      if ('problem' in r) throw invalid('INVALID_INPUT', r.problem, `input.iteminfo.${i}.amt`);
      return { ...(item as Json), amt: r.fen };
    });
  }
  return out;
}

/** diseinfo[2].diag_code → input.diseinfo.2.diag_code; adm_time → input.setlinfo.adm_time. */
function interfaceField(field: string): string {
  const path = field.replace(/\[(\d+)\]/g, '.$1');
  return /^(diseinfo|oprninfo|iteminfo)\b/.test(path) ? `input.${path}` : `input.setlinfo.${path}`;
}

export const settlementList4101: FsiHandler = async ({ deps, facility, envelope }) => {
  const body = inFen(envelope.input);
  const setlId = typeof body.setl_id === 'string' ? body.setl_id : undefined;
  const settled = setlId ? await findSettlementByTransaction(deps.db, facility.id, setlId) : undefined;
  if (settled && settled.total_fen !== body.medfee_sumamt) {
    throw unprocessable('SETTLEMENT_MISMATCH', `settlement ${setlId} totals ${fenToYuan(settled.total_fen)} yuan`, 'input.setlinfo.medfee_sumamt');
  }
  try {
    const r = await receiveAbstract(deps.db, deps.drg ?? drgContext(deps.db), facility, body);
    return {
      result: {
        setl_list_id: String(r.id), setl_id: r.setlId, drg_code: r.grouping.drg ?? '', drg_name: r.grouping.name ?? '',
        findings: r.findings.map((x) => ({ ...x })),
      },
    };
  } catch (error) {
    if (error instanceof AbstractRejected) {
      const first = error.problems[0]!;
      throw invalid('INVALID_ABSTRACT', error.problems.map((p) => `${interfaceField(p.field)}: ${p.message}`).join('; '), interfaceField(first.field));
    }
    if (error instanceof DomainError && error.field === 'setl_id') throw new DomainError(error.kind, error.code, error.message, 'input.setlinfo.setl_id');
    throw error;
  }
};
