/**
 * The request hash a settlement keeps for idempotency: a retry of a bill settled
 * months ago must hash the same, so the text hashed (canonicalJson) and the
 * hash never change. Pinned hashes of three requests as the first version
 * computed them, and the text against the first version's code on random values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash, type SettleRequest } from '../src/service/settlement-service.ts';

/** canonicalJson as first written (the oracle). */
function firstCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const REQUESTS: [unknown, string][] = [
  [
    { transactionId: 'T-1', patient: { idNumber: '513330198005050011' }, visit: { kind: 'inpatient', date: '2025-07-01' }, amounts: { total: 100000, compliant: 80000 } },
    '5ea6e947e8adfff720fdf70a2fef4618dc84ca9a2c697040b021ba0ee6ba2946',
  ],
  [
    {
      transactionId: 'his.2025:07_01-9', patient: { qrToken: 'qr-token-三保-1' },
      visit: { kind: 'outpatient', date: '2025-07-01', majorIllness: false, emergency: true, diagnosis: 'J18.9', dischargeDate: '2025-07-03' },
      amounts: { total: 5, compliant: 0 }, acctUsedFlag: true, acctPayAmount: 300,
    },
    '35592352366ea404037f2cd42d8a4a617e508881b1d712bf5225f0b672a45dd4',
  ],
  [
    {
      transactionId: 'L-2', patient: { idNumber: '513330198005050011' }, visit: { kind: 'chronic', date: '2025-01-31', chronicClass: 'A', chronicCategory: 3 },
      lines: [{ code: '001', quantity: 2, unitPrice: 150, amount: 300, date: '2025-01-31', department: '内科' }], acctUsedFlag: false,
    },
    '76d329c9f9379ee7e47b98250ca29ad68408b266f338895dc7d9275e66b86e1c',
  ],
];

describe('the request hash of a settlement', () => {
  it('is the hash the first version computed for the same request', () => {
    for (const [request, hash] of REQUESTS) expect(requestHash(request as SettleRequest)).toBe(hash);
  });

  it('hashes text written exactly as the first version wrote it, whatever the values (property)', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a', 'B', 'é', '三', '\u{1F600}', '10', '9', '__proto__'));
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined), tie('arr'), tie('obj')),
      arr: fc.array(tie('any'), { maxLength: 4 }),
      obj: fc.dictionary(key, tie('any'), { maxKeys: 5 }),
    })).any;
    fc.assert(fc.property(value, (v) => {
      expect(canonicalJson(v)).toBe(firstCanonicalJson(v));
    }), { numRuns: 3000 });
    // Holes in an array, as map() and join() treat them.
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 3])).toBe(firstCanonicalJson([1, , 3]));
  });
});
