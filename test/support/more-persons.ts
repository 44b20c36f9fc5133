/** Extra enrolled people for tests that need twins or many people beside the hand-made fixture. */
import { contributionFor } from '../../src/domain/enrollment/contribution.ts';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../../src/domain/vocabulary.ts';
import type { Db } from '../../src/store/db.ts';
import { insertIdentity, insertPerson } from '../../src/store/repositories/persons.ts';
import type { FixturePerson } from './fixture.ts';

let serial = 0;

/** A resident of 513330001001 enrolled for 2025 under dege-2025, holding the identities from 2024-01-01. */
export async function addEnrolledPerson(db: Db, policies: PolicyRegistry, identities: Identity[] = []): Promise<FixturePerson> {
  serial += 1;
  const n = 500 + serial;
  const birth = `19${String(50 + (serial % 40)).padStart(2, '0')}-0${1 + (serial % 9)}-1${serial % 10}`;
  const idNumber = makeIdNumber('513330', birth, n, serial % 2 ? 'M' : 'F');
  const qrToken = `qr_more_${serial}`;
  const id = await insertPerson(db, {
    idNumber, name: `另${serial}`, sex: serial % 2 ? 'M' : 'F', birthDate: birth, divisionCode: '513330001001', phone: `139${String(serial).padStart(8, '0')}`, qrToken,
  });
  for (const identity of identities) {
    await insertIdentity(db, { personId: id, identity, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[identity] });
  }
  const c = contributionFor(policies.get('dege-2025')!, identities);
  await db.query(
    `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
       subsidy_department, individual_fen, paid_fen, status)
     VALUES ($1, 2025, 'dege-2025', 'resident', $2, $3, $4, $5, $6, $7, $8, $8, 'enrolled')`,
    [id, c.tier, c.contribution, c.subsidy, c.subsidyIdentity, c.subsidyKind, c.department, c.individual],
  );
  return { id, idNumber, qrToken };
}
