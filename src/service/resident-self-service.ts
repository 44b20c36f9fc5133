/**
 * What a signed-in resident may see and do: their enrollment and what was
 * paid, every reimbursement with what each fund paid, a trial calculation on
 * their own identities and year-to-date, and out-of-area filing.
 */
import { coverOf } from '../store/repositories/cover.ts';
import { continuityOf } from './enrollment-cover.ts';
import { FUNDS } from '../domain/vocabulary.ts';
import type { AdjustmentRow } from '../store/repositories/adjustments.ts';
import { withAdjustments } from './adjusted-settlements.ts';
import { settle } from '../domain/engine/settle.ts';
import type { Settlement, Visit } from '../domain/engine/types.ts';
import { invalid, unprocessable } from '../domain/errors.ts';
import { checkFilingPeriod, DEFAULT_FILING_LIMITS, type FilingLimits } from '../domain/policy/filing-limits.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { maskIdNumber, maskPhone } from '../domain/privacy.ts';
import type { Fen } from '../domain/money.ts';
import type { Db, Queryable } from '../store/db.ts';
import { readSupplementaryYearToDate, readYearToDate, supplementaryYearToDateOf } from '../store/repositories/accumulators.ts';
import { audit } from '../store/repositories/audit.ts';
import { insertFiling, listFilings, type FilingChannel, type FilingReason, type FilingRow } from '../store/repositories/out-of-area-filings.ts';
import { identitiesOf, toSpans, type PersonRow } from '../store/repositories/persons.ts';
import { listSettlements } from '../store/repositories/settlements.ts';

/**
 * The day a trial calculation starts from: today when a policy covers the
 * person's area this year, else the last day of the latest earlier year a
 * policy covers (the first day of the earliest later one when there is none):
 * never a day that answers NO_POLICY while some policy covers the area.
 */
export function quoteDefaultDate(policies: PolicyRegistry, divisionCode: string, today: string): string {
  const thisYear = Number(today.slice(0, 4));
  if (policies.forDivision(divisionCode, thisYear)) return today;
  const years = [...new Set(policies.list().map((p) => p.year))].filter((y) => policies.forDivision(divisionCode, y)).sort((a, b) => a - b);
  const earlier = years.filter((y) => y < thisYear).at(-1);
  if (earlier !== undefined) return `${earlier}-12-31`;
  const later = years.find((y) => y > thisYear);
  return later !== undefined ? `${later}-01-01` : today;
}

export async function residentOverview(q: Queryable, person: PersonRow, policies?: PolicyRegistry, today?: string) {
  const [enrollments, identities, division, names] = await Promise.all([
    q.query(
      `SELECT year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_department, individual_fen, paid_fen, status,
         cover_from::text AS cover_from, cover_decision
       FROM enrollments WHERE person_id = $1 ORDER BY year DESC`,
      [person.id],
    ),
    identitiesOf(q, person.id),
    q.query<{ name: string; name_bo: string | null; name_en: string | null }>('SELECT name, name_bo, name_en FROM divisions WHERE code = $1', [
      person.division_code,
    ]),
    q.query<{ name_bo: string | null }>('SELECT name_bo FROM persons WHERE id = $1', [person.id]),
  ]);
  return {
    person: {
      id: person.id,
      name: person.name,
      nameBo: names[0]?.name_bo ?? null,
      idNumber: maskIdNumber(person.id_number),
      phone: person.phone ? maskPhone(person.phone) : null,
      divisionCode: person.division_code,
      division: division[0] ?? null,
      scheme: person.scheme,
      // The e-insurance code (电子医保凭证) the page draws as a QR code for the hospital's scanner (identify by qrToken).
      qrToken: person.qr_token,
    },
    ...(policies && today ? { quote: { date: quoteDefaultDate(policies, person.division_code, today) } } : {}),
    identities: identities.map((i) => ({ identity: i.identity, validFrom: i.valid_from, validTo: i.valid_to, department: i.department })),
    enrollments: enrollments.map((e) => ({
      year: e.year, policy: e.policy_id, scheme: e.scheme, tier: e.tier, contribution: Number(e.contribution_fen), subsidy: Number(e.subsidy_fen),
      subsidyIdentity: e.subsidy_identity, subsidyDepartment: e.subsidy_department, individual: Number(e.individual_fen), paid: Number(e.paid_fen),
      status: e.status,
      // When a waiting period applies (paid outside the collection window), the resident is told when cover starts.
      coverFrom: e.cover_from ?? null,
      waitingMonths: (e.cover_decision as { reason?: string; waitingMonths?: number } | null)?.reason === 'waiting_period'
        ? Number((e.cover_decision as { waitingMonths: number }).waitingMonths) : 0,
    })),
  };
}

/** An adjustment entry as the resident sees it: why, and what each fund and they themselves pay more or less. */
function residentAdjustment(a: AdjustmentRow) {
  return {
    id: a.id, kind: a.kind, settlementId: a.settlement_id,
    cause: { change: a.cause.change, settlementId: a.cause.settlementId, visitDate: a.cause.visitDate, facility: a.cause.facilityName },
    entries: FUNDS.filter((f) => a.funds[f] !== 0).map((fund) => ({ fund, direction: a.funds[fund] > 0 ? 'pay' : 'recover', amount: Math.abs(a.funds[fund]) })),
    selfPay: a.self_pay, steps: a.steps, createdAt: new Date(a.created_at).toISOString(),
  };
}

export async function residentSettlements(q: Queryable, person: PersonRow) {
  const rows = await withAdjustments(q, await listSettlements(q, { personId: person.id, limit: 200 }));
  return rows.map(({ settlement: s, adjustments, effective }) => ({
    id: s.id, date: s.visit_date, kind: s.visit_kind, level: s.visit_level, facility: s.facility_name, facilityBo: s.facility_name_bo ?? null, total: Number(s.total_fen),
    compliant: Number(s.compliant_fen), funds: s.funds, selfPay: Number(s.self_pay), status: s.status, steps: s.steps,
    effective, adjustments: adjustments.map(residentAdjustment),
  }));
}

export interface ResidentQuoteInput {
  kind: Visit['kind'];
  level: Visit['level'];
  date: string;
  total: Fen;
  compliant: Fen;
  outOfArea?: boolean;
  filed?: boolean;
  chronicClass?: 'A' | 'B';
}

/** "What would this bill cost me?" — the engine on the person's own policy, identities and year-to-date; writes nothing. */
export async function residentQuote(q: Queryable, policies: PolicyRegistry, person: PersonRow, input: ResidentQuoteInput): Promise<Settlement> {
  if (input.compliant > input.total) throw invalid('COMPLIANT_ABOVE_TOTAL', 'the compliant part cannot exceed the total', 'compliant');
  const year = Number(input.date.slice(0, 4));
  const policy = policies.forDivision(person.division_code, year);
  if (!policy) throw unprocessable('NO_POLICY', `no policy covers your area in ${year}`, 'date');
  const [ytd, tiers, identities, cover, continuity] = await Promise.all([
    readYearToDate(q, person.id, year), readSupplementaryYearToDate(q, person.id, year), identitiesOf(q, person.id), coverOf(q, person.id, year), continuityOf(q, person.id, year),
  ]);
  const visit: Visit = {
    kind: input.kind, level: input.level, date: input.date, outOfArea: input.outOfArea ?? false, filed: input.filed ?? false,
    ...(input.kind === 'chronic' ? { chronicClass: input.chronicClass ?? 'B' } : {}),
  };
  return settle(policy, {
    person: { scheme: person.scheme, identities: toSpans(identities), status: person.employment_status },
    visit,
    amounts: { total: input.total, compliant: input.compliant },
    yearToDate: ytd,
    supplementaryYearToDate: supplementaryYearToDateOf(ytd.supplementary, tiers),
    // A date before the resident's cover starts (a waiting period) is answered NOT_COVERED, as the hospital would be.
    coverFrom: cover?.cover_from ?? null,
    continuity,
  });
}

export interface FilingInput {
  treatmentPlace: string;
  treatmentDivision?: string | undefined;
  reason: FilingReason;
  validFrom: string;
  validTo: string;
}

/**
 * The filing limits for a person: those of the policy covering their area in
 * the year the filing starts, else in the latest year a policy covers it,
 * else the defaults.
 */
export function filingLimitsFor(policies: PolicyRegistry, divisionCode: string, validFrom: string): FilingLimits {
  const year = Number(validFrom.slice(0, 4));
  const exact = policies.forDivision(divisionCode, year);
  if (exact) return exact.outOfAreaFiling;
  const latest = policies.list().filter((p) => policies.forDivision(divisionCode, p.year) === p).sort((a, b) => b.year - a.year)[0];
  return latest?.outOfAreaFiling ?? DEFAULT_FILING_LIMITS;
}

/**
 * Files out-of-area treatment for a person (online by the resident, or at a
 * window / by phone by staff), within the policy's limits for the reason:
 * no backdating beyond its grace, no end beyond its longest period.
 */
export async function fileOutOfArea(
  db: Db, policies: PolicyRegistry, person: PersonRow, input: FilingInput, channel: FilingChannel, actor: string, today: string,
): Promise<FilingRow> {
  if (input.validTo < input.validFrom) throw invalid('INVALID_PERIOD', 'the filing ends before it starts', 'validTo');
  checkFilingPeriod(filingLimitsFor(policies, person.division_code, input.validFrom), input, today);
  // 常驻异地工作: an employer posts an employee elsewhere; a resident has no employer to post them.
  if (input.reason === 'work_elsewhere' && person.scheme !== 'employee') {
    throw unprocessable('FILING_REASON_NOT_FOR_SCHEME', 'a work-elsewhere filing (常驻异地工作) is for the employee scheme; a resident files as living elsewhere', 'reason');
  }
  // The filing and its audit entry commit together, or neither does.
  return db.transaction(async (tx) => {
    const filing = await insertFiling(tx, {
      personId: person.id, insuredDivision: person.division_code, treatmentPlace: input.treatmentPlace,
      treatmentDivision: input.treatmentDivision ?? null, reason: input.reason, validFrom: input.validFrom, validTo: input.validTo,
      channel, createdBy: actor,
    });
    await audit(tx, { actor, action: 'filing.create', entity: 'person', entityId: person.id, detail: { filing: filing.id, channel, reason: input.reason } });
    return filing;
  });
}

export { listFilings };
