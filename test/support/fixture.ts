/** A small, fully known county for integration tests: every figure here is chosen by hand. */
import { contributionFor } from '../../src/domain/enrollment/contribution.ts';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../../src/domain/vocabulary.ts';
import type { Db } from '../../src/store/db.ts';
import { insertFacility } from '../../src/store/repositories/facilities.ts';
import { insertIdentity, insertPerson } from '../../src/store/repositories/persons.ts';

/** The fixture's facility codes, in the national 12-character form. */
export const CODES = { county: 'H51333000001', clinic: 'H51333000002', lhasa: 'H54010200001' } as const;

export const KEYS = {
  county: 'sb_test_county_hospital',
  clinic: 'sb_test_township_clinic',
  lhasa: 'sb_test_lhasa_hospital',
} as const;

export interface FixturePerson {
  id: number;
  idNumber: string;
  qrToken: string;
}

export interface Fixture {
  plain: FixturePerson; // no identity, enrolled 2025
  poor: FixturePerson; // minimum_living, enrolled
  extreme: FixturePerson; // extreme_poverty, enrolled
  alleviated: FixturePerson; // poverty_alleviated, enrolled
  pending: FixturePerson; // not enrolled (pending)
  facilities: { county: number; clinic: number; lhasa: number };
}

export async function seedFixture(db: Db, policies: PolicyRegistry): Promise<Fixture> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES
    ('513330', '德格县', 1, NULL), ('513330001', '更庆镇', 2, '513330'), ('513330001001', '一村', 3, '513330001'),
    ('513330002', '马尼干戈镇', 2, '513330'), ('513330002001', '二村', 3, '513330002'), ('540102', '拉萨市城关区', 1, NULL)`);
  const [household] = await db.query<{ id: number }>(
    `INSERT INTO households (code, division_code, income_fen) VALUES ('H-1', '513330001001', 8450000) RETURNING id`,
  );
  const policy = policies.get('dege-2025')!;
  let n = 0;
  const person = async (identities: Identity[], enrolled: boolean, village = '513330001001'): Promise<FixturePerson> => {
    n += 1;
    const idNumber = makeIdNumber('513330', `198${n}-0${n}-1${n}`, 100 + n, n % 2 ? 'M' : 'F');
    const qrToken = `qr_test_${n}_abcdef`;
    const id = await insertPerson(db, {
      idNumber, name: `测试${n}`, sex: n % 2 ? 'M' : 'F', birthDate: `198${n}-0${n}-1${n}`, divisionCode: village,
      householdId: household!.id, phone: `1380000000${n}`, qrToken,
    });
    for (const identity of identities) {
      await insertIdentity(db, { personId: id, identity, validFrom: '2024-01-01', department: ATTESTING_DEPARTMENT[identity] });
    }
    const c = contributionFor(policy, identities);
    await db.query(
      `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
         subsidy_department, individual_fen, paid_fen, status)
       VALUES ($1, 2025, 'dege-2025', 'resident', $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, c.tier, c.contribution, c.subsidy, c.subsidyIdentity, c.subsidyKind, c.department, c.individual, enrolled ? c.individual : 0, enrolled ? 'enrolled' : 'pending'],
    );
    return { id, idNumber, qrToken };
  };
  const plain = await person([], true);
  const poor = await person(['minimum_living'], true);
  const extreme = await person(['extreme_poverty'], true);
  const alleviated = await person(['poverty_alleviated'], true, '513330002001');
  const pending = await person([], false);
  const county = await insertFacility(db, { code: 'H51333000001', name: '德格县人民医院', level: 2, divisionCode: '513330', apiKey: KEYS.county });
  const clinic = await insertFacility(db, { code: 'H51333000002', name: '更庆镇卫生院', level: 1, divisionCode: '513330001', apiKey: KEYS.clinic });
  const lhasa = await insertFacility(db, { code: 'H54010200001', name: '西藏自治区人民医院', level: 3, divisionCode: '540102', apiKey: KEYS.lhasa });
  return { plain, poor, extreme, alleviated, pending, facilities: { county: county.id, clinic: clinic.id, lhasa: lhasa.id } };
}
