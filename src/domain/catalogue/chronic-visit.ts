/**
 * Which approval a chronic visit settles against (门诊慢特病): an active
 * approval valid on the visit date whose disease's ICD-10 codes cover the
 * bill's diagnosis, with something left of the disease's yearly limit. The
 * engine then sees the tighter of the policy's class limit and the disease's.
 */
import type { Fen } from '../money.ts';
import type { ChronicClass } from '../vocabulary.ts';
import { diagnosisFits, type ChronicDisease } from './chronic-diseases.ts';

export interface ApprovalWithDisease {
  readonly approvalId: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly disease: ChronicDisease;
  /** What the funds paid for this disease this calendar year so far. */
  readonly usedThisYear: Fen;
}

export type ChronicMatch =
  | { readonly ok: true; readonly approval: ApprovalWithDisease; readonly remaining: Fen }
  | { readonly ok: false; readonly code: 'CHRONIC_DIAGNOSIS_REQUIRED' | 'CHRONIC_NOT_APPROVED' | 'CHRONIC_LIMIT_REACHED'; readonly message: string };

export function matchChronicVisit(approvals: readonly ApprovalWithDisease[], date: string, diagnosis: string | null | undefined): ChronicMatch {
  if (!diagnosis || diagnosis.trim() === '') {
    return { ok: false, code: 'CHRONIC_DIAGNOSIS_REQUIRED', message: 'a chronic visit needs visit.diagnosis, the ICD-10 code of the approved disease' };
  }
  const fitting = approvals.filter((a) => a.validFrom <= date && a.validTo >= date && diagnosisFits(a.disease, diagnosis));
  if (fitting.length === 0) {
    return { ok: false, code: 'CHRONIC_NOT_APPROVED', message: `no chronic-disease approval valid on ${date} covers diagnosis ${diagnosis}` };
  }
  // The approval with the most left this year; ties: the first approved.
  const best = [...fitting].sort((a, b) => b.disease.yearlyLimit - b.usedThisYear - (a.disease.yearlyLimit - a.usedThisYear) || a.approvalId - b.approvalId)[0]!;
  const remaining = Math.max(0, best.disease.yearlyLimit - best.usedThisYear);
  if (remaining === 0) {
    return { ok: false, code: 'CHRONIC_LIMIT_REACHED', message: `the yearly limit of ${best.disease.name} (${best.disease.code}) is used up for this year` };
  }
  return { ok: true, approval: best, remaining };
}

/**
 * The chronic-fund figure to give the engine so that what it has left is the
 * smaller of the class limit's remainder and the disease's.
 */
export function chronicFundForEngine(chronicFund: Fen, classLimit: Fen, diseaseRemaining: Fen): Fen {
  return Math.max(chronicFund, classLimit - diseaseRemaining);
}

export function classOf(approval: ApprovalWithDisease): ChronicClass {
  return approval.disease.class;
}
