/**
 * Fee lines and settlement of a visit opened through the national interface.
 * Lines are priced against the catalogue when uploaded (2204 / 2301: what the
 * HIS shows the patient) and again, all together, by the settlement itself;
 * pre-settle (2206 / 2303) and settle (2207 / 2304) are Sanbao's own preSettle
 * and settleBill on the visit's lines, the settlement's transaction id the
 * msgid, so a retry can never settle twice.
 */
import type { FeeLine, PricedLine } from '../../domain/catalogue/pricing.ts';
import type { CatalogueItem } from '../../domain/catalogue/items.ts';
import type { Step } from '../../domain/engine/types.ts';
import { conflict, DomainError, invalid, unprocessable } from '../../domain/errors.ts';
import type { Fen } from '../../domain/money.ts';
import { FUNDS, type Fund, type VisitKind } from '../../domain/vocabulary.ts';
import type { Db, Queryable } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import type { FacilityRow } from '../../store/repositories/facilities.ts';
import {
  cancelFsiFeeLines, feeLinesOf, linkVisitSettlement, upsertFsiFeeLines, visitOfSettlement, type FsiFeeLineRow, type FsiVisitRow, type LineSelection, type NewFsiFeeLine,
} from '../../store/repositories/fsi-visits.ts';
import { findPersonById, type PersonRow } from '../../store/repositories/persons.ts';
import { findSettlementByTransaction, type SettlementRow } from '../../store/repositories/settlements.ts';
import { billOfSettlement, priceBillLines } from '../itemised-bill.ts';
import { preSettle, settleBill, type BillRequest, type SettlementDeps } from '../settlement-service.ts';
import { reverseSettlement } from '../settlement-reversal.ts';
import { CLR_TYPE } from '../../domain/ledger/reconcile.ts';
import { accountBalanceOf, accountPartOf } from '../personal-account-pay.ts';
import { requireUnsettled, visitOf } from './fsi-visits.ts';

export interface UploadedLine extends NewFsiFeeLine {
  readonly mdtrtId: string;
  readonly psnNo: number;
}

export interface PricedUpload {
  readonly scheme: PersonRow['scheme'];
  readonly line: UploadedLine;
  readonly priced: PricedLine;
  readonly item: CatalogueItem;
}

/** Field names of the upload's lines, for errors: input.feedetail.3.pric. */
export type LineField = (index: number, field: 'feedetl_sn' | 'mdtrt_id' | 'psn_no' | 'med_list_codg' | 'det_item_fee_sumamt' | 'fee_ocur_time') => string;

const asFeeLine = (l: Pick<NewFsiFeeLine, 'medListCodg' | 'cnt' | 'pricFen' | 'amountFen' | 'feeDate' | 'department'>): FeeLine => ({
  code: l.medListCodg, quantity: l.cnt, unitPrice: l.pricFen, amount: l.amountFen, date: l.feeDate, department: l.department,
});
const rowAsLine = (r: FsiFeeLineRow): FeeLine => ({ code: r.med_list_codg, quantity: r.cnt, unitPrice: r.pric_fen, amount: r.amount_fen, date: r.fee_date, department: r.department });

function sameLine(stored: FsiFeeLineRow, l: UploadedLine): boolean {
  return stored.med_list_codg === l.medListCodg && stored.medins_list_codg === l.medinsListCodg && stored.fee_date === l.feeDate && stored.cnt === l.cnt
    && stored.pric_fen === l.pricFen && stored.amount_fen === l.amountFen && (stored.chrg_bchno ?? null) === (l.chrgBchno ?? null);
}

/** Which visits a group of transactions may touch: 2204–2207 outpatient and chronic, 2301–2304 inpatient. */
export type VisitGroup = 'outpatient' | 'inpatient';
const inGroup = (kind: VisitKind, group: VisitGroup) => (group === 'inpatient' ? kind === 'inpatient' : kind !== 'inpatient');

/**
 * 2204 / 2301: stores a visit's fee lines, each priced against the catalogue
 * for the facility's region on its date. A line number sent again with the
 * same content is accepted as it is; with other content it is refused.
 */
export async function uploadFeeLines(db: Db, facility: FacilityRow, msgid: string, group: VisitGroup, lines: readonly UploadedLine[], field: LineField): Promise<PricedUpload[]> {
  const first = lines[0]!;
  return db.transaction(async (tx) => {
    const visit = await visitOf(tx, facility, first.mdtrtId, first.psnNo, { mdtrtId: field(0, 'mdtrt_id'), psnNo: field(0, 'psn_no') }, true);
    if (!inGroup(visit.kind, group)) throw unprocessable('WRONG_VISIT_KIND', `visit ${visit.mdtrt_id} is ${visit.kind}: use the ${visit.kind === 'inpatient' ? '2301' : '2204'} upload`, field(0, 'mdtrt_id'));
    await requireUnsettled(tx, visit, field(0, 'mdtrt_id'));
    if (visit.status === 'cancelled') throw conflict('VISIT_CANCELLED', `visit ${visit.mdtrt_id} was cancelled`, field(0, 'mdtrt_id'));
    const stored = new Map((await feeLinesOf(tx, visit.id)).map((r) => [r.feedetl_sn, r]));
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      if (l.mdtrtId !== visit.mdtrt_id) throw invalid('MIXED_VISITS', 'all lines of one upload must be of one visit', field(i, 'mdtrt_id'));
      if (l.psnNo !== visit.person_id) throw unprocessable('PSN_NO_MISMATCH', `visit ${visit.mdtrt_id} is not of person ${l.psnNo}`, field(i, 'psn_no'));
      if (seen.has(l.feedetlSn)) throw invalid('DUPLICATE_FEEDETL_SN', `line number ${l.feedetlSn} is in this upload twice`, field(i, 'feedetl_sn'));
      seen.add(l.feedetlSn);
      if (l.amountFen !== l.cnt * l.pricFen) throw invalid('AMOUNT_MISMATCH', `the amount is not cnt × pric (${l.cnt} × ${l.pricFen} fen = ${l.cnt * l.pricFen} fen)`, field(i, 'det_item_fee_sumamt'));
      if (l.feeDate < visit.begin_date || (visit.end_date !== null && l.feeDate > visit.end_date)) {
        throw unprocessable('FEE_DATE_OUTSIDE_VISIT', `${l.feeDate} is outside the visit (${visit.begin_date}${visit.end_date ? ` to ${visit.end_date}` : ' onwards'})`, field(i, 'fee_ocur_time'));
      }
      const before = stored.get(l.feedetlSn);
      if (before && !sameLine(before, l)) throw conflict('FEE_LINE_EXISTS', `line ${l.feedetlSn} was uploaded before with other content; cancel it first`, field(i, 'feedetl_sn'));
    });
    const person = (await findPersonById(tx, visit.person_id))!;
    const priced = await priceLines(tx, facility, person, visit, lines, field);
    await upsertFsiFeeLines(tx, visit.id, msgid, lines.filter((l) => !stored.has(l.feedetlSn)));
    await audit(tx, {
      actor: `facility:${facility.code}`, action: 'fsi.fee_lines.upload', entity: 'person', entityId: visit.person_id,
      detail: { mdtrtId: visit.mdtrt_id, lines: lines.length, total: lines.reduce((s, l) => s + l.amountFen, 0) },
    });
    return priced;
  });
}

async function priceLines(q: Queryable, facility: FacilityRow, person: PersonRow, visit: FsiVisitRow, lines: readonly UploadedLine[], field: LineField): Promise<PricedUpload[]> {
  try {
    const bill = await priceBillLines(q, facility.division_code, person.scheme, { visit: { date: visit.begin_date }, lines: lines.map(asFeeLine) });
    return lines.map((line, i) => ({ scheme: person.scheme, line, priced: bill.priced!.lines[i]!, item: bill.items[i]! }));
  } catch (error) {
    // Sanbao names its own request's field (lines.3.code); the HIS knows the line by the interface's names.
    const m = error instanceof DomainError ? /^lines\.(\d+)\.(code|amount|date)$/.exec(error.field ?? '') : null;
    if (m) {
      const e = error as DomainError;
      const name = ({ code: 'med_list_codg', amount: 'det_item_fee_sumamt', date: 'fee_ocur_time' } as const)[m[2] as 'code' | 'amount' | 'date'];
      throw new DomainError(e.kind, e.code, e.message, field(Number(m[1]), name));
    }
    throw error;
  }
}

/** 2205 / 2302: cancels lines of an unsettled visit: one, a charge batch, or all ("0000" / none named). */
export async function cancelFeeLines(
  db: Db, facility: FacilityRow, c: { mdtrtId: string; psnNo: number; which: LineSelection },
  fields: { mdtrtId: string; psnNo: string; which: string },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const visit = await visitOf(tx, facility, c.mdtrtId, c.psnNo, fields, true);
    await requireUnsettled(tx, visit, fields.mdtrtId);
    const cancelled = await cancelFsiFeeLines(tx, visit.id, c.which);
    if (cancelled.length === 0 && !('all' in c.which)) throw unprocessable('NO_SUCH_FEE_LINES', 'no uploaded line of this visit matches', fields.which);
    await audit(tx, { actor: `facility:${facility.code}`, action: 'fsi.fee_lines.cancel', entity: 'person', entityId: visit.person_id, detail: { mdtrtId: c.mdtrtId, lines: cancelled } });
    return cancelled;
  });
}

/** What a settlement answers, in Sanbao's terms (the API maps it to setlinfo and setldetail). */
export interface VisitSettlement {
  readonly setlId: string | null;
  readonly visit: FsiVisitRow;
  readonly scheme: PersonRow['scheme'];
  readonly total: Fen;
  readonly compliant: Fen;
  readonly funds: Readonly<Record<Fund, Fen>>;
  readonly selfPay: Fen;
  readonly steps: readonly Step[];
  readonly aboveCap: Fen;
  readonly excluded: Fen;
  readonly selfPayFirst: Fen;
  readonly status: 'settled' | 'reversed' | 'trial';
  readonly at: Date;
  /** What personal accounts paid of the patient's part (acct_pay, acct_mulaid_pay) and the own account's balance after; none: all cash. */
  readonly account?: { readonly acctPay: Fen; readonly acctMulaidPay: Fen; readonly balance: Fen } | undefined;
}

export interface SettleVisit {
  readonly mdtrtId: string;
  readonly psnNo: number;
  readonly insutype: string;
  readonly medfeeSumamt: Fen;
  /** When the HIS sends it, it must be the visit's. */
  readonly medType?: string | undefined;
  /** acct_used_flag "1": the patient pays their part from the personal account(s) as far as they hold. */
  readonly acctUsed?: boolean | undefined;
}

export interface SettleFields {
  readonly mdtrtId: string;
  readonly psnNo: string;
  readonly insutype: string;
  readonly medfeeSumamt: string;
  readonly medType: string;
}

/** The visit's unsettled lines as a Sanbao bill; medfee_sumamt must be their sum. */
async function billOfVisit(q: Queryable, facility: FacilityRow, group: VisitGroup, s: SettleVisit, fields: SettleFields) {
  const visit = await visitOf(q, facility, s.mdtrtId, s.psnNo, fields);
  if (!inGroup(visit.kind, group)) throw unprocessable('WRONG_VISIT_KIND', `visit ${visit.mdtrt_id} is ${visit.kind}: settle it with ${visit.kind === 'inpatient' ? '2304' : '2207'}`, fields.mdtrtId);
  if (s.medType !== undefined && s.medType !== visit.med_type) throw unprocessable('MED_TYPE_MISMATCH', `visit ${visit.mdtrt_id} is of med_type ${visit.med_type}`, fields.medType);
  if (s.insutype !== visit.insutype) throw unprocessable('INSUTYPE_MISMATCH', `visit ${visit.mdtrt_id} was opened under insutype ${visit.insutype}`, fields.insutype);
  await requireUnsettled(q, visit, fields.mdtrtId);
  const rows = await feeLinesOf(q, visit.id);
  if (rows.length === 0) throw unprocessable('NO_FEE_LINES', `visit ${visit.mdtrt_id} has no fee lines; upload them first`, fields.mdtrtId);
  const sum = rows.reduce((t, r) => t + r.amount_fen, 0);
  if (sum !== s.medfeeSumamt) throw unprocessable('MEDFEE_MISMATCH', `the uploaded lines add up to ${sum} fen, not ${s.medfeeSumamt}`, fields.medfeeSumamt);
  const person = (await findPersonById(q, visit.person_id))!;
  const bill: BillRequest = {
    patient: { idNumber: person.id_number },
    visit: {
      kind: visit.kind, date: visit.begin_date, diagnosis: visit.diagnosis ?? undefined,
      dischargeDate: visit.kind === 'inpatient' ? (visit.end_date ?? rows.reduce((d, r) => (r.fee_date > d ? r.fee_date : d), visit.begin_date)) : undefined,
    },
    lines: rows.map(rowAsLine),
  };
  return { visit, person, bill };
}

function partsOf(lines: readonly { aboveCap: Fen; excluded: Fen; selfPayFirst: Fen }[]) {
  return lines.reduce((p, l) => ({ aboveCap: p.aboveCap + l.aboveCap, excluded: p.excluded + l.excluded, selfPayFirst: p.selfPayFirst + l.selfPayFirst }), { aboveCap: 0, excluded: 0, selfPayFirst: 0 });
}

/** 2206 / 2303: the settlement of the visit's lines with the person's real year-to-date; writes nothing. */
export async function preSettleVisit(deps: SettlementDeps, facility: FacilityRow, group: VisitGroup, s: SettleVisit, fields: SettleFields): Promise<VisitSettlement> {
  const { visit, person, bill } = await billOfVisit(deps.db, facility, group, s, fields);
  const r = await preSettle(deps, facility, { ...bill, ...(s.acctUsed ? { acctUsedFlag: true } : {}) });
  const balance = (await accountBalanceOf(deps.db, person)) ?? 0;
  return {
    setlId: null, visit, scheme: person.scheme, total: r.total, compliant: r.compliant, funds: r.funds, selfPay: r.selfPay, steps: r.steps,
    ...partsOf(r.lines), status: 'trial', at: new Date(),
    // A trial tells what the accounts would pay now, and what they would hold after.
    account: r.account ? { acctPay: r.account.acctPay, acctMulaidPay: r.account.acctMulaidPay, balance: balance - r.account.acctPay } : { acctPay: 0, acctMulaidPay: 0, balance },
  };
}

export function fromSettlementRow(
  row: SettlementRow, visit: FsiVisitRow, scheme: PersonRow['scheme'], lines: readonly { aboveCap: Fen; excluded: Fen; selfPayFirst: Fen }[],
  account: { acctPay: Fen; acctMulaidPay: Fen; balance: Fen },
): VisitSettlement {
  return {
    setlId: row.transaction_id, visit, scheme, total: row.total_fen, compliant: row.compliant_fen, funds: row.funds, selfPay: row.self_pay,
    // The explanation's steps are the funds' (the account's own steps are not a fund).
    steps: row.steps.filter((st) => (FUNDS as readonly string[]).includes(st.fund)),
    ...partsOf(lines), status: row.status, at: new Date(row.settled_at), account,
  };
}

/** 2207 / 2304: settles the visit (transaction id = msgid) and links the settlement to it. */
export async function settleVisit(deps: SettlementDeps, facility: FacilityRow, msgid: string, group: VisitGroup, s: SettleVisit, fields: SettleFields): Promise<VisitSettlement> {
  const { visit, person, bill } = await billOfVisit(deps.db, facility, group, s, fields);
  const outcome = await settleBill(deps, facility, { ...bill, transactionId: msgid, ...(s.acctUsed ? { acctUsedFlag: true } : {}) });
  await linkVisitSettlement(deps.db, { settlementId: outcome.settlement.id, visitId: visit.id, insutype: s.insutype, clrType: clrTypeOf(visit.kind) });
  const lines = outcome.bill?.lines ?? (await billOfSettlement(deps.db, outcome.settlement.id)).lines;
  const paid = outcome.account ?? (await accountPartOf(deps.db, outcome.settlement.id, outcome.settlement.self_pay));
  const balance = (await accountBalanceOf(deps.db, person)) ?? 0;
  return fromSettlementRow(outcome.settlement, visit, person.scheme, lines, { acctPay: paid.acctPay, acctMulaidPay: paid.acctMulaidPay, balance });
}

export const clrTypeOf = (kind: VisitKind): string => CLR_TYPE[kind];

/** A settlement of this facility made through the interface, with its visit; 404 naming the field otherwise. */
export async function interfaceSettlement(q: Queryable, facility: FacilityRow, setlId: string, field: string) {
  const row = await findSettlementByTransaction(q, facility.id, setlId);
  const visit = row ? await visitOfSettlement(q, row.id) : undefined;
  if (!row || !visit) throw unprocessable('UNKNOWN_SETL_ID', `no settlement ${setlId} of this facility through the national interface`, field);
  return { row, visit };
}

/**
 * 2208 / 2305 / 2601: cancels a settlement — Sanbao's reversal (冲正), with the
 * re-adjudication of the person's later bills; the reversal id is the msgid,
 * so a retry reverses once. The visit's lines may then be changed and settled again.
 */
export async function cancelVisitSettlement(
  deps: SettlementDeps, facility: FacilityRow, msgid: string, c: { setlId: string; mdtrtId?: string | undefined; psnNo: number },
  fields: { setlId: string; mdtrtId: string; psnNo: string },
): Promise<VisitSettlement> {
  const { row, visit } = await interfaceSettlement(deps.db, facility, c.setlId, fields.setlId);
  if (c.mdtrtId !== undefined && visit.mdtrt_id !== c.mdtrtId) throw unprocessable('MDTRT_ID_MISMATCH', `settlement ${c.setlId} is of visit ${visit.mdtrt_id}`, fields.mdtrtId);
  if (row.person_id !== c.psnNo) throw unprocessable('PSN_NO_MISMATCH', `settlement ${c.setlId} is not of person ${c.psnNo}`, fields.psnNo);
  // What the accounts paid, before the reversal gives it back.
  const paid = await accountPartOf(deps.db, row.id, row.self_pay);
  const reversed = await reverseSettlement(deps, facility, c.setlId, msgid);
  const person = (await findPersonById(deps.db, row.person_id))!;
  const balance = (await accountBalanceOf(deps.db, person)) ?? 0;
  return fromSettlementRow(reversed, visit, person.scheme, (await billOfSettlement(deps.db, row.id)).lines, { acctPay: paid.acctPay, acctMulaidPay: paid.acctMulaidPay, balance });
}

