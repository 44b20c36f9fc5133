import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle } from '../../domain/engine/settle.ts';
import type { Step } from '../../domain/engine/types.ts';
import { IDENTITIES } from '../../domain/vocabulary.ts';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { decodeSteps, encodeSteps, encodeStepsChecked } from './steps-codec.ts';

const registry = loadFixturePolicies();

/** What the engine explains for a bill (every policy, kind and level, with and without identities and a year behind). */
function engineSteps(policyId: string, kind: 'inpatient' | 'outpatient', compliant: number, identities: string[], ytdBasic: number): readonly Step[] {
  const policy = registry.get(policyId)!;
  return settle(policy, {
    person: { scheme: 'resident', identities: identities as never[] },
    visit: { kind, level: 2, date: `${policy.year}-06-01` },
    amounts: { total: compliant + 1000, compliant },
    yearToDate: { basic: ytdBasic, criticalBase: ytdBasic },
  }).steps;
}

const SAMPLE: Step[] = [
  { fund: 'basic', base: 3152301, rule: 'basic.inpatient', ratio: 8500, amount: 2679456, deductible: 30000 },
  { fund: 'critical', base: 502845, rule: 'critical.tilted', amount: 1849, identity: 'minimum_living', accumulated: { before: 0, after: 502845, threshold: 500000 } },
  { fund: 'assistance', base: 500996, rule: 'assistance.ordinary', ratio: 8000, amount: 400797, identity: 'minimum_living' },
  { fund: 'supplementary', base: 0, rule: 'supplementary.not_applicable', amount: 0 },
  { fund: 'tilt', base: 0, rule: 'tilt.not_applicable', amount: 0 },
];

describe('stored steps', () => {
  it('read back the same as the engine wrote them, for every policy and kind of bill', () => {
    for (const { id } of registry.list()) {
      for (const kind of ['inpatient', 'outpatient'] as const) {
        for (const identities of [[], ['minimum_living'], ['extreme_poverty', 'disabled']]) {
          for (const [compliant, ytd] of [[0, 0], [12_345, 0], [3_152_301, 0], [9_000_000, 40_000_000]] as const) {
            const steps = engineSteps(id, kind, compliant, identities.filter((i) => (IDENTITIES as readonly string[]).includes(i)), ytd);
            const stored = encodeSteps(steps);
            expect(decodeSteps(stored)).toEqual(steps);
            expect(JSON.parse(stored)[0]).toBe(1); // the engine's steps all fit the compact format
          }
        }
      }
    }
  });

  it('take well under half the bytes of the objects they replace (a third of them as jsonb)', () => {
    const stored = encodeSteps(SAMPLE);
    expect(stored).toBe(
      '[1,["b",3152301,"inpatient",2679456,"r",8500,"d",30000],["c",502845,"tilted",1849,"i","minimum_living","a",[0,502845,500000]],["a",500996,"ordinary",400797,"r",8000,"i","minimum_living"],"s","t"]',
    );
    expect(stored.length * 2.5).toBeLessThan(JSON.stringify(SAMPLE).length);
    expect(decodeSteps(stored)).toEqual(SAMPLE);
  });

  it('keep a step of a kind they do not know (an account payment, a key added later) whole', () => {
    const steps = [
      ...SAMPLE,
      { fund: 'personalAccount', rule: 'account.own', base: 895775, amount: 895775, holderId: 42, note: 'acct_pay' },
      { fund: 'basic', base: 10, rule: 'elsewhere.rule', amount: 5, lines: [{ code: 'X1', amount: 5, reason: { why: 'class B', ratio: 1000 } }] },
      { fund: 'tilt', base: 0, rule: 'tilt.not_applicable', amount: 0, note: 'not a plain skipped tier' },
    ];
    const stored = encodeSteps(steps);
    expect(JSON.parse(stored)[0]).toBe(1);
    expect(decodeSteps(stored)).toEqual(steps);
  });

  it('keep the bill step short: its usual note by a token, its line groups and the lines not listed as rows of values', () => {
    const unverified = { fund: 'bill', rule: 'bill.unverified', base: 300_000, amount: 240_000, note: 'compliant amount as declared by the hospital' };
    expect(encodeSteps([unverified])).toBe('[1,["x",300000,"unverified",240000,"n","~u"]]');
    const group = { code: '001', name: '床位费', class: 'A', lines: 3, first: 0, quantity: 3, unitPrice: 5000, amount: 15000, aboveCap: 0, excluded: 0, selfPayFirst: 0, compliant: 15000, rule: 'line.class_a' };
    const itemised = {
      fund: 'bill', rule: 'bill.itemised', base: 99_000, amount: 80_000, lineCount: 12,
      groups: [group, { ...group, code: '002', class: 'B', selfPayFirstRatio: 1000, unmet: [{ restriction: 'level', detail: '三级' }] }],
      others: { groups: 2, lines: 7, amount: 69_000, aboveCap: 0, excluded: 10_000, selfPayFirst: 0, compliant: 59_000 },
    };
    const stored = encodeSteps([...SAMPLE, itemised, { ...unverified, note: 'a note of its own' }]);
    expect(JSON.parse(stored)[0]).toBe(1);
    expect(stored.length * 2).toBeLessThan(JSON.stringify([...SAMPLE, itemised]).length);
    expect(decodeSteps(stored)).toEqual([...SAMPLE, itemised, { ...unverified, note: 'a note of its own' }]);
    // A group without one of its usual keys is kept as it stands.
    const { first: _first, ...partial } = group;
    const odd = { ...itemised, groups: [partial] };
    expect(decodeSteps(encodeSteps([odd]))).toEqual([odd]);
  });

  it('fall back to plain objects when a step would not come back the same, and read those (and jsonb) as they are', () => {
    const odd = [{ fund: 'basic', base: 1, rule: 'basic.x', amount: 1, r: 'a one-letter key of its own' }];
    expect(encodeSteps(odd)).toBe(JSON.stringify(odd));
    expect(decodeSteps(encodeSteps(odd))).toEqual(odd);
    expect(decodeSteps(JSON.stringify(SAMPLE))).toEqual(SAMPLE);
    expect(decodeSteps(SAMPLE)).toEqual(SAMPLE);
    expect(decodeSteps(JSON.parse(encodeSteps(SAMPLE)))).toEqual(SAMPLE);
    expect(decodeSteps('[]')).toEqual([]);
    expect(decodeSteps(encodeSteps([]))).toEqual([]);
  });

  it('round-trip any steps at all (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['fund', 'base', 'rule', 'amount', '__proto__'].includes(k));
    const json = fc.jsonValue({ maxDepth: 2 });
    const step = fc.record({
      fund: fc.oneof(fc.constantFrom('basic', 'critical', 'assistance', 'supplementary', 'tilt', 'personalAccount'), fc.string()),
      base: fc.integer({ min: 0, max: 2 ** 40 }),
      rule: fc.oneof(fc.constantFrom('basic.inpatient', 'tilt.not_applicable', '=odd', ''), fc.string()),
      amount: fc.integer({ min: 0, max: 2 ** 40 }),
      extra: fc.dictionary(key, json, { maxKeys: 4 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 7 }), (raw) => {
        const steps = raw.map(({ extra, ...s }) => ({ ...extra, ...s }));
        const expected = JSON.parse(JSON.stringify(steps)) as unknown;
        expect(decodeSteps(encodeSteps(steps))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('store the same text as the full read-back check, whatever the steps hold (property)', () => {
    const key = fc.oneof(fc.constantFrom('r', 'a', 'g', 'o', 'n', 'accumulated', 'groups', 'others', 'note', 'ratio', 'toJSON'), fc.string({ maxLength: 6 }))
      .filter((k) => !['fund', 'base', 'rule', 'amount', '__proto__'].includes(k));
    const odd = fc.constantFrom(undefined, Number.NaN, Infinity, -0, new Date(0), () => 1, Symbol('s'), null);
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), odd, fc.array(fc.oneof(fc.integer(), odd), { maxLength: 3 }),
      fc.record({ before: fc.oneof(fc.integer(), odd), after: fc.integer(), threshold: fc.integer() }, { requiredKeys: [] }),
      fc.constant('compliant amount as declared by the hospital'));
    const step = fc.record({
      fund: fc.oneof(fc.constantFrom('basic', 'critical', 'bill', 'personalAccount'), fc.string({ maxLength: 3 })),
      base: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), odd),
      rule: fc.oneof(fc.constantFrom('basic.inpatient', 'critical.not_applicable', '=odd', ''), fc.string({ maxLength: 4 })),
      amount: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), odd),
      extra: fc.dictionary(key, value, { maxKeys: 3 }),
    }, { requiredKeys: ['fund', 'extra'] });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 5 }), (raw) => {
        const steps = raw.map(({ extra, ...s }) => ({ ...extra, ...s }));
        expect(encodeSteps(steps)).toBe(encodeStepsChecked(steps));
      }),
      { numRuns: 2000 },
    );
    for (const steps of [SAMPLE, [{ fund: 'basic', base: 1, rule: 'basic.x', amount: 1, r: 'own' }], [{ fund: 'basic', base: 0, rule: 'basic.not_applicable', amount: 0, x: undefined }]]) {
      expect(encodeSteps(steps)).toBe(encodeStepsChecked(steps));
    }
  });
});
