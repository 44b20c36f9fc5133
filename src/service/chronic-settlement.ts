/**
 * A chronic visit settles only against an approved disease whose ICD-10 codes
 * cover the bill's diagnosis, within that disease's yearly limit (422 with a
 * code otherwise). The approval's disease, not the hospital, sets the class.
 */
import { chronicFundForEngine, matchChronicVisit } from '../domain/catalogue/chronic-visit.ts';
import type { Visit, YearToDate } from '../domain/engine/types.ts';
import { unprocessable } from '../domain/errors.ts';
import type { Policy } from '../domain/policy/types.ts';
import type { Queryable } from '../store/db.ts';
import { approvalsForVisit } from '../store/repositories/chronic-approvals.ts';
import type { PersonRow } from '../store/repositories/persons.ts';

export interface ChronicTerms {
  /** The visit with the approved disease's class. */
  readonly visit: Visit;
  /** The year-to-date to give the engine: its chronic fund raised so what is left is the tighter of class and disease limits. */
  readonly yearToDate: YearToDate;
  readonly chronic: { readonly region: string; readonly code: string; readonly approvalId: number; readonly name: string; readonly remaining: number } | null;
}

export async function chronicTerms(q: Queryable, person: PersonRow, policy: Policy, visit: Visit, diagnosis: string | undefined, ytd: YearToDate): Promise<ChronicTerms> {
  if (visit.kind !== 'chronic') return { visit, yearToDate: ytd, chronic: null };
  const approvals = await approvalsForVisit(q, person.id, visit.date, person.scheme);
  const match = matchChronicVisit(approvals, visit.date, diagnosis);
  if (!match.ok) throw unprocessable(match.code, match.message, match.code === 'CHRONIC_LIMIT_REACHED' ? 'visit' : 'visit.diagnosis');
  const disease = match.approval.disease;
  const benefits = person.scheme === 'employee' ? policy.benefits.employee : policy.benefits.resident;
  const classLimit = benefits?.chronic.classLimits[disease.class] ?? 0;
  return {
    visit: { ...visit, chronicClass: disease.class },
    yearToDate: { ...ytd, chronicFund: chronicFundForEngine(ytd.chronicFund, classLimit, match.remaining) },
    chronic: { region: disease.region, code: disease.code, approvalId: match.approval.approvalId, name: disease.name, remaining: match.remaining },
  };
}
