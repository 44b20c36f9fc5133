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
  'tax_collection.',
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
  'account.',
  'ledger.',
  'reconciliation.',
  'clearing.',
  'bank_batch.',
  'payout.',
  'fsi.',
  'year.',
  'database.',
] as const;

export const auditFilterKey = (prefix: string): string => `audit.filter.${prefix.replace(/\.$/, '')}`;

/** The filter an audited action falls under (the exact `person.unmask` before the `person.` prefix), if any. */
export const auditFilterOf = (action: string): string | undefined =>
  AUDIT_FILTERS.find((prefix) => (prefix.endsWith('.') ? action.startsWith(prefix) : action === prefix));
