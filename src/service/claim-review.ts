/**
 * Claim review (智能审核): the rules run on every settlement, in its own
 * transaction, flagging and never blocking; and in batch over a period,
 * person by person, with the same rule functions. A flag is raised once
 * (by its key), however often a period is reviewed again.
 */
import { resolveItem, type CatalogueItem } from '../domain/catalogue/items.ts';
import { regionReach } from '../domain/catalogue/table.ts';
import type { ReviewBill, ReviewLine } from '../domain/review/facts.ts';
import { reviewBill, reviewPerson } from '../domain/review/review.ts';
import { ruleSet, type RuleConfig, type RuleId } from '../domain/review/rules.ts';
import { invalid } from '../domain/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { itemsByCodes } from '../store/repositories/catalogue-items.ts';
import {
  chunkFacts, countBillsInPeriod, facilityDivisions, facilityLevels, finishRun, nextPeople, startRun, type BillFact, type LineFact,
} from '../store/repositories/review-facts.ts';
import { holdIdRanges } from '../store/repositories/settlement-partitions.ts';
import { insertFlags, loadRules, toRuleConfigs, type FlagWrite, type StoredRule } from '../store/repositories/review-flags.ts';

/** How far around a bill the real-time review looks for the person's other bills. */
export const HISTORY_DAYS = 60;

function toBill(b: BillFact, lines: readonly ReviewLine[]): ReviewBill {
  return {
    settlementId: Number(b.settlement_id), personId: Number(b.person_id), facilityId: Number(b.facility_id), kind: b.kind,
    admission: b.admission, discharge: b.discharge, diagnosis: b.diagnosis, compliant: Number(b.compliant_fen), sex: b.sex, birthDate: b.birth_date, lines,
  };
}

function withFacts(flags: ReturnType<typeof reviewBill>, bills: ReadonlyMap<number, ReviewBill>): FlagWrite[] {
  return flags.map((f) => {
    const b = bills.get(f.settlementId)!;
    return { ...f, facilityId: b.facilityId, personId: b.personId, visitDate: b.admission };
  });
}

/**
 * The rule set of rules as read with a settle context. A batch's bills share one
 * read of the rules (one array): its rule set is built once for them all. Each
 * context reads the rules anew, so a change of rules counts from the next read.
 */
const ruleSets = new WeakMap<readonly StoredRule[], ReadonlyMap<RuleId, RuleConfig>>();
function rulesOf(stored: readonly StoredRule[]): ReadonlyMap<RuleId, RuleConfig> {
  let rules = ruleSets.get(stored);
  if (!rules) ruleSets.set(stored, (rules = ruleSet(toRuleConfigs(stored))));
  return rules;
}

/**
 * Reviews one settlement as it is written (same transaction): its lines with
 * the catalogue entries they were priced with, against the person's bills near
 * it and the rules in force, both read with the settle context.
 */
export async function reviewOnSettle(
  q: Queryable,
  bill: Omit<ReviewBill, 'lines'>,
  lines: readonly { index: number; code: string; date: string; quantity: number; unitPrice: number; compliant: number; item: CatalogueItem }[],
  context: { rules: readonly StoredRule[]; history: readonly BillFact[] },
): Promise<number> {
  const { full, flags } = realtimeReview(bill, lines, context);
  return insertFlags(q, withFacts(flags, new Map([[full.settlementId, full]])), 'realtime', null);
}

type SettleReviewLines = Parameters<typeof reviewOnSettle>[2];

function realtimeReview(bill: Omit<ReviewBill, 'lines'>, lines: SettleReviewLines, context: { rules: readonly StoredRule[]; history: readonly BillFact[] }) {
  const rules = rulesOf(context.rules);
  const needsHistory = bill.kind !== 'chronic' && (['readmission', 'concurrent_stays', 'outpatient_splitting'] as RuleId[]).some((r) => rules.get(r)?.enabled);
  const others = needsHistory ? context.history.filter((b) => Number(b.settlement_id) !== bill.settlementId).map((b) => toBill(b, [])) : [];
  const full: ReviewBill = { ...bill, lines: lines.map((l) => ({ ...l, restrictions: l.item.restrictions })) };
  return { full, flags: reviewBill(full, others, rules) };
}

/**
 * Before the bill is written (its id not known yet): whether reviewOnSettle could
 * flag it. The bill is given an id above every other: the history rules count only
 * bills of lower ids than the reviewed one (concurrent stays, split outpatient
 * visits) or any but itself (readmission), so a bill no rule flags with that id is
 * flagged by none with the id it gets (test/claim-review-before-write.test.ts).
 */
export function mayFlagOnSettle(bill: Omit<ReviewBill, 'lines' | 'settlementId'>, lines: SettleReviewLines, context: { rules: readonly StoredRule[]; history: readonly BillFact[] }): boolean {
  return realtimeReview({ ...bill, settlementId: Number.MAX_SAFE_INTEGER }, lines, context).flags.length > 0;
}

/**
 * Writes a batch run's flags of one chunk, holding the ranges (holdIdRanges):
 * a year archived since the chunk was read has its flags dropped (insertFlags
 * writes none on an archived bill), and a year archive waits for this write,
 * so its REVIEW_OPEN check sees the flags. Returns how many were new.
 */
export function writeBatchFlags(db: Db, flags: readonly FlagWrite[], runId: number): Promise<number> {
  if (flags.length === 0) return Promise.resolve(0);
  return db.transaction(async (tx) => {
    await holdIdRanges(tx);
    return insertFlags(tx, flags, 'batch', runId);
  });
}

export interface BatchReviewResult {
  readonly runId: number;
  readonly settlements: number;
  readonly lines: number;
  readonly flagsNew: number;
  readonly byRule: Readonly<Record<string, number>>;
}

/** Reviews every settled bill admitted in [from, to], person by person, in chunks; new flags are written per chunk. */
export async function runBatchReview(
  db: Db,
  request: { from: string; to: string; actor: string; chunkPeople?: number; onProgress?: (done: number, total: number) => void },
): Promise<BatchReviewResult> {
  if (request.to < request.from) throw invalid('INVALID_PERIOD', `to ${request.to} is before from ${request.from}`, 'to');
  const rules: ReadonlyMap<RuleId, RuleConfig> = ruleSet(await loadRules(db));
  const divisions = await facilityDivisions(db);
  const levels = await facilityLevels(db);
  const total = await countBillsInPeriod(db, request.from, request.to);
  const runId = await startRun(db, request.from, request.to, request.actor);
  const catalogue = new Map<string, CatalogueItem[]>();
  const byRule: Record<string, number> = {};
  let after = 0;
  let settlements = 0;
  let lineCount = 0;
  let flagsNew = 0;
  // The next chunk is read while this one is reviewed and its flags written (two connections: the database and Node work at once).
  const fetchChunk = async (afterPerson: number) => {
    const upTo = await nextPeople(db, { from: request.from, to: request.to, afterPerson, limit: request.chunkPeople ?? 5_000 });
    return upTo === null ? null : { upTo, ...(await chunkFacts(db, { from: request.from, to: request.to, afterPerson, upTo })) };
  };
  let pending = fetchChunk(after);
  for (;;) {
    const chunk = await pending;
    if (chunk === null) break;
    const { upTo, bills, lines } = chunk;
    pending = fetchChunk(upTo);
    // An unhandled rejection of the prefetch while this chunk is reviewed would crash the process: it is awaited on the next turn.
    pending.catch(() => undefined);
    const missing = [...new Set(lines.map((l) => l.code))].filter((c) => !catalogue.has(c));
    if (missing.length > 0) {
      for (const c of missing) catalogue.set(c, []);
      for (const item of await itemsByCodes(db, missing)) catalogue.get(item.code)!.push(item);
    }
    const linesOf = groupLines(lines);
    const reviewed = new Map<number, ReviewBill>();
    const people = new Map<number, ReviewBill[]>();
    for (const b of bills) {
      const division = divisions.get(Number(b.facility_id)) ?? '';
      const billLines = (linesOf.get(Number(b.settlement_id)) ?? []).map((l): ReviewLine => ({
        index: l.line_no, code: l.code, date: l.date, quantity: l.quantity, unitPrice: Number(l.unit_price_fen), compliant: Number(l.compliant_fen),
        restrictions: resolveItem(catalogue.get(l.code) ?? [], l.code, l.date, division, regionReach)?.restrictions,
      }));
      const bill: ReviewBill = { ...toBill(b, billLines), level: levels.get(Number(b.facility_id)) };
      reviewed.set(bill.settlementId, bill);
      const list = people.get(bill.personId) ?? [];
      list.push(bill);
      people.set(bill.personId, list);
      lineCount += billLines.length;
    }
    const flags = [...people.values()].flatMap((personBills) => reviewPerson(personBills, rules));
    for (const f of flags) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    flagsNew += await writeBatchFlags(db, withFacts(flags, reviewed), runId);
    settlements += bills.length;
    after = upTo;
    request.onProgress?.(settlements, total);
  }
  await finishRun(db, runId, { settlements, lines: lineCount, flagsNew });
  await audit(db, { actor: request.actor, action: 'review.batch', entity: 'review_run', entityId: runId, detail: { from: request.from, to: request.to, settlements, flagsNew } });
  return { runId, settlements, lines: lineCount, flagsNew, byRule };
}

function groupLines(lines: readonly LineFact[]): Map<number, LineFact[]> {
  const out = new Map<number, LineFact[]>();
  for (const l of lines) {
    const id = Number(l.settlement_id);
    const list = out.get(id);
    if (list) list.push(l);
    else out.set(id, [l]);
  }
  return out;
}
