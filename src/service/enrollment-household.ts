/**
 * A household as a clerk or a resident sees it for a year: its members, their
 * identities, what each pays and is subsidised, and what the household pays.
 * Before the campaign reaches a member, the figures are computed from the
 * year's policy (the same rule the campaign applies).
 */
import { householdTotals } from '../domain/enrollment/campaign.ts';
import { contributionFor } from '../domain/enrollment/contribution.ts';
import { notFound } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { showPerson } from '../domain/privacy.ts';
import type { Identity } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findHousehold, householdMembers } from '../store/repositories/coverage.ts';
import { paymentsOf } from '../store/repositories/payments.ts';
import { checkYear } from './enrollment-campaign.ts';
import type { Viewer } from './enrollment-reports.ts';

/** The household's division, for the caller's scope check before anything is shown. */
export async function householdRef(q: Queryable, ref: { id?: number; code?: string }) {
  const household = await findHousehold(q, ref);
  if (!household) throw notFound('UNKNOWN_HOUSEHOLD', `no household ${ref.code ?? ref.id}`, 'household');
  return household;
}

export async function householdView(q: Queryable, policies: PolicyRegistry, householdId: number, year: number, viewer: Viewer) {
  checkYear(year);
  const household = await householdRef(q, { id: householdId });
  const members = await householdMembers(q, householdId, year);
  const identities = await q.query<{ person_id: number; identity: Identity; valid_from: string; valid_to: string | null; department: string }>(
    `SELECT person_id, identity, valid_from::text AS valid_from, valid_to::text AS valid_to, department FROM identities
     WHERE person_id = ANY($1::bigint[]) AND ended_at IS NULL AND valid_from <= make_date($2::int, 12, 31)
       AND (valid_to IS NULL OR valid_to >= make_date($2::int, 1, 1)) ORDER BY person_id, identity`,
    [members.map((m) => m.person_id), year],
  );
  if (viewer.unmask) {
    await audit(q, { actor: viewer.actor, action: 'person.unmask', entity: 'household', entityId: householdId, detail: { persons: members.map((m) => m.person_id) } });
  }
  const view = members.map((m) => {
    const own = identities.filter((i) => i.person_id === m.person_id);
    const e = m.enrollment;
    const policy = e ? undefined : policies.forDivision(m.division_code, year);
    const c = policy ? contributionFor(policy, own.map((i) => i.identity)) : undefined;
    return {
      personId: m.person_id,
      ...showPerson({ name: m.name, idNumber: m.id_number, phone: m.phone, birthDate: m.birth_date }, viewer.unmask),
      relation: m.relation,
      sex: m.sex,
      identities: own.map((i) => ({ identity: i.identity, validFrom: i.valid_from, validTo: i.valid_to, department: i.department })),
      status: e ? e.status : 'not_opened',
      policy: e?.policy_id ?? policy?.id ?? null,
      tier: e?.tier ?? c?.tier ?? null,
      contribution: e?.contribution_fen ?? c?.contribution ?? 0,
      subsidy: e?.subsidy_fen ?? c?.subsidy ?? 0,
      subsidyIdentity: e ? e.subsidy_identity : (c?.subsidyIdentity ?? null),
      subsidyKind: e ? e.subsidy_kind : (c?.subsidyKind ?? null),
      subsidyDepartment: e ? e.subsidy_department : (c?.department ?? null),
      individual: e?.individual_fen ?? c?.individual ?? 0,
      paid: e?.paid_fen ?? 0,
      /** The first day the year's enrollment covers bills (after any waiting period); null: not paid up, or the whole year. */
      coverFrom: e?.cover_from ?? null,
    };
  });
  const payments = await paymentsOf(q, members.map((m) => m.person_id), year);
  return {
    household: { id: household.id, code: household.code, divisionCode: household.division_code }, year, members: view, totals: householdTotals(view),
    payments: payments.map((p) => ({
      id: p.id, personId: p.person_id, receiptNo: p.receipt_no, amount: Number(p.amount_fen), paidOn: p.paid_on, kind: p.kind, department: p.department,
      method: p.method, reversed: p.reversed_at !== null,
    })),
  };
}
