/**
 * The settle body's hand check (src/api/settle-body-fast.ts) against zod's
 * settleBodySchema: on random bodies, valid and broken, whatever the hand check
 * accepts zod accepts with the very same output (keys in the same order); the
 * common bodies are all taken by the hand check. And idNumberProblem's calendar
 * arithmetic against the Date-based check it replaced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastSettleBody, isAcceptedDate } from '../src/api/settle-body-fast.ts';
import { settleBodySchema } from '../src/api/schemas.ts';
import { isoDateSchema } from '../src/domain/engine/quote-schema.ts';
import { checkCharacter, idNumberProblem, makeIdNumber } from '../src/domain/id-number.ts';
import { MAX_FEN } from '../src/domain/money.ts';

const dates = fc.oneof(
  fc.constantFrom('2025-07-01', '2024-02-29', '2025-02-29', '2000-02-29', '1900-02-29', '1900-01-01', '1899-12-31', '2199-12-31', '2200-01-01',
    '2025-13-01', '2025-00-10', '2025-04-31', '2025-12-31', ' 2025-01-01', '2025-1-01', '２０２５-01-01', '', '2025-06-00'),
  fc.tuple(fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);
const validId = fc.tuple(fc.constantFrom('513330', '540102', '110101'), fc.integer({ min: 1930, max: 2020 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.nat(999), fc.constantFrom('M', 'F'))
  .map(([div, y, m, d, seq, sex]) => makeIdNumber(div, `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, seq, sex as 'M' | 'F'));
const idNumbers = fc.oneof(
  validId,
  validId.map((id) => ` ${id.toLowerCase()} `),
  validId.map((id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0')),
  fc.string({ maxLength: 20 }),
);
const fen = fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.constantFrom(-1, 0, 1.5, MAX_FEN, MAX_FEN + 1, -0, Number.NaN, Infinity));
const weird = fc.oneof(fc.constant(null), fc.boolean(), fc.string({ maxLength: 5 }), fc.integer(), fc.double(), fc.array(fc.nat(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

/** A valid body of the common shape (or with a chronic visit), before any mutation. */
const commonBodies = fc.record({
  transactionId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/),
  patient: fc.oneof(validId.map((idNumber) => ({ idNumber })), fc.string({ minLength: 8, maxLength: 200 }).map((qrToken) => ({ qrToken }))),
  visit: fc.record({
    kind: fc.constantFrom('inpatient', 'outpatient'),
    date: fc.constant('2025-07-01'),
    majorIllness: maybe(fc.boolean()),
    emergency: maybe(fc.boolean()),
    diagnosis: maybe(fc.string({ maxLength: 200 })),
    dischargeDate: maybe(fc.constantFrom('2025-07-01', '2025-07-09')),
  }, { requiredKeys: ['kind', 'date'] }),
  amounts: fc.integer({ min: 0, max: 5_000_000 }).chain((total) => fc.record({ total: fc.constant(total), compliant: fc.integer({ min: 0, max: total }) })),
  acctUsedFlag: maybe(fc.boolean()),
  acctPayAmount: maybe(fc.integer({ min: 0, max: 100_000 })),
}, { requiredKeys: ['transactionId', 'patient', 'visit', 'amounts'] });

const DELETE = Symbol('delete');
/** Where a body is changed, and what it may become there (DELETE: the key removed). */
const mutations: fc.Arbitrary<[string[], unknown]>[] = [
  fc.tuple(fc.constant(['transactionId']), fc.oneof(fc.constantFrom('T-1', 'his.2025:07_01-9', '-bad', 'x'.repeat(64), 'x'.repeat(65), 'a b', DELETE), weird)),
  fc.tuple(fc.constant(['patient']), fc.oneof(idNumbers.map((idNumber) => ({ idNumber })), fc.string({ maxLength: 210 }).map((qrToken) => ({ qrToken })),
    fc.tuple(validId, fc.string()).map(([idNumber, qrToken]) => ({ idNumber, qrToken })), fc.constant({}), fc.constant(DELETE), weird)),
  fc.tuple(fc.constant(['patient', 'idNumber']), idNumbers),
  fc.tuple(fc.constant(['visit']), fc.oneof(fc.constant(DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'kind']), fc.oneof(fc.constantFrom('inpatient', 'outpatient', 'chronic', 'x', DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'date']), fc.oneof(dates, fc.constant(DELETE), weird)),
  fc.tuple(fc.constantFrom(['visit', 'majorIllness'], ['visit', 'emergency']), fc.oneof(fc.boolean(), fc.constant(DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'chronicClass']), fc.oneof(fc.constantFrom('A', 'B', 'C', DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'chronicCategory']), fc.oneof(fc.integer({ min: -1, max: 10_001 }), fc.constantFrom(1.5, DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'diagnosis']), fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('x'.repeat(200), 'x'.repeat(201), DELETE), weird)),
  fc.tuple(fc.constant(['visit', 'dischargeDate']), fc.oneof(dates, fc.constant(DELETE), weird)),
  fc.tuple(fc.constantFrom(['visit', 'extra'], ['other'], ['amounts', 'more'], ['patient', 'more']), weird),
  fc.tuple(fc.constant(['amounts']), fc.oneof(fc.constant(DELETE), weird)),
  fc.tuple(fc.constantFrom(['amounts', 'total'], ['amounts', 'compliant'], ['acctPayAmount']), fc.oneof(fen, fc.constant(DELETE), weird)),
  fc.tuple(fc.constant(['acctUsedFlag']), fc.oneof(fc.boolean(), fc.constant(DELETE), weird)),
  fc.tuple(fc.constant(['lines']), fc.constant([{ code: 'A', quantity: 1, unitPrice: 100, amount: 100, date: '2025-07-01', department: 'x' }])),
];

function mutate(body: Record<string, unknown>, changes: [string[], unknown][]): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  for (const [path, value] of changes) {
    let at: unknown = copy;
    for (const key of path.slice(0, -1)) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    if (at === null || typeof at !== 'object' || Array.isArray(at)) continue;
    const last = path[path.length - 1]!;
    if (value === DELETE) delete (at as Record<string, unknown>)[last];
    else (at as Record<string, unknown>)[last] = value;
  }
  return copy;
}

const bodies = fc.tuple(commonBodies, fc.array(fc.oneof(...mutations), { maxLength: 3 })).map(([body, changes]) => mutate(body, changes));

/** fc.record leaves optional keys out, but a `maybe` gives an explicit undefined: drop those as JSON would. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `${x}` : x)) ?? 'null');

describe('the settle body checked by hand', () => {
  it('accepts only what zod accepts, and returns exactly what zod returns', () => {
    let taken = 0;
    fc.assert(fc.property(bodies, (raw) => {
      const body = asJson(raw);
      const fast = fastSettleBody(body);
      const zod = settleBodySchema.safeParse(body);
      if (fast === undefined) return;
      taken++;
      expect(zod.success).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      expect(fast).toStrictEqual(zod.data);
    }), { numRuns: 3000 });
    expect(taken).toBeGreaterThan(0);
  });

  it('takes every common body (amounts, an ID number or a QR token, any of the visit fields)', () => {
    const common = commonBodies;
    fc.assert(fc.property(common, (raw) => {
      const body = asJson(raw);
      const fast = fastSettleBody(body);
      expect(fast).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(settleBodySchema.parse(body)));
    }), { numRuns: 1000 });
  });

  it('leaves fee lines, unknown keys and every error to zod', () => {
    const good = { transactionId: 'T-1', patient: { idNumber: makeIdNumber('513330', '1980-05-05', 1, 'M') }, visit: { kind: 'inpatient', date: '2025-07-01' }, amounts: { total: 100, compliant: 80 } };
    expect(fastSettleBody(good)).toEqual(good);
    const lines = [{ code: 'A', quantity: 1, unitPrice: 100, amount: 100, date: '2025-07-01', department: 'x' }];
    expect(fastSettleBody({ ...good, lines })).toBeUndefined();
    expect(fastSettleBody({ ...good, x: 1 })).toBeUndefined();
    expect(fastSettleBody({ ...good, amounts: { total: 100, compliant: 101 } })).toBeUndefined();
    expect(fastSettleBody({ ...good, visit: { kind: 'inpatient', date: '2025-02-29' } })).toBeUndefined();
    expect(fastSettleBody({ ...good, visit: { kind: 'chronic', date: '2025-07-01' } })).toBeUndefined();
    expect(fastSettleBody(null)).toBeUndefined();
    expect(fastSettleBody([good])).toBeUndefined();
  });

  it('reads dates as isoDateSchema does', () => {
    fc.assert(fc.property(fc.oneof(dates, fc.string({ maxLength: 12 })), (d) => {
      expect(isAcceptedDate(d)).toBe(isoDateSchema.safeParse(d).success);
    }), { numRuns: 3000 });
  });
});

/** The check idNumberProblem made before (a Date and its ISO text), the oracle for its arithmetic. */
function oldProblem(raw: string): string | null {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a check digit or X';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(birth)) return `birth date ${birth} is not a real date`;
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'check digit does not match (GB 11643)';
  return null;
}

describe('idNumberProblem without a Date', () => {
  it('says what the Date-based check said, for any birth date of years 0 to 9999', () => {
    const ids = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.nat(999), fc.boolean())
      .map(([y, m, d, seq, good]) => {
        const first17 = `513330${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
        return first17 + (good ? checkCharacter(first17) : 'Y');
      });
    fc.assert(fc.property(fc.oneof(ids, ids.map((id) => id.slice(0, 17) + '0'), fc.string({ maxLength: 19 })), (id) => {
      expect(idNumberProblem(id)).toBe(oldProblem(id));
    }), { numRuns: 5000 });
    for (const id of ['513330' + '20000229' + '001', '513330' + '19000229' + '001', '513330' + '00000229' + '001', '513330' + '20240230' + '001']) {
      const full = id + checkCharacter(id);
      expect(idNumberProblem(full)).toBe(oldProblem(full));
    }
  });
});
