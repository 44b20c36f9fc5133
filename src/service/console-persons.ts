/**
 * The staff console's view of people and their settlements: always scoped to
 * the staff member's division, ID numbers and phones masked, unmasking only
 * with 'person.unmask' and always audited.
 */
import { can, coversDivision, type StaffContext } from '../domain/access.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { maskName, showPerson, wholeNumberQuery } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { hasCaseFor } from '../store/repositories/cases.ts';
import { listFilings } from '../store/repositories/out-of-area-filings.ts';
import { findPersonById, identitiesOf, type PersonRow } from '../store/repositories/persons.ts';
import { findSettlementById, type SettlementRow } from '../store/repositories/settlements.ts';
import { missingSettlementId } from './archived-settlement.ts';

interface ListedPerson {
  id: number;
  name: string;
  name_bo: string | null;
  sex: 'M' | 'F';
  birth_date: string;
  id_number: string;
  phone: string | null;
  division_code: string;
  household_code: string | null;
  relation: string | null;
  division_name: string;
  division_name_bo: string | null;
  division_name_en: string | null;
  enrollment_status: string | null;
}

function present(p: ListedPerson) {
  // The one masking rule (name, ID number, phone; no birth date); the full data only through unmaskPerson, audited.
  const shown = showPerson({ name: p.name, idNumber: p.id_number, phone: p.phone, birthDate: p.birth_date }, false);
  return {
    id: p.id, name: shown.name, nameBo: p.name_bo ? maskName(p.name_bo) : null, sex: p.sex, birthDate: shown.birthDate, idNumber: shown.idNumber, phone: shown.phone,
    divisionCode: p.division_code, division: { name: p.division_name, nameBo: p.division_name_bo, nameEn: p.division_name_en },
    householdCode: p.household_code, relation: p.relation, enrollmentStatus: p.enrollment_status,
  };
}

const LIST_SELECT = `SELECT p.id, p.name, p.name_bo, p.sex, p.birth_date::text AS birth_date, p.id_number, p.phone, p.division_code, h.code AS household_code,
    p.relation, d.name AS division_name, d.name_bo AS division_name_bo, d.name_en AS division_name_en,
    (SELECT e.status FROM enrollments e WHERE e.person_id = p.id ORDER BY e.year DESC LIMIT 1) AS enrollment_status
  FROM persons p JOIN divisions d ON d.code = p.division_code LEFT JOIN households h ON h.id = p.household_id`;

/** Only the people of the cases routed to a liaison's department (no one, for a liaison without a department). */
const LIAISON_SCOPE = `AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM monitoring_cases mc WHERE mc.person_id = p.id AND $4 = ANY (mc.departments)))`;

/** The department whose cases bound what a staff member sees of people: a liaison's own; null for everyone else. */
function liaisonDepartment(staff: StaffContext): string | null {
  return staff.role === 'department_liaison' ? (staff.department ?? '-') : null;
}

/**
 * Search by name (any part), household code, or a whole ID number or phone
 * number — never a part of a number: 32 partial searches would spell a masked
 * phone out. Inside the staff member's division; a liaison's cases only.
 */
export async function searchPersons(q: Queryable, staff: StaffContext, text: string, limit = 50, offset = 0): Promise<{ total: number; items: ReturnType<typeof present>[] }> {
  const term = wholeNumberQuery(text);
  const match =
    term.kind === 'phone' ? 'p.phone = $2'
    : term.kind === 'idNumber' ? 'p.id_number = $2'
    : `($2 = '' OR p.name LIKE '%' || $2 || '%' OR h.code = $2)`;
  const rows = await q.query<ListedPerson & Record<string, unknown>>(
    `${LIST_SELECT}
     WHERE p.division_code LIKE $1 || '%' AND ${match} ${LIAISON_SCOPE}
     ORDER BY p.division_code, h.code, p.id LIMIT $3 OFFSET $5`,
    [staff.divisionCode, term.value, limit, liaisonDepartment(staff), offset],
  );
  // The real total, not the page's length ("共 100 人" for a county of 400 was the page).
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM persons p LEFT JOIN households h ON h.id = p.household_id
     WHERE p.division_code LIKE $1 || '%' AND ${match} ${LIAISON_SCOPE.replaceAll('$4', '$3')}`,
    [staff.divisionCode, term.value, liaisonDepartment(staff)],
  );
  return { total: count?.n ?? 0, items: rows.map(present) };
}

/**
 * Refuses a person outside the staff member's reach: outside the division
 * (403, as before), or, for a liaison, without a case routed to its
 * department (404: a liaison learns nothing of other people).
 */
export async function requirePersonInReach(q: Queryable, staff: StaffContext, person: Pick<PersonRow, 'id' | 'division_code'>): Promise<void> {
  if (!coversDivision(staff, person.division_code)) {
    throw forbidden('OUTSIDE_DIVISION', `division ${person.division_code} is outside your area (${staff.divisionCode})`);
  }
  const department = liaisonDepartment(staff);
  if (department !== null && !(await hasCaseFor(q, person.id, department))) throw notFound('PERSON_NOT_FOUND', `no person ${person.id}`);
}

/** The person, or not-found; the caller checks the division. */
export async function personOrThrow(q: Queryable, id: number): Promise<PersonRow> {
  const person = await findPersonById(q, id);
  if (!person) throw notFound('PERSON_NOT_FOUND', `no person ${id}`);
  return person;
}

/** A person's page; settlements only for a viewer with settlement.read, household members only those in the viewer's reach. */
export async function personDetail(q: Queryable, staff: StaffContext, person: PersonRow) {
  const [listed] = await q.query<ListedPerson & Record<string, unknown>>(`${LIST_SELECT} WHERE p.id = $1`, [person.id]);
  const members = person.household_id
    ? await q.query<ListedPerson & Record<string, unknown>>(
        `${LIST_SELECT} WHERE p.household_id = $1 AND p.division_code LIKE $2 || '%' ${LIAISON_SCOPE.replaceAll('$4', '$3')}
         ORDER BY p.relation, p.id`,
        [person.household_id, staff.divisionCode, liaisonDepartment(staff)],
      )
    : [];
  const mayReadSettlements = can(staff, 'settlement.read');
  const [identities, enrollments, settlements, filings] = await Promise.all([
    identitiesOf(q, person.id),
    q.query(`SELECT year, policy_id, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_department, individual_fen, paid_fen, status
             FROM enrollments WHERE person_id = $1 ORDER BY year DESC`, [person.id]),
    mayReadSettlements
      ? q.query(`SELECT s.id, v.visit_date::text AS visit_date, v.kind, f.name AS facility, s.total_fen, s.funds_fen, s.self_pay, s.status
             FROM settlements s JOIN visits v ON v.id = s.visit_id JOIN facilities f ON f.id = s.facility_id
             WHERE s.person_id = $1 ORDER BY s.id DESC LIMIT 50`, [person.id])
      : Promise.resolve([]),
    listFilings(q, person.id),
  ]);
  return {
    person: { ...present(listed!), scheme: person.scheme, employmentStatus: person.employment_status },
    household: members.map(present),
    identities: identities.map((i) => ({ identity: i.identity, validFrom: i.valid_from, validTo: i.valid_to, department: i.department })),
    enrollments: enrollments.map((e) => ({
      year: e.year, policy: e.policy_id, tier: e.tier, contribution: Number(e.contribution_fen), subsidy: Number(e.subsidy_fen),
      subsidyIdentity: e.subsidy_identity, subsidyDepartment: e.subsidy_department, individual: Number(e.individual_fen), paid: Number(e.paid_fen),
      status: e.status,
    })),
    // Left out, not emptied, for a role refused settlement.read: "no settlements" would be an answer too.
    ...(mayReadSettlements
      ? {
          settlements: settlements.map((s) => ({
            id: s.id, date: s.visit_date, kind: s.kind, facility: s.facility, total: Number(s.total_fen), funds: Number(s.funds_fen),
            selfPay: Number(s.self_pay), status: s.status,
          })),
        }
      : {}),
    filings,
  };
}

/** The name, ID number, phone and birth date in full, for a staff member allowed to see them; the look is audited. */
export async function unmaskPerson(q: Queryable, staff: StaffContext, person: PersonRow, reason: string) {
  await audit(q, { actor: `staff:${staff.username}`, action: 'person.unmask', entity: 'person', entityId: person.id, detail: { reason } });
  return { id: person.id, ...showPerson({ name: person.name, idNumber: person.id_number, phone: person.phone, birthDate: person.birth_date }, true) };
}

export async function settlementOrThrow(q: Queryable, id: number): Promise<SettlementRow> {
  const s = await findSettlementById(q, id);
  if (!s) throw await missingSettlementId(q, id, notFound('SETTLEMENT_NOT_FOUND', `no settlement ${id}`));
  return s;
}

export function presentSettlement(s: SettlementRow, person: PersonRow) {
  const shown = showPerson({ name: person.name, idNumber: person.id_number, phone: null }, false);
  return {
    id: s.id, transactionId: s.transaction_id, person: { id: person.id, name: shown.name, idNumber: shown.idNumber, divisionCode: person.division_code },
    facility: { code: s.facility_code, name: s.facility_name }, policy: s.policy_id, year: s.year,
    visit: { kind: s.visit_kind, level: s.visit_level, date: s.visit_date },
    total: Number(s.total_fen), compliant: Number(s.compliant_fen), funds: s.funds, selfPayCompliant: Number(s.self_pay_compliant),
    selfPayExcluded: Number(s.self_pay_excluded), selfPay: Number(s.self_pay), aboveCap: Number(s.above_cap_fen), steps: s.steps,
    status: s.status, settledAt: s.settled_at,
  };
}

