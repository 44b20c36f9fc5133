/**
 * The audit log's filters: each a prefix of the audited actions
 * (`person.unmask`, `staff.`…), named in the reader's language by
 * `audit.filter.<prefix without the dot>`. A test checks that every action the
 * server audits falls under one of them.
 */
export const AUDIT_FILTERS = [
  'person.unmask',
  'person.',
  'household.',
  'division.',
  'staff.',
  'station.',
  'settlement.',
  'payment.',
  'enrollment.',
  'campaign.',
  'roster.',
  'filing.',
  'resident.',
  'patient.',
  'monitoring.',
  'case.',
  'assistance.',
  'facility.',
  'chronic.',
  'review.',
  'drg.',
  'catalogue.',
  'year.',
  'database.',
  'account.',
  'bank_batch.',
  'clearing.',
  'fsi.',
  'ledger.',
  'payout.',
  'reconciliation.',
  'tax_collection.',
] as const;

/** The filter an audited action falls under (the most specific one), for naming it in the reader's language. */
export function filterOf(action: string): string | undefined {
  return AUDIT_FILTERS.find((f) => (f.endsWith('.') ? action.startsWith(f) : action === f));
}

export const auditFilterKey = (prefix: string): string => `audit.filter.${prefix.replace(/\.$/, '')}`;
