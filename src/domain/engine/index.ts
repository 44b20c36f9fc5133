/**
 * The settlement engine's entry points, for the services, the CLI and any
 * recomputation of a year: settle one bill, settle a year of bills in order,
 * the rules in force for a bill, and the tiers' own functions.
 */
export { ruleDateOf, rulesFor, settle } from './settle.ts';
export { settleYear, type SettledYear, type YearBill } from './settle-year.ts';
export { supplementaryByTier } from './types.ts';
export type { Amounts, Settlement, SettlementInput, SettlementPerson, Step, Visit, YearToDate } from './types.ts';
export { assistanceApplies, assistanceCapLeft, assistanceDue, assistanceGround, type AssistancePool } from './tiers/index.ts';
