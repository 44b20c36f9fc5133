/** How stored rows are shown over the API: fen integers, masked personal data, ISO dates. */
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import type { EnrollmentRow } from '../store/repositories/enrollments.ts';
import type { IdentityRow, PersonRow } from '../store/repositories/persons.ts';
import type { SettlementRow } from '../store/repositories/settlements.ts';

export function presentSettlement(s: SettlementRow) {
  return {
    id: s.id,
    transactionId: s.transaction_id,
    status: s.status,
    facility: { code: s.facility_code, name: s.facility_name },
    personId: s.person_id,
    year: s.year,
    policy: s.policy_id,
    visit: { kind: s.visit_kind, level: s.visit_level, date: s.visit_date },
    total: s.total_fen,
    compliant: s.compliant_fen,
    funds: s.funds,
    selfPayCompliant: s.self_pay_compliant,
    selfPayExcluded: s.self_pay_excluded,
    selfPay: s.self_pay,
    aboveCap: s.above_cap_fen,
    steps: s.steps,
    settledAt: new Date(s.settled_at).toISOString(),
    reversalId: s.reversal_id,
    reversedAt: s.reversed_at ? new Date(s.reversed_at).toISOString() : null,
  };
}

/**
 * What a hospital sees of a patient: the name to check at the desk, the ID
 * number masked, and no birth date (beside the masked number it would give
 * the whole number back to a desk that only scanned a QR code).
 */
export function presentPatient(p: PersonRow, enrollment: EnrollmentRow | undefined, identities: IdentityRow[], year: number) {
  return {
    personId: p.id,
    name: p.name,
    maskedName: maskName(p.name),
    idNumber: maskIdNumber(p.id_number),
    sex: p.sex,
    scheme: p.scheme,
    status: p.employment_status,
    divisionCode: p.division_code,
    year,
    enrolled: enrollment?.status === 'enrolled',
    identities: identities.map((i) => ({ identity: i.identity, validFrom: i.valid_from, validTo: i.valid_to })),
  };
}
