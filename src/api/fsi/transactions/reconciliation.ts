/**
 * 3201 医药机构费用结算对总账 / 3202 对明细账: the hospital's figures for a
 * period against Sanbao's own records of the facility, by the ledger's
 * reconciliation service (issue 14) — recorded under the msgid, audited, and
 * followed up by staff when they differ. Amounts in yuan here, fen there.
 */
import { z } from 'zod';
import { AMOUNT_FIELDS, type TotalsComparison } from '../../../domain/ledger/reconcile.ts';
import { bureauStatement, reconcile } from '../../../service/reconciliation.ts';
import type { FsiCall, FsiHandler } from '../call.ts';
import { CLR_TYPE, INSUTYPE } from '../dictionary.ts';
import { code, day, optionalStr, readInput, renamedFields, str, yuan } from '../input.ts';
import { fenToYuan } from '../yuan.ts';

const clrType = code(Object.values(CLR_TYPE), 'a clearing type (11 outpatient, 14 chronic, 21 inpatient)');
const insutype = code(Object.keys(INSUTYPE) as (keyof typeof INSUTYPE)[], 'an insurance type (310 employee, 390 resident)');
/** A count of settlements; reversals count −1, so a day may net below zero. */
const settlementCount = z.union([z.string(), z.number()], { required_error: 'is missing', invalid_type_error: 'must be a whole number of settlements' })
  .transform((v) => String(v).trim())
  .refine((v) => /^-?\d{1,9}$/.test(v), 'must be a whole number of settlements')
  .transform(Number);
/** Totals may be negative: a period with more reversals than settlements. */
const signedYuan = z.union([z.string(), z.number()], { required_error: 'is missing', invalid_type_error: 'must be an amount in yuan' }).transform((v, ctx) => {
  const text = String(v).trim();
  const negative = text.startsWith('-');
  const r = yuan.safeParse(negative ? text.slice(1) : typeof v === 'number' ? Math.abs(v) : text);
  if (!r.success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.error.issues[0]!.message });
    return z.NEVER;
  }
  return negative ? -r.data : r.data;
});

const PERIOD_NAMES = { from: 'input.data.stmt_begndate', to: 'input.data.stmt_enddate', requestId: 'msgid' } as const;

const total3201 = z.object({
  data: z.object({
    insutype, clr_type: clrType, setl_optins: str(6), stmt_begndate: day, stmt_enddate: day,
    medfee_sumamt: signedYuan, fund_pay_sumamt: signedYuan, acct_pay: signedYuan.optional(), fixmedins_setl_cnt: settlementCount,
  }, { required_error: 'is missing' }),
});

/** "0" when balanced, else "1" and each figure that differs, the bureau's beside the hospital's. */
function outcomeOf(line: TotalsComparison | undefined): { stmt_rslt: '0' | '1'; stmt_rslt_dscr: string } {
  if (!line || line.matched) return { stmt_rslt: '0', stmt_rslt_dscr: '平衡 balanced' };
  const differing = AMOUNT_FIELDS.filter((f) => line.difference[f] !== 0).map((f) => {
    const show = (n: number) => (f === 'fixmedins_setl_cnt' ? String(n) : fenToYuan(n));
    return `${f}: bureau ${show(line.bureau[f])}, hospital ${show(line.hospital[f])}`;
  });
  return { stmt_rslt: '1', stmt_rslt_dscr: `不平 not balanced: ${differing.join('; ')}` };
}

/** 3201: one insutype and clr_type; the bureau's other lines are not in question. */
export const totals3201: FsiHandler = async ({ deps, facility, envelope }: FsiCall) => {
  const { data } = readInput(total3201, envelope.input);
  const line = {
    insutype: data.insutype, clr_type: data.clr_type, fixmedins_setl_cnt: data.fixmedins_setl_cnt,
    medfee_sumamt: data.medfee_sumamt, fund_pay_sumamt: data.fund_pay_sumamt, acct_pay: data.acct_pay ?? 0,
  };
  const key = (l: { insutype: string; clr_type: string }) => `${l.insutype}/${l.clr_type}`;
  const { totals } = await bureauStatement(deps.db, facility.id, data.stmt_begndate, data.stmt_enddate).catch(renamedFields(PERIOD_NAMES));
  const { result } = await reconcile(deps.db, facility, {
    requestId: envelope.msgid, from: data.stmt_begndate, to: data.stmt_enddate, totals: [...totals.filter((l) => key(l) !== key(line)), line],
  }, `facility:${facility.code}`).catch(renamedFields(PERIOD_NAMES));
  return { stmtinfo: { setl_optins: data.setl_optins, ...outcomeOf(result.lines.find((l) => key(l) === key(line))) } };
};

const detailLine = z.object({
  setl_id: str(64),
  refd_setl_flag: code(['0', '1'], 'a reversal flag (0 settlement, 1 reversal)').default('0'),
  medfee_sumamt: signedYuan,
  fund_pay_sumamt: signedYuan,
  acct_pay: signedYuan.optional(),
});

const detail3202 = z.object({
  data: z.object({ setl_optins: str(6), stmt_begndate: day, stmt_enddate: day, clr_type: clrType.optional(), file_qury_no: optionalStr(60) }, { required_error: 'is missing' }),
  detail: z.array(detailLine, { required_error: 'is missing: Sanbao takes the settlements in the request (detail[]), not as a 9101 file' }).max(100_000),
});

/** 3202: every settlement and reversal of the period, one by one; the answer lists each recorded differently or on one side only. */
export const details3202: FsiHandler = async ({ deps, facility, envelope }: FsiCall) => {
  const { data, detail } = readInput(detail3202, envelope.input);
  const { totals } = await bureauStatement(deps.db, facility.id, data.stmt_begndate, data.stmt_enddate).catch(renamedFields(PERIOD_NAMES));
  const { result } = await reconcile(deps.db, facility, {
    requestId: envelope.msgid, from: data.stmt_begndate, to: data.stmt_enddate,
    // The totals are the bureau's own (a 3201 compares them); here the settlements decide.
    totals: totals.length > 0 ? totals : [{ insutype: '390', clr_type: '11', fixmedins_setl_cnt: 0, medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0 }],
    details: detail.map((d) => ({ setl_id: d.setl_id, refd_setl_flag: d.refd_setl_flag, medfee_sumamt: d.medfee_sumamt, fund_pay_sumamt: d.fund_pay_sumamt, acct_pay: d.acct_pay ?? 0 })),
  }, `facility:${facility.code}`).catch(renamedFields(PERIOD_NAMES));
  const differences = result.differences as readonly { setl_id: string; refd_setl_flag: string; kind?: string; bureau?: Record<string, number> | null; hospital?: Record<string, number> | null }[];
  const money = (x: Record<string, number> | null | undefined) => x && { medfee_sumamt: fenToYuan(x.medfee_sumamt!), fund_pay_sumamt: fenToYuan(x.fund_pay_sumamt!), acct_pay: fenToYuan(x.acct_pay!) };
  return {
    stmtinfo: {
      setl_optins: data.setl_optins,
      stmt_rslt: differences.length === 0 ? '0' : '1',
      stmt_rslt_dscr: differences.length === 0 ? '平衡 balanced' : `不平 not balanced: ${differences.length} settlement(s) differ`,
    },
    detail: differences.map((d) => ({ setl_id: d.setl_id, refd_setl_flag: d.refd_setl_flag, kind: d.kind, bureau: money(d.bureau), hospital: money(d.hospital) })),
  };
};
