/**
 * Who may do what, and where (SPEC §1): roles, their permissions, the items a
 * bureau delegates to service stations, and division scope. Pure: the server
 * enforces it on every request; pages only hide what would be refused.
 */
export const ROLES = ['bureau_admin', 'bureau_clerk', 'station_clerk', 'department_liaison', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'person.read',
  'person.write',
  'person.unmask', // see full ID numbers and phones (audited)
  'enrollment.read',
  'enrollment.write',
  'payment.write',
  'roster.import',
  'settlement.read',
  'settlement.reverse', // reverse a hospital's bill at the bureau's window, with a reason (audited)
  'monitoring.read',
  'monitoring.write',
  'monitoring.visit', // record a household visit (核实) on a case: a station the bureau delegated it to
  'case.determine', // a department reports its determination
  'assistance.approve',
  'filing.write', // out-of-area filing
  'chronic.write', // chronic-disease application
  'chronic.approve', // review chronic-disease applications, renew and revoke approvals
  'review.read', // claim review (智能审核): flags and statistics
  'review.decide', // claim review: accept, deduct, send back
  'catalogue.admin', // load medical-insurance catalogues, edit review rules
  'reports.read',
  'audit.read',
  'staff.admin',
  'drg.manage', // group discharges, compute DRG weights, rates and payments
  'clearing.manage', // reconciliation follow-up, monthly clearing, payment batches (issue 14)
  'payout.manage', // assistance payouts: prepare, approve (never one's own grant), mark paid or returned
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Items a bureau can delegate to a station (the seeds speak of 18; these are the ones Sanbao has). */
export const DELEGABLE_ITEMS = {
  enrollment_registration: ['enrollment.read', 'enrollment.write', 'person.read', 'person.write'],
  payment_collection: ['payment.write', 'enrollment.read', 'person.read'],
  out_of_area_filing: ['filing.write', 'person.read'],
  chronic_application: ['chronic.write', 'person.read'],
  settlement_inquiry: ['settlement.read', 'person.read'],
  monitoring_visit: ['monitoring.read', 'monitoring.visit', 'person.read'],
} as const satisfies Record<string, readonly Permission[]>;
export type DelegableItem = keyof typeof DELEGABLE_ITEMS;

const READ_ALL: readonly Permission[] = ['person.read', 'enrollment.read', 'settlement.read', 'monitoring.read', 'reports.read', 'review.read'];

const ROLE_PERMISSIONS: Record<Exclude<Role, 'station_clerk'>, readonly Permission[]> = {
  bureau_admin: PERMISSIONS,
  bureau_clerk: PERMISSIONS.filter((p) => p !== 'staff.admin' && p !== 'audit.read'),
  department_liaison: ['person.read', 'monitoring.read', 'case.determine', 'roster.import'],
  auditor: [...READ_ALL, 'audit.read'],
};

export interface StaffContext {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly divisionCode: string;
  readonly department: string | null;
  /** For station clerks: the items the bureau delegated to their station. */
  readonly items: readonly string[];
}

/** The permissions a staff member holds: by role, or for a station by its delegated items. */
export function permissionsOf(staff: Pick<StaffContext, 'role' | 'items'>): Set<Permission> {
  if (staff.role !== 'station_clerk') return new Set(ROLE_PERMISSIONS[staff.role]);
  const out = new Set<Permission>();
  for (const item of staff.items) for (const p of DELEGABLE_ITEMS[item as DelegableItem] ?? []) out.add(p);
  return out;
}

export function can(staff: Pick<StaffContext, 'role' | 'items'>, permission: Permission): boolean {
  return permissionsOf(staff).has(permission);
}

/** A staff member's division covers a division when it is the same or an ancestor (code prefix). */
export function coversDivision(staff: Pick<StaffContext, 'divisionCode'>, divisionCode: string): boolean {
  return divisionCode.startsWith(staff.divisionCode);
}
