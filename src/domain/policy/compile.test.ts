import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compilePolicy, PolicyError } from './compile.ts';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from '../../../test/support/policies.ts';
import { PolicyRegistry } from './registry.ts';
import type { Policy } from './types.ts';

const REFERENCE_IDS = ['dege-2025', 'haixi-2023', 'lhasa-2024', 'lhasa-2025'];
const registry = loadFixturePolicies();
const policy = (id: string): Policy => {
  const p = registry.get(id);
  if (!p) throw new Error(`no reference policy ${id}`);
  return p;
};
const text = (id: string): string => readFileSync(join(FIXTURE_POLICY_DIR, `${id}.yaml`), 'utf8');

/** A copy of a reference policy's text, renamed so it compiles as x/bad-YEAR.yaml, with replacements. */
function variant(id: string, year: number, ...edits: [from: string, to: string][]): string {
  let out = text(id).replace(`id: ${id}`, `id: bad-${year}`);
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) throw new Error(`test setup: "${from}" must occur exactly once`);
    out = out.replace(from, to);
  }
  return out;
}

/** Compiles a text that must fail; returns the PolicyError. */
function failure(source: string, file = 'x/bad-2025.yaml'): PolicyError {
  try {
    compilePolicy(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return error as PolicyError;
  }
  throw new Error('expected a PolicyError, but the policy compiled');
}

function expectProblem(error: PolicyError, file: string, field: string, message: string | RegExp): void {
  expect(error.file).toBe(file);
  const problem = error.problems.find((p) => p.field === field);
  expect(problem, `a problem at ${field}; got ${JSON.stringify(error.problems)}`).toBeDefined();
  if (typeof message === 'string') expect(problem!.message).toContain(message);
  else expect(problem!.message).toMatch(message);
  // The message of the error names the file and the field path on one line.
  expect(error.message.split('\n')).toContainEqual(expect.stringContaining(`${file}: ${field || '(file)'}: `));
}

describe('the reference policies', () => {
  it('all load, one per region and year', () => {
    expect(
      registry
        .list()
        .map((p) => p.id)
        .sort(),
    ).toEqual(REFERENCE_IDS);
    for (const id of REFERENCE_IDS) {
      const p = policy(id);
      expect(p.from).toBe(`${p.year}-01-01`);
      expect(p.to).toBe(`${p.year}-12-31`);
      expect(p.source.endsWith(`${id}.yaml`)).toBe(true);
    }
  });

  it('each compiles on its own from its text', () => {
    for (const id of REFERENCE_IDS) expect(compilePolicy(text(id), `policies/${id}.yaml`).id).toBe(id);
  });

  it('are listed by region code then year', () => {
    expect(registry.list().map((p) => p.id)).toEqual(['dege-2025', 'lhasa-2024', 'lhasa-2025', 'haixi-2023']);
    expect(registry.get('nowhere-2025')).toBeUndefined();
  });

  it('find the policy of a division the same however often asked; a registry loaded anew answers from its own policies', () => {
    const registry = new PolicyRegistry([policy('dege-2025'), policy('lhasa-2025'), policy('lhasa-2024')]);
    for (let round = 0; round < 3; round++) {
      expect(registry.forDivision('513330', 2025)?.id).toBe('dege-2025');
      expect(registry.forDivision('540102', 2025)?.id).toBe('lhasa-2025');
      expect(registry.forDivision('540102', 2024)?.id).toBe('lhasa-2024');
      expect(registry.forDivision('540102', 2023)).toBeUndefined();
      expect(registry.forDivision('632801', 2025)).toBeUndefined();
    }
    // A reload is a new registry: what the old one answered does not carry over.
    const reloaded = new PolicyRegistry([policy('lhasa-2024')]);
    expect(reloaded.forDivision('540102', 2025)).toBeUndefined();
    expect(reloaded.forDivision('540102', 2024)?.id).toBe('lhasa-2024');
    expect(registry.forDivision('540102', 2025)?.id).toBe('lhasa-2025');
  });

  it('refuses the same id twice', () => {
    expect(() => new PolicyRegistry([policy('dege-2025'), policy('dege-2025')])).toThrow(/dege-2025.*twice/);
  });

  it('are in fen and basis points (SPEC §4)', () => {
    const lhasa = policy('lhasa-2025');
    const resident = lhasa.benefits.resident;
    // Level 0 (village clinic) settles under the level-1 rule.
    expect(resident.inpatient).toEqual([
      { deductible: 10_000, ratio: 9_000 },
      { deductible: 10_000, ratio: 9_000 },
      { deductible: 30_000, ratio: 8_500 },
      { deductible: 60_000, ratio: 7_500 },
    ]);
    expect(resident.yearlyCap).toBe(20_000_000);
    expect(resident.outpatient.yearlyCap).toBe(50_000);
    expect(resident.outpatient.yearlyDeductible).toEqual({ in_service: 0, retired: 0 });
    expect(resident.outpatient.ratios.map((r) => r.in_service)).toEqual([5_000, 5_000, 4_000, 3_000]);
    expect(resident.chronic).toEqual({
      ratio: 8_000,
      classLimits: { A: 5_000_000, B: 500_000 },
      catalogue: { categories: 33, note: 'resident catalogue before the unified one' },
    });

    const employee = lhasa.benefits.employee!;
    expect(employee.inpatient.map((l) => [l.deductible, l.ratio])).toEqual([
      [30_000, 9_200],
      [30_000, 9_200],
      [50_000, 9_000],
      [80_000, 8_500],
    ]);
    expect(employee.yearlyCap).toBe(40_000_000);
    expect(employee.outpatient.yearlyDeductible).toEqual({ in_service: 20_000, retired: 14_000 });
    expect(employee.outpatient.ratios).toEqual([
      { in_service: 8_000, retired: 9_000 },
      { in_service: 8_000, retired: 9_000 },
      { in_service: 7_000, retired: 8_000 },
      { in_service: 6_000, retired: 7_000 },
    ]);
    expect(employee.outpatient.yearlyCap).toBe(500_000);
    expect(employee.chronic.ratio).toBe(8_500);

    expect(lhasa.benefits.outOfArea).toEqual({ filed: 500, notFiled: 2_000 });
    const critical = lhasa.benefits.critical;
    expect(critical.schemes).toEqual(['resident']);
    expect(critical.standard).toEqual({
      threshold: 1_000_000,
      bands: [
        { upTo: 5_000_000, ratio: 6_000 },
        { upTo: 10_000_000, ratio: 7_000 },
        { upTo: Infinity, ratio: 8_000 },
      ],
      yearlyCap: 40_000_000,
    });
    expect(critical.tilted).toMatchObject({
      threshold: 500_000,
      bands: [
        { upTo: 5_000_000, ratio: 6_500 },
        { upTo: 10_000_000, ratio: 7_500 },
        { upTo: Infinity, ratio: 8_500 },
      ],
      yearlyCap: null,
      ratioBonus: 500,
    });
    expect([...critical.tilted!.identities].sort()).toEqual(['extreme_poverty', 'minimum_living', 'returned_to_poverty']);
    expect(lhasa.benefits.assistance.ratios).toEqual({
      extreme_poverty: 10_000,
      minimum_living: 8_000,
      monitored: 7_000,
      returned_to_poverty: 7_000,
      sudden_hardship: 7_000,
      border_resident: 9_000,
    });
    expect(lhasa.benefits.assistance.yearlyCap).toEqual({ ordinary: 15_000_000, major: 30_000_000 });
    expect(lhasa.benefits.assistance.aboveCap).toBe('case_by_case');
    expect(lhasa.benefits.tilt).toBeNull();
    expect(lhasa.monitoring.thresholds.map((t) => [t.id, t.amount, t.identities])).toEqual([
      ['region_income', 3_135_800, null],
      ['alleviated_half_rural', 1_250_000, ['poverty_alleviated']],
    ]);
  });

  it('dege-2025 covers residents only, without the Tibet border rule or tilt', () => {
    const dege = policy('dege-2025');
    expect(dege.benefits.employee).toBeNull();
    expect(dege.benefits.assistance.ratios.border_resident).toBeUndefined();
    expect(dege.benefits.tilt).toBeNull();
  });

  it('haixi-2023 has the tilt floors 90 % / 80 % for inpatients', () => {
    expect(policy('haixi-2023').benefits.tilt).toEqual({
      visitKinds: ['inpatient'],
      floors: { extreme_poverty: 9_000, minimum_living: 9_000, monitored: 9_000, poverty_alleviated: 8_000 },
    });
    expect(policy('haixi-2023').benefits.employee).toBeNull();
  });
});

describe('enrollment subsidies resolve as SPEC §3.1 says', () => {
  it('dege-2025: full tier-1 from three departments; 75 % for minimum_living and monitored', () => {
    const e = policy('dege-2025').enrollment;
    expect(e.tiers).toEqual([{ id: 'tier1', contribution: 40_000 }]);
    expect(e.subsidies).toEqual([
      { kind: 'full', identities: ['extreme_poverty'], department: 'medical_assistance' },
      { kind: 'full', identities: ['severe_disability'], department: 'disabled_federation' },
      { kind: 'full', identities: ['special_care'], department: 'veterans_affairs' },
      { kind: 'percentage', identities: ['minimum_living', 'monitored'], department: 'medical_assistance', percent: 7_500 },
    ]);
    // The person pays 25 %: 400 × 25 % = 100 yuan.
    expect(40_000 - (40_000 * 7_500) / 10_000).toBe(10_000);
  });

  it('lhasa-2024: contribution 380, fixed subsidy 342 → the person pays 38 (a family of 7: 266 paid, 2,394 saved)', () => {
    const e = policy('lhasa-2024').enrollment;
    expect(e.tiers).toEqual([{ id: 'tier1', contribution: 38_000 }]);
    expect(e.fiscalSubsidyPerPerson).toBe(70_750); // "707.5" yuan
    const fixed = e.subsidies.find((s) => s.kind === 'fixed');
    expect(fixed).toEqual({
      kind: 'fixed',
      identities: ['minimum_living', 'monitored', 'sudden_hardship', 'low_income_transition'],
      department: 'medical_assistance',
      amount: 34_200,
    });
    const pays = 38_000 - 34_200;
    expect(pays).toBe(3_800);
    expect(7 * pays).toBe(26_600);
    expect(7 * 34_200).toBe(239_400);
    expect(e.subsidies.filter((s) => s.kind === 'full')).toEqual([
      { kind: 'full', identities: ['extreme_poverty', 'severe_disability'], department: 'medical_assistance' },
      { kind: 'full', identities: ['border_resident'], department: 'finance' },
    ]);
  });

  it('lhasa-2025: contribution 400, fixed subsidy 360 → the person pays 40; border_resident pays nothing', () => {
    const e = policy('lhasa-2025').enrollment;
    expect(e.tiers[0]!.contribution).toBe(40_000);
    const fixed = e.subsidies.find((s) => s.kind === 'fixed');
    expect(fixed && fixed.kind === 'fixed' ? fixed.amount : null).toBe(36_000);
    expect(e.subsidies).toContainEqual({ kind: 'full', identities: ['border_resident'], department: 'finance' });
  });

  it('haixi-2023: the scheduled subsidy resolves to the policy year (2023 → 70 %)', () => {
    const e = policy('haixi-2023').enrollment;
    expect(e.tiers).toEqual([{ id: 'tier1', contribution: 38_000 }]);
    expect(e.subsidies).toEqual([
      { kind: 'full', identities: ['extreme_poverty'], department: 'medical_assistance' },
      {
        kind: 'percentage',
        identities: ['minimum_living', 'returned_to_poverty', 'monitored'],
        department: 'medical_assistance',
        percent: 7_000,
      },
    ]);
  });

  it.each([
    [2021, 9_000],
    [2022, 8_000],
    [2023, 7_000],
    [2024, 6_000],
    [2025, 5_000],
  ])('the Haixi schedule in %i gives %i bp', (year, percent) => {
    const source = text('haixi-2023').replace('id: haixi-2023', `id: haixi-${year}`).replace('year: 2023', `year: ${year}`)
      .replace('window: { from: "2022-09-01", to: "2022-12-31" }', `window: { from: "${year - 1}-09-01", to: "${year - 1}-12-31" }`)
      .replace('coverFrom: "2023-01-01"', `coverFrom: "${year}-01-01"`).replace('countYearsFrom: 2022', `countYearsFrom: ${year - 1}`);
    const compiled = compilePolicy(source, `x/haixi-${year}.yaml`);
    expect(compiled.enrollment.subsidies[1]).toMatchObject({ kind: 'percentage', percent });
  });
});

describe('a broken policy gives a PolicyError naming the file and the field', () => {
  const file = 'x/bad-2025.yaml';

  it('(the unbroken copy used below compiles)', () => {
    expect(compilePolicy(variant('lhasa-2025', 2025), file).id).toBe('bad-2025');
  });

  it('a missing hospital level', () => {
    const e = failure(variant('lhasa-2025', 2025, ['        3: { deductible: 600, ratio: 75% }\n', '']));
    expectProblem(e, file, 'benefits.resident.inpatient.levels.3', 'is missing');
    expect(e.problems).toHaveLength(1);
  });

  it('a missing outpatient level of the employee scheme', () => {
    const e = failure(variant('lhasa-2025', 2025, ['        2: { ratio: { in_service: 70%, retired: 80% } }\n', '']));
    expectProblem(e, file, 'benefits.employee.outpatient.levels.2', 'is missing');
  });

  it('a ratio of "120%"', () => {
    const e = failure(variant('lhasa-2025', 2025, ['2: { deductible: 300, ratio: 85% }', '2: { deductible: 300, ratio: 120% }']));
    expectProblem(e, file, 'benefits.resident.inpatient.levels.2.ratio', '120% is above 100%');
  });

  it('a negative ratio', () => {
    const e = failure(variant('lhasa-2025', 2025, ['outOfArea: { filed: 5%,', 'outOfArea: { filed: -5%,']));
    expectProblem(e, file, 'benefits.outOfArea.filed', 'is not a percentage');
  });

  it('707.5 written as a YAML float instead of the string "707.5"', () => {
    const e = failure(variant('lhasa-2025', 2025, ['fiscalSubsidyPerPerson: "707.5"', 'fiscalSubsidyPerPerson: 707.5']));
    expectProblem(e, file, 'enrollment.fiscalSubsidyPerPerson', /707\.5 must be a whole non-negative number/);
  });

  it('a yuan amount with three decimals', () => {
    const e = failure(variant('lhasa-2025', 2025, ['fiscalSubsidyPerPerson: "707.5"', 'fiscalSubsidyPerPerson: "707.505"']));
    expectProblem(e, file, 'enrollment.fiscalSubsidyPerPerson', 'is not a yuan amount');
  });

  it('a negative amount', () => {
    const e = failure(variant('lhasa-2025', 2025, ['      yearlyCap: 500\n', '      yearlyCap: -500\n']));
    expectProblem(e, file, 'benefits.resident.outpatient.yearlyCap', '-500');
  });

  it('an unknown identity in a subsidy', () => {
    const e = failure(variant('lhasa-2025', 2025, ['[extreme_poverty, severe_disability]', '[extreme_poverty, herder]']));
    expectProblem(e, file, 'enrollment.subsidies.0.identities.1', "received 'herder'");
  });

  it('an unknown identity as an assistance ratio key', () => {
    const e = failure(variant('lhasa-2025', 2025, ['      sudden_hardship: 70%\n', '      herder: 70%\n']));
    expectProblem(e, file, 'benefits.assistance.ratios.herder', "received 'herder'");
  });

  it('an unknown department', () => {
    const e = failure(variant('lhasa-2025', 2025, ['[border_resident], department: finance', '[border_resident], department: treasury']));
    expectProblem(e, file, 'enrollment.subsidies.1.department', "received 'treasury'");
  });

  it('a misspelt field', () => {
    const e = failure(variant('lhasa-2025', 2025, ['1: { deductible: 100, ratio: 90% }', '1: { deductable: 100, ratio: 90% }']));
    expectProblem(e, file, 'benefits.resident.inpatient.levels.1', "Unrecognized key(s) in object: 'deductable'");
  });

  it('an id that does not match the file name', () => {
    const e = failure(variant('lhasa-2025', 2025), 'x/other-2025.yaml');
    expectProblem(e, 'x/other-2025.yaml', 'id', '"bad-2025" does not match the file name "other-2025"');
  });

  it('a year that does not match the id', () => {
    const e = failure(variant('lhasa-2025', 2025, ['year: 2025', 'year: 2024']));
    expectProblem(e, file, 'year', '2024 does not match the id "bad-2025"');
  });

  it('an id that is not kebab-case', () => {
    const e = failure(text('lhasa-2025').replace('id: lhasa-2025', 'id: Lhasa_2025'), 'x/Lhasa_2025.yaml');
    expectProblem(e, 'x/Lhasa_2025.yaml', 'id', 'kebab-case');
  });

  it('critical-illness bands that do not increase (reported once)', () => {
    const e = failure(variant('lhasa-2025', 2025, ['{ upTo: 100000, ratio: 70% }', '{ upTo: 40000, ratio: 70% }']));
    expectProblem(e, file, 'benefits.critical.bands.1.upTo', 'must be above 5000000 fen');
    expect(e.problems).toHaveLength(1);
  });

  it('a first band below the threshold', () => {
    const e = failure(variant('lhasa-2025', 2025, ['{ upTo: 50000, ratio: 60% }', '{ upTo: 8000, ratio: 60% }']));
    expectProblem(e, file, 'benefits.critical.bands.0.upTo', 'must be above 1000000 fen');
  });

  it('a closed last band', () => {
    const e = failure(variant('lhasa-2025', 2025, ['      - { ratio: 80% }', '      - { upTo: 200000, ratio: 80% }']));
    expectProblem(e, file, 'benefits.critical.bands.2.upTo', 'the last band must be open');
    expect(e.problems).toHaveLength(1);
  });

  it('a tilted bonus that takes a band above 100 %', () => {
    const e = failure(variant('lhasa-2025', 2025, ['ratioBonus: 5%', 'ratioBonus: 25%']));
    expectProblem(e, file, 'benefits.critical.tilted.bands.2.ratio', 'above 100%');
  });

  it('a missing chronic class limit', () => {
    const e = failure(
      variant('lhasa-2025', 2025, [
        '      ratio: 85%\n      classLimits: { A: 50000, B: 5000 }',
        '      ratio: 85%\n      classLimits: { A: 50000 }',
      ]),
    );
    expectProblem(e, file, 'benefits.employee.chronic.classLimits.B', 'is missing');
  });

  it('a fixed subsidy above the contribution', () => {
    const e = failure(variant('lhasa-2025', 2025, ['amount: 360', 'amount: 500']));
    expectProblem(e, file, 'enrollment.subsidies.2.amount', 'a fixed subsidy of 50000 fen is more than the smallest contribution (40000 fen)');
  });

  it('a scheduled subsidy without the policy year', () => {
    const e = failure(variant('haixi-2023', 2023, ['"2023": 70%, ', '']), 'x/bad-2023.yaml');
    expectProblem(e, 'x/bad-2023.yaml', 'enrollment.subsidies.1.schedule', 'has no entry for the policy year 2023');
  });

  it('a required section missing', () => {
    const e = failure(variant('lhasa-2025', 2025, ['monitoring:\n', 'monitoring_:\n']));
    expectProblem(e, file, 'monitoring', 'Required');
  });

  it('text that is not YAML', () => {
    const e = failure('id: [bad-2025\n');
    expectProblem(e, file, '', 'not valid YAML/JSON');
    expect(e.message).toMatch(/^x\/bad-2025\.yaml: \(file\): not valid YAML\/JSON/);
  });

  it('several problems at once, one line each', () => {
    const e = failure(
      variant(
        'lhasa-2025',
        2025,
        ['2: { deductible: 300, ratio: 85% }', '2: { deductible: 300, ratio: 120% }'],
        ['fiscalSubsidyPerPerson: "707.5"', 'fiscalSubsidyPerPerson: 707.5'],
      ),
    );
    expect(e.message.split('\n')).toHaveLength(2);
    expectProblem(e, file, 'benefits.resident.inpatient.levels.2.ratio', 'above 100%');
    expectProblem(e, file, 'enrollment.fiscalSubsidyPerPerson', '707.5');
  });

  it('JSON is accepted as YAML', () => {
    const json = JSON.stringify({ ...(parseYaml(text('lhasa-2025')) as object), id: 'bad-2025' });
    expect(compilePolicy(json, 'x/bad-2025.json').benefits.resident.inpatient[2]).toEqual({ deductible: 30_000, ratio: 8_500 });
  });
});
