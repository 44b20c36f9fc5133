/**
 * Case follow-up: who may see a case, the moves raised → pushed → verified →
 * determined → closed, each one a row in case_events with who and when, and
 * the household-income assessment behind a "not needed" determination.
 */
import { can, type StaffContext } from '../domain/access.ts';
import { attestingDepartment, requireAttestedBy } from '../domain/attestation.ts';
import { forbidden, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { mayTake, nextStatus, type CaseAction } from '../domain/monitoring/case-machine.ts';
import { confirms, type InclusionIdentity } from '../domain/monitoring/determination.ts';
import { assessHousehold, type HouseholdAssessment } from '../domain/monitoring/household.ts';
import type { Fen } from '../domain/money.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { addCaseEvent, findCase, setCaseStatus, type CaseRow } from '../store/repositories/cases.ts';
import { householdFigures, monitoringLineFor } from '../store/repositories/monitoring-lines.ts';
import { insertIdentity } from '../store/repositories/persons.ts';
import { paidForApplication } from '../store/repositories/assistance.ts';

export const actorOf = (staff: StaffContext): string => `staff:${staff.username}`;

/** A liaison sees only the cases routed to its department; everyone only inside their division. */
export function mayAccess(staff: StaffContext, c: Pick<CaseRow, 'division_code' | 'departments'>): boolean {
  if (!c.division_code.startsWith(staff.divisionCode)) return false;
  if (staff.role === 'department_liaison') return staff.department !== null && c.departments.includes(staff.department);
  return true;
}

/** The case, locked when asked, or 404 (also when outside the staff member's reach: no existence leak). */
export async function caseFor(q: Queryable, staff: StaffContext, id: number, lock = false): Promise<CaseRow> {
  const c = await findCase(q, id, lock);
  if (!c || !mayAccess(staff, c)) throw notFound('UNKNOWN_CASE', `no monitoring case ${id} in your area`, 'id');
  return c;
}

/** raised → pushed, when a department first receives the push (delivered or downloaded). */
export async function markCasePushed(q: Queryable, caseId: number, department: string, channel: string, actor: string): Promise<void> {
  const c = await findCase(q, caseId, true);
  if (!c || c.status !== 'raised') return;
  await setCaseStatus(q, caseId, 'pushed');
  await addCaseEvent(q, { caseId, actor, action: 'pushed', from: 'raised', to: 'pushed', detail: { department, channel } });
}

async function move(db: Db, staff: StaffContext, id: number, action: CaseAction, detail: Record<string, unknown>): Promise<CaseRow> {
  return db.transaction(async (tx) => {
    const c = await caseFor(tx, staff, id, true);
    const to = nextStatus(c.status, action);
    await setCaseStatus(tx, id, to);
    await addCaseEvent(tx, { caseId: id, actor: actorOf(staff), action: to, from: c.status, to, detail });
    await audit(tx, { actor: actorOf(staff), action: `case.${action}`, entity: 'monitoring_case', entityId: id, detail: { from: c.status, to } });
    return (await findCase(tx, id))!;
  });
}

/** Verification (核实): by the bureau or by a department the case was pushed to. */
export async function verifyCase(db: Db, staff: StaffContext, id: number, input: { note: string; visitedOn?: string | undefined }): Promise<CaseRow> {
  if (!mayTake('verify', (p) => can(staff, p))) throw forbidden('NOT_PERMITTED', `role ${staff.role} may not verify cases`);
  return move(db, staff, id, 'verify', { note: input.note, ...(input.visitedOn ? { visitedOn: input.visitedOn } : {}) });
}

export async function closeCase(db: Db, staff: StaffContext, id: number, input: { note: string }): Promise<CaseRow> {
  return move(db, staff, id, 'close', { note: input.note });
}

/** The household-income assessment of the case's household with the region's monitoring line. */
export async function assessCase(q: Queryable, c: CaseRow, otherDeductions: Fen = 0): Promise<HouseholdAssessment & { householdCode: string }> {
  if (c.household_id === null) throw unprocessable('NO_HOUSEHOLD', 'the person belongs to no household; record the household first', 'household');
  const h = await householdFigures(q, c.household_id, c.year);
  if (!h || h.income_fen === null) throw unprocessable('NO_HOUSEHOLD_INCOME', 'the household has no recorded yearly income', 'household');
  const line = await monitoringLineFor(q, c.division_code, c.year);
  if (!line) throw unprocessable('NO_MONITORING_LINE', `no monitoring line is set for division ${c.division_code} in ${c.year}`, 'monitoringLine');
  return { ...assessHousehold({ income: h.income_fen, selfPay: h.self_pay, members: h.members, otherDeductions, monitoringLine: line.line_fen }), householdCode: h.code };
}

export type DeterminationInput =
  | { kind: 'assistance_on_application'; applicationId: number; note?: string | undefined }
  | { kind: 'temporary_assistance'; amount: number; note?: string | undefined }
  | { kind: 'included'; identity: InclusionIdentity; note?: string | undefined }
  | { kind: 'sudden_hardship'; note?: string | undefined }
  | { kind: 'not_needed'; reason: 'income_above_line' | 'other'; note?: string | undefined; otherDeductions?: number | undefined };

/**
 * A department's determination (研判结果). Inclusion and sudden-hardship
 * determinations also record the identity, attested by the department, from
 * the day of the determination; "not needed because the income stays above
 * the line" is refused unless the household assessment says so.
 */
export async function determineCase(db: Db, staff: StaffContext, id: number, input: DeterminationInput, today: string): Promise<CaseRow> {
  if (!mayTake('determine', (p) => can(staff, p))) throw forbidden('NOT_PERMITTED', `role ${staff.role} may not case.determine`);
  return db.transaction(async (tx) => {
    const c = await caseFor(tx, staff, id, true);
    const to = nextStatus(c.status, 'determine');
    const department = staff.department ?? 'county_bureau';
    let detail: Record<string, unknown>;
    switch (input.kind) {
      case 'assistance_on_application': {
        const paid = await paidForApplication(tx, input.applicationId, c.id);
        if (!paid) throw unprocessable('UNKNOWN_APPLICATION', `no approved assistance application ${input.applicationId} for this case`, 'applicationId');
        detail = { applicationId: input.applicationId, amount: paid.total, withinCaps: paid.paid, exceptions: paid.exceptions, note: input.note };
        break;
      }
      case 'temporary_assistance':
        detail = { amount: input.amount, note: input.note };
        break;
      case 'included':
      case 'sudden_hardship': {
        const identity = input.kind === 'included' ? input.identity : 'sudden_hardship';
        // A liaison records only what its own department attests; the bureau records on behalf of the attesting department.
        const attestedBy = staff.department ?? attestingDepartment(identity);
        requireAttestedBy(identity, attestedBy);
        const identityId = await insertIdentity(tx, { personId: c.person_id, identity, validFrom: today, department: attestedBy, source: `case:${c.id}` });
        detail = { identity, identityId, validFrom: today, attestedBy, note: input.note };
        break;
      }
      case 'not_needed': {
        if (input.reason === 'other' && !input.note) throw invalid('NOTE_REQUIRED', 'say why no help is needed', 'note');
        const assessment = input.reason === 'income_above_line' ? await assessCase(tx, c, input.otherDeductions ?? 0) : null;
        if (assessment && !assessment.aboveLine) {
          throw unprocessable(
            'BELOW_MONITORING_LINE',
            `household per-capita net income ${assessment.perCapitaNet} fen is not above the monitoring line ${assessment.monitoringLine} fen`,
            'reason',
          );
        }
        detail = { reason: input.reason, note: input.note, ...(assessment ? { assessment } : {}) };
        break;
      }
    }
    const confirmed = confirms(input);
    await setCaseStatus(tx, id, to, { kind: input.kind, detail, department, confirmed });
    await addCaseEvent(tx, { caseId: id, actor: actorOf(staff), action: 'determined', from: c.status, to, detail: { kind: input.kind, department, ...detail } });
    // The ids and amounts of what the determination changed (a temporary assistance amount, an identity recorded); never the free-text note.
    const changed = Object.fromEntries(['applicationId', 'amount', 'identity', 'identityId'].filter((k) => detail[k] !== undefined).map((k) => [k, detail[k]]));
    await audit(tx, {
      actor: actorOf(staff), action: 'case.determine', entity: 'monitoring_case', entityId: id,
      detail: { kind: input.kind, department, confirmed, personId: c.person_id, ...changed },
    });
    return (await findCase(tx, id))!;
  });
}
