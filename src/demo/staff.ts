/** Demo staff accounts, one per role, all with the same demo password (printed at start). */
import type { Role } from '../domain/access.ts';
import type { Db } from '../store/db.ts';
import { createStaff, hashPassword, setDelegations } from '../service/staff-auth.ts';

export const DEMO_PASSWORD = 'sanbao-demo-2025';

export const DEMO_STAFF: readonly { username: string; displayName: string; role: Role; division: string; department?: string }[] = [
  { username: 'admin', displayName: '县医保局管理员', role: 'bureau_admin', division: '513330' },
  { username: 'clerk', displayName: '县医保局经办', role: 'bureau_clerk', division: '513330' },
  { username: 'station1', displayName: '更庆镇医保服务站', role: 'station_clerk', division: '513330001' },
  { username: 'civil', displayName: '县民政局联络员', role: 'department_liaison', division: '513330', department: 'civil_affairs' },
  { username: 'rural', displayName: '县乡村振兴局联络员', role: 'department_liaison', division: '513330', department: 'rural_revitalization' },
  { username: 'auditor', displayName: '审计', role: 'auditor', division: '513330' },
];

export async function loadDemoStaff(db: Db): Promise<void> {
  // One hash for the one published password: at today's scrypt cost each hash takes about a second.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    let adminId = 0;
    for (const s of DEMO_STAFF) {
      const id = await createStaff(
        tx,
        { username: s.username, displayName: s.displayName, password: DEMO_PASSWORD, role: s.role, divisionCode: s.division, department: s.department ?? null, passwordHash },
        'demo',
      );
      if (s.role === 'bureau_admin') adminId = id;
    }
    await setDelegations(tx, '513330001', ['enrollment_registration', 'payment_collection', 'out_of_area_filing', 'chronic_application', 'settlement_inquiry'], {
      id: adminId, username: 'admin', role: 'bureau_admin', divisionCode: '513330', department: null, items: [],
    });
  });
}
