/**
 * The life of a monitoring case (SPEC §3.3): raised → pushed → verified →
 * determined → closed. Pure: the service asks it whether a move is allowed and
 * records the answer; an invalid move is a conflict with a stable code.
 */
import type { Permission } from '../access.ts';
import { conflict } from '../errors.ts';

export const CASE_STATUSES = ['raised', 'pushed', 'verified', 'determined', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['push', 'verify', 'determine', 'close'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * What a case's history records (case_events.action): a status reached, an
 * alert withdrawn or reinstated by a re-adjudication, assistance approved.
 * The console names each in the reader's language.
 */
export const CASE_EVENT_ACTIONS = [
  ...CASE_STATUSES,
  'withdrawn',
  'reinstated',
  'assistance.approved',
  'assistance.exception_approved',
] as const;
export type CaseEventAction = (typeof CASE_EVENT_ACTIONS)[number];

/** Each action moves a case from exactly one status to the next. */
const MOVES: Record<CaseAction, { readonly from: CaseStatus; readonly to: CaseStatus }> = {
  push: { from: 'raised', to: 'pushed' },
  verify: { from: 'pushed', to: 'verified' },
  determine: { from: 'verified', to: 'determined' },
  close: { from: 'determined', to: 'closed' },
};

/** The status after the action, or a conflict naming why the move is refused. */
export function nextStatus(current: CaseStatus, action: CaseAction): CaseStatus {
  const move = MOVES[action];
  if (current === move.from) return move.to;
  if (current === 'closed') throw conflict('CASE_CLOSED', `the case is closed; it cannot be ${pastTense(action)}`, 'status');
  throw conflict('INVALID_TRANSITION', `a ${current} case cannot be ${pastTense(action)} (only a ${move.from} case can)`, 'status');
}

/**
 * Who may take each action (any one of the permissions): the push is the
 * system's (a delivery, or a department confirming its downloaded list), a
 * verification is a visit by the bureau, a department or a delegated station,
 * a determination is a department's, the closure the bureau's.
 */
export const CASE_ACTION_PERMISSIONS: Readonly<Record<CaseAction, readonly Permission[]>> = {
  push: [],
  verify: ['monitoring.write', 'case.determine', 'monitoring.visit'],
  determine: ['case.determine'],
  close: ['monitoring.write'],
};

export function mayTake(action: CaseAction, holds: (p: Permission) => boolean): boolean {
  return CASE_ACTION_PERMISSIONS[action].some(holds);
}

/** The actions this person may take next on a case in this status (the console offers exactly these). */
export function actionsFor(current: CaseStatus, holds: (p: Permission) => boolean): CaseAction[] {
  return allowedActions(current).filter((a) => mayTake(a, holds));
}

/** The actions a case in this status accepts next, whoever takes them. */
export function allowedActions(current: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter((a) => MOVES[a].from === current);
}

function pastTense(action: CaseAction): string {
  return { push: 'pushed', verify: 'verified', determine: 'determined', close: 'closed' }[action];
}
