/** Writes a generated county into the database in bulk, with its enrollments for the year. */
import { postUnpostedPayments } from '../service/ledger-posting.ts';
import { contributionFor } from '../domain/enrollment/contribution.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Identity } from '../domain/vocabulary.ts';
import type { Db, Queryable } from '../store/db.ts';
import { hashApiKey } from '../store/repositories/facilities.ts';
import type { DemoCounty } from './generate.ts';

const CHUNK = 5_000;

async function inChunks<T>(items: readonly T[], fn: (chunk: readonly T[]) => Promise<void>, onProgress?: (done: number) => void): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    await fn(items.slice(i, i + CHUNK));
    onProgress?.(Math.min(i + CHUNK, items.length));
  }
}

export interface LoadOptions {
  readonly year: number;
  /** Share of people left not enrolled (for the door-to-door list), 0..1. */
  readonly notEnrolledShare?: number;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
}

/** True when the database already holds people (the demo is loaded only into an empty one). */
export async function hasPersons(q: Queryable): Promise<boolean> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM persons LIMIT 1) p');
  return rows[0]!.n > 0;
}

export async function loadCounty(db: Db, policies: PolicyRegistry, county: DemoCounty, options: LoadOptions): Promise<void> {
  const progress = options.onProgress ?? (() => undefined);
  await db.transaction(async (tx) => {
    for (const d of county.divisions) {
      await tx.query(
        `INSERT INTO divisions (code, name, name_bo, name_en, level, parent_code) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
        [d.code, d.name, d.nameBo, d.nameEn, d.level, d.parentCode],
      );
    }
    await inChunks(county.households, async (chunk) => {
      await tx.query(
        `INSERT INTO households (code, division_code, income_fen) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
        [chunk.map((h) => h.code), chunk.map((h) => h.divisionCode), chunk.map((h) => h.incomeFen)],
      );
    }, (done) => progress('households', done, county.households.length));
    await inChunks(county.persons, async (chunk) => {
      await tx.query(
        `INSERT INTO persons (id_number, name, sex, birth_date, division_code, household_id, relation, phone, qr_token)
         SELECT t.id_number, t.name, t.sex, t.birth_date, t.division_code, h.id, t.relation, t.phone, t.qr_token
         FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS t(id_number, name, sex, birth_date, division_code, household_code, relation, phone, qr_token)
         JOIN households h ON h.code = t.household_code`,
        [
          chunk.map((p) => p.idNumber), chunk.map((p) => p.name), chunk.map((p) => p.sex), chunk.map((p) => p.birthDate),
          chunk.map((p) => p.divisionCode), chunk.map((p) => p.householdCode), chunk.map((p) => p.relation),
          chunk.map((p) => p.phone), chunk.map((p) => p.qrToken),
        ],
      );
    }, (done) => progress('persons', done, county.persons.length));
    await inChunks(county.identities, async (chunk) => {
      await tx.query(
        `INSERT INTO identities (person_id, identity, valid_from, department, source)
         SELECT p.id, t.identity, t.valid_from, t.department, 'demo'
         FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS t(id_number, identity, valid_from, department)
         JOIN persons p ON p.id_number = t.id_number`,
        [chunk.map((i) => i.idNumber), chunk.map((i) => i.identity), chunk.map((i) => i.validFrom), chunk.map((i) => i.department)],
      );
    }, (done) => progress('identities', done, county.identities.length));
    for (const f of county.facilities) {
      await tx.query(
        `INSERT INTO facilities (code, name, kind, level, division_code, api_key_hash, api_key_prefix)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING`,
        [f.code, f.name, f.kind, f.level, f.divisionCode, hashApiKey(f.apiKey), f.apiKey.slice(0, 12)],
      );
    }
    progress('enrollments', 0, county.persons.length);
    await enrollAll(tx, policies, county, options);
    progress('enrollments', county.persons.length, county.persons.length);
    const payments = await recordDemoPayments(tx, options.year);
    progress('contributions', 0, payments);
    // Their contribution journals, as recordPayment posts them one by one (the fund ledger, issue 14).
    await postUnpostedPayments(tx, 'demo', { onProgress: (posted) => progress('contributions', posted, payments) });
  });
}

/** Enrollments of the year, each with its subsidy; all paid but a share left for door-to-door work. */
async function enrollAll(tx: Queryable, policies: PolicyRegistry, county: DemoCounty, options: LoadOptions): Promise<void> {
  const byPerson = new Map<string, Identity[]>();
  for (const i of county.identities) byPerson.set(i.idNumber, [...(byPerson.get(i.idNumber) ?? []), i.identity]);
  const notEnrolledEvery = options.notEnrolledShare ? Math.round(1 / options.notEnrolledShare) : 0;
  const rows = county.persons.flatMap((p, index) => {
    const policy = policies.forDivision(p.divisionCode, options.year);
    if (!policy) return [];
    const c = contributionFor(policy, byPerson.get(p.idNumber) ?? []);
    const enrolled = notEnrolledEvery === 0 || index % notEnrolledEvery !== notEnrolledEvery - 1;
    return [{ p, policy: policy.id, c, enrolled }];
  });
  await inChunks(rows, async (chunk) => {
    await tx.query(
      `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
         subsidy_department, individual_fen, paid_fen, status, enrolled_at)
       SELECT p.id, $1, t.policy_id, 'resident', t.tier, t.contribution, t.subsidy, t.subsidy_identity, t.subsidy_kind, t.department,
         t.individual, CASE WHEN t.enrolled THEN t.individual ELSE 0 END,
         CASE WHEN t.enrolled THEN 'enrolled' ELSE 'pending' END, CASE WHEN t.enrolled THEN now() END
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::boolean[])
         AS t(id_number, policy_id, tier, contribution, subsidy, subsidy_identity, subsidy_kind, department, individual, enrolled)
       JOIN persons p ON p.id_number = t.id_number`,
      [
        options.year,
        chunk.map((r) => r.p.idNumber), chunk.map((r) => r.policy), chunk.map((r) => r.c.tier), chunk.map((r) => r.c.contribution),
        chunk.map((r) => r.c.subsidy), chunk.map((r) => r.c.subsidyIdentity), chunk.map((r) => r.c.subsidyKind),
        chunk.map((r) => r.c.department), chunk.map((r) => r.c.individual), chunk.map((r) => r.enrolled),
      ],
    );
  });
}

/** The individual parts the demo's enrolled people paid, as payment records (so household views show them). */
async function recordDemoPayments(tx: Queryable, year: number): Promise<number> {
  const rows = await tx.query(
    `INSERT INTO payments (person_id, year, kind, amount_fen, method, recorded_by)
     SELECT person_id, year, 'individual', paid_fen, CASE person_id % 3 WHEN 0 THEN 'mobile' WHEN 1 THEN 'cash' ELSE 'bank' END, 'demo'
     FROM enrollments WHERE year = $1 AND status = 'enrolled' AND paid_fen > 0
     RETURNING id`,
    [year],
  );
  return rows.length;
}
