/**
 * Setting a county up from its files: `npm run bench:register`.
 *
 * On PostgreSQL (BENCH_DATABASE_URL, default the local sanbao_bench database),
 * in a fresh schema dropped at the end: a synthetic Dege-like county of
 * BENCH_PERSONS people (default 80,714) as a division file and a household
 * register (CSV), then times
 *   1. importing the divisions,
 *   2. importing the register (read, check every row, write households,
 *      people and one audit entry each),
 *   3. importing it again (must change nothing),
 * beside the floor measured in the same run: the same people written by
 * plain INSERT … SELECT FROM unnest, in chunks of the same size, into a copy
 * of the persons table with the same indexes. Prints rows per second and
 * the ratio import ÷ floor.
 */
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { importDivisions } from '../src/service/division-import.ts';
import { importHouseholds } from '../src/service/household-import.ts';
import { openBenchSchema } from './support/bench-schema.ts';

const PERSONS = Number(process.env.BENCH_PERSONS ?? FULL_DEMO.persons);
const CHUNK = 2_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main(): Promise<void> {
  const bench = await openBenchSchema();
  const { db } = bench;
  try {
    console.log(`register bench on PostgreSQL (${bench.where})`);
    const county = generateCounty({ ...FULL_DEMO, persons: PERSONS, year: 2025 });
    const divisions = Buffer.from(['code,name,name_bo,name_en', ...county.divisions.map((d) => [d.code, d.name, d.nameBo ?? '', d.nameEn ?? ''].join(','))].join('\n'));
    const register = Buffer.from([
      'household_code,id_number,name,relation,phone,village',
      ...county.persons.map((p) => [p.householdCode, p.idNumber, p.name, p.relation === 'head' ? 'head' : 'child', p.phone ?? '', p.divisionCode].join(',')),
    ].join('\n'));
    const common = { format: 'csv' as const, scope: null, skipBadRows: false, dryRun: false, actor: 'bench' };

    let t = performance.now();
    const d = await importDivisions(db, { ...common, fileName: 'divisions.csv', content: divisions });
    console.log(`divisions:        ${fmt(d.added)} in ${((performance.now() - t) / 1000).toFixed(2)} s`);

    t = performance.now();
    const r = await importHouseholds(db, { ...common, fileName: 'register.csv', content: register, correctRegister: false });
    const importSeconds = (performance.now() - t) / 1000;
    const importRate = r.personsAdded / importSeconds;
    console.log(`register import:  ${fmt(r.personsAdded)} people in ${fmt(r.householdsAdded)} households in ${importSeconds.toFixed(2)} s = ${fmt(importRate)} rows/s (${(register.length / 1_048_576).toFixed(1)} MiB CSV)`);

    t = performance.now();
    const again = await importHouseholds(db, { ...common, fileName: 'register.csv', content: register, correctRegister: false });
    const againSeconds = (performance.now() - t) / 1000;
    console.log(`register again:   ${fmt(again.unchanged)} unchanged, ${again.personsAdded + again.personsChanged} written, in ${againSeconds.toFixed(2)} s = ${fmt(again.unchanged / againSeconds)} rows/s`);

    // The floor: the same rows, plain bulk inserts into a copy of persons with its indexes.
    await db.query('CREATE TABLE persons_floor (LIKE persons INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING CONSTRAINTS)');
    const [household] = await db.query<{ id: number }>('SELECT id FROM households LIMIT 1');
    t = performance.now();
    for (let i = 0; i < county.persons.length; i += CHUNK) {
      const chunk = county.persons.slice(i, i + CHUNK);
      await db.query(
        `INSERT INTO persons_floor (id_number, name, sex, birth_date, division_code, household_id, relation, phone, qr_token)
         SELECT * FROM unnest($1::text[], $2::text[], $3::char(1)[], $4::date[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[])`,
        [chunk.map((p) => p.idNumber), chunk.map((p) => p.name), chunk.map((p) => p.sex), chunk.map((p) => p.birthDate), chunk.map((p) => p.divisionCode),
          chunk.map(() => household!.id), chunk.map((p) => (p.relation === 'head' ? null : 'child')), chunk.map((p) => p.phone), chunk.map((p) => p.qrToken)],
      );
    }
    const floorSeconds = (performance.now() - t) / 1000;
    const floorRate = county.persons.length / floorSeconds;
    console.log(`floor (bulk INSERT of the same rows): ${fmt(county.persons.length)} in ${floorSeconds.toFixed(2)} s = ${fmt(floorRate)} rows/s`);
    console.log(`ratio import ÷ floor: ${(importRate / floorRate).toFixed(2)}`);
  } finally {
    await bench.drop();
  }
}

await main();
