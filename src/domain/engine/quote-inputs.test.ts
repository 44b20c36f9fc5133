/**
 * The SPEC §5 trial calculation keeps its shape and takes the engine's new
 * optional inputs: a chronic visit's catalogue category, an admission date, a
 * person's attributes (civil_servant) and each supplementary tier's year.
 */
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { DomainError } from '../errors.ts';
import { parseQuote, quote } from './quote.ts';

const registry = loadFixturePolicies();

const base = {
  policy: 'lhasa-2025',
  person: { scheme: 'resident', identities: ['minimum_living'], status: 'in_service' },
  visit: { kind: 'inpatient', level: 2, date: '2025-06-01', outOfArea: false, filed: false, majorIllness: false },
  amounts: { total: 11_211_000, compliant: 9_800_000 },
};

function refused(raw: unknown): DomainError {
  try {
    quote(registry, parseQuote(raw));
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('sanbao quote with the engine\'s new inputs', () => {
  it('keeps the SPEC §5 shape for the SPEC example', () => {
    const out = quote(registry, parseQuote(base));
    for (const key of ['total', 'compliant', 'funds', 'selfPayCompliant', 'selfPayExcluded', 'selfPay', 'steps', 'alerts']) expect(out).toHaveProperty(key);
    expect(Object.keys(out.funds)).toEqual(['basic', 'critical', 'assistance', 'supplementary', 'tilt']);
    expect(out.funds).toEqual({ basic: 8_304_500, critical: 647_075, assistance: 678_740, supplementary: 0, tilt: 0 });
  });

  it('checks a chronic visit\'s category against the catalogue in force on its date', () => {
    const chronic = (date: string, chronicCategory: number) => ({ ...base, visit: { kind: 'chronic', level: 2, date, chronicClass: 'B', chronicCategory }, amounts: { total: 100_000, compliant: 100_000 } });
    expect(refused(chronic('2025-08-31', 40)).code).toBe('CHRONIC_NOT_IN_CATALOGUE');
    expect(quote(registry, parseQuote(chronic('2025-09-01', 40))).funds.basic).toBe(80_000);
    expect(refused(chronic('2025-09-01', 0)).message).toMatch(/^visit\.chronicCategory: /);
  });

  it('takes the cover day and continuous enrolment: a bill before cover is NOT_COVERED', () => {
    expect(refused({ ...base, coverFrom: '2025-06-02' }).code).toBe('NOT_COVERED');
    expect(quote(registry, parseQuote({ ...base, coverFrom: '2025-06-01', continuity: { yearsInsured: 6, claimFreeYears: 0 } })).funds).toEqual(quote(registry, parseQuote(base)).funds);
    expect(refused({ ...base, continuity: { yearsInsured: -1, claimFreeYears: 0 } }).message).toMatch(/^continuity\.yearsInsured: /);
  });

  it('refuses an admission after the visit date, naming the field', () => {
    expect(refused({ ...base, visit: { ...base.visit, admissionDate: '2025-06-02' } }).message).toMatch(/^visit\.admissionDate: must not be after the visit date/);
  });

  it('takes a civil servant\'s attribute and each tier\'s year (lhasa-2024 lists the supplementary tiers)', () => {
    const employee = {
      ...base,
      policy: 'lhasa-2024',
      person: { scheme: 'employee', identities: [], attributes: ['civil_servant'] },
      visit: { kind: 'inpatient', level: 2, date: '2024-05-01' },
      amounts: { total: 1_050_000, compliant: 1_050_000 },
      yearToDate: { basic: 39_900_000 },
      supplementaryYearToDate: { civil_servant_subsidy: 4_990_000 },
    };
    const out = quote(registry, parseQuote(employee));
    // civil-servant subsidy: 25,001 due (see supplementary-tiers.test.ts), 10,000 left under its 50,000-yuan cap
    expect(out.steps.find((s) => s.rule === 'supplementary.civil_servant_subsidy')).toMatchObject({ amount: 10_000, capRemaining: 10_000 });
    expect(refused({ ...employee, person: { ...employee.person, attributes: ['monk'] } }).message).toMatch(/^person\.attributes\.0: /);
  });
});
