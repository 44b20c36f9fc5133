/** How monitoring cases are shown to the staff console: fen integers, masked personal data, ISO dates. */
import { can, type StaffContext } from '../../domain/access.ts';
import { actionsFor } from '../../domain/monitoring/case-machine.ts';
import { showPerson } from '../../domain/privacy.ts';
import type { CaseEventRow, CaseRow } from '../../store/repositories/cases.ts';
import type { OutboxRow } from '../../store/repositories/outbox.ts';

/** The one masking rule; a case never shows the birth date. */
const shown = (c: CaseRow) => {
  const { name, idNumber, phone } = showPerson({ name: c.person_name, idNumber: c.id_number, phone: c.phone }, false);
  return { name, idNumber, phone };
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A case as the console shows it to this staff member: `nextActions` are the moves they may make (the page offers exactly these). */
export function presentCase(c: CaseRow, staff: Pick<StaffContext, 'role' | 'items'>) {
  return {
    id: c.id,
    alertId: c.alert_id,
    year: c.year,
    status: c.status,
    risk: c.risk,
    departments: c.departments,
    source: c.source,
    threshold: { id: c.threshold_id, amount: c.threshold_fen },
    yearlySelfPay: c.yearly_self_pay,
    settlementId: c.settlement_id,
    person: {
      id: c.person_id,
      ...shown(c),
      divisionCode: c.division_code,
      householdId: c.household_id,
    },
    determination: c.determination ? { kind: c.determination, department: c.determined_by_department, confirmed: c.confirmed, detail: c.determination_detail } : null,
    nextActions: actionsFor(c.status, (p) => can(staff, p)),
    raisedAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export function presentEvent(e: CaseEventRow) {
  return { id: e.id, at: iso(e.at), actor: e.actor, action: e.action, from: e.from_status, to: e.to_status, detail: e.detail };
}

/** A push as the console sees it: never the payload (it carries the full ID number). */
export function presentPush(o: OutboxRow) {
  return {
    id: o.id,
    department: o.department,
    dedupeKey: o.dedupe_key,
    status: o.status,
    channel: o.channel,
    attempts: o.attempts,
    nextAttemptAt: o.status === 'pending' ? iso(o.next_attempt_at) : null,
    lastStatus: o.last_status,
    lastError: o.last_error,
    deliveredAt: iso(o.delivered_at),
  };
}
