/**
 * The life of a monitoring case (SPEC §3.3): raised → pushed → verified →
 * determined → closed. Pure: the service asks it whether a move is allowed and
 * records the answer; an invalid move is a conflict with a stable code.
 */
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

/** The actions a case in this status accepts next (for the console's buttons). */
export function allowedActions(current: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter((a) => MOVES[a].from === current);
}

function pastTense(action: CaseAction): string {
  return { push: 'pushed', verify: 'verified', determine: 'determined', close: 'closed' }[action];
}
