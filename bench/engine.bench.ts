/**
 * Settlement-engine throughput: `npm run bench:engine`.
 *
 * Generates 1,000,000 varied cases up front (a deterministic PRNG over every
 * reference policy, visit kind, hospital level, identity, employment status
 * and year-to-date state), warms the engine up, then times settle() over all
 * of them on one core. Prints settlements per second, nanoseconds per
 * settlement and a checksum — the total of all funds paid, in fen — so the work
 * cannot be optimised away and two runs (or two versions of the engine) can be
 * compared for identical results.
 *
 * Options (environment): BENCH_CASES (default 1000000), BENCH_ROUNDS (default 5).
 */
import { settle } from '../src/domain/engine/settle.ts';
import type { IdentitySpan, SettlementInput, YearToDate } from '../src/domain/engine/types.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Policy } from '../src/domain/policy/types.ts';
import { IDENTITIES, type HospitalLevel, type Identity, type VisitKind } from '../src/domain/vocabulary.ts';
import { prng } from '../src/demo/generate.ts';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEED = 0x5a_4b_a0;


const policies: Policy[] = loadPolicies().list();
const random = prng(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number): boolean => random() < p;

const KINDS: readonly VisitKind[] = ['inpatient', 'inpatient', 'outpatient', 'chronic'];
const LEVELS: readonly HospitalLevel[] = [0, 1, 2, 3];

function date(policy: Policy): string {
  const month = int(1, 12);
  const day = int(1, 28);
  return `${policy.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function identities(policy: Policy): (Identity | IdentitySpan)[] {
  const out: (Identity | IdentitySpan)[] = [];
  const n = pick([0, 0, 1, 1, 1, 2, 3]);
  for (let i = 0; i < n; i++) {
    const identity = pick(IDENTITIES);
    if (chance(0.2)) {
      // A span: half of them end before mid-year, half start then.
      out.push(chance(0.5) ? { identity, to: `${policy.year}-06-30` } : { identity, from: `${policy.year}-07-01`, to: null });
    } else out.push(identity);
  }
  return out;
}

function amounts(kind: VisitKind): { total: number; compliant: number } {
  const scale = kind === 'inpatient' ? pick([50_000, 500_000, 5_000_000, 50_000_000]) : pick([5_000, 50_000, 500_000]);
  const total = int(0, scale);
  // A compliant share of 50–100 % in whole percent: integer fen arithmetic only.
  const compliant = chance(0.1) ? total : Math.floor((total * int(50, 100)) / 100);
  return { total, compliant };
}

function yearToDate(): Partial<YearToDate> | undefined {
  if (chance(0.4)) return undefined;
  return {
    basic: int(0, 25_000_000),
    criticalBase: int(0, 60_000_000),
    critical: int(0, 30_000_000),
    assistance: int(0, 16_000_000),
    assistanceMajor: int(0, 31_000_000),
    outpatientDeductibleUsed: int(0, 30_000),
    outpatientFund: int(0, 600_000),
    chronicFund: int(0, 5_500_000),
    selfPay: pick([0, int(0, 1_500_000), int(2_900_000, 3_400_000)]),
  };
}

function generate(n: number): { policies: Policy[]; inputs: SettlementInput[] } {
  const forCase: Policy[] = new Array(n);
  const inputs: SettlementInput[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const policy = policies[i % policies.length]!;
    const kind = pick(KINDS);
    const scheme = policy.benefits.employee !== null && chance(0.3) ? 'employee' : 'resident';
    const input: SettlementInput = {
      person: {
        scheme,
        identities: identities(policy),
        status: chance(0.3) ? 'retired' : 'in_service',
        ...(scheme === 'employee' && chance(0.5) ? { personalAccountBalance: int(0, 1_000_000) } : {}),
      },
      visit: {
        kind,
        level: pick(LEVELS),
        date: date(policy),
        outOfArea: chance(0.15),
        filed: chance(0.5),
        majorIllness: chance(0.2),
        ...(kind === 'chronic' ? { chronicClass: pick(['A', 'B'] as const) } : {}),
      },
      amounts: amounts(kind),
      yearToDate: yearToDate(),
    };
    forCase[i] = policy;
    inputs[i] = input;
  }
  return { policies: forCase, inputs };
}

/** Settles the first `count` cases; returns the total of all funds paid, in fen (exact: far below 2^53). */
function run(ps: Policy[], inputs: SettlementInput[], count: number): number {
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const f = settle(ps[i]!, inputs[i]!).funds;
    checksum += f.basic + f.critical + f.assistance + f.supplementary + f.tilt;
  }
  return checksum;
}

const started = performance.now();
const cases = generate(CASES);
const generatedMs = performance.now() - started;
console.log(`generated ${CASES.toLocaleString('en')} cases over ${policies.map((p) => p.id).join(', ')} in ${generatedMs.toFixed(0)} ms`);

// Warm-up: let the JIT see every path before timing.
for (let i = 0; i < 3; i++) run(cases.policies, cases.inputs, Math.min(CASES, 200_000));

const results: { ns: number; perSecond: number; checksum: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const t0 = process.hrtime.bigint();
  const checksum = run(cases.policies, cases.inputs, CASES);
  const ns = Number(process.hrtime.bigint() - t0);
  results.push({ ns: ns / CASES, perSecond: (CASES * 1e9) / ns, checksum });
  console.log(
    `round ${round + 1}: ${Math.round((CASES * 1e9) / ns).toLocaleString('en')} settlements/s, ${(ns / CASES).toFixed(1)} ns/settlement, checksum ${checksum} fen`,
  );
}
const checksums = new Set(results.map((r) => r.checksum));
if (checksums.size !== 1) {
  console.error('checksum differs between rounds: the engine is not deterministic');
  process.exitCode = 1;
}
const sorted = [...results].sort((a, b) => a.ns - b.ns);
const median = sorted[Math.floor(sorted.length / 2)]!;
const best = sorted[0]!;
console.log(
  `engine: median ${Math.round(median.perSecond).toLocaleString('en')} settlements/s (${median.ns.toFixed(1)} ns/settlement), ` +
    `best ${Math.round(best.perSecond).toLocaleString('en')}/s (${best.ns.toFixed(1)} ns); checksum (total funds) ${best.checksum} fen`,
);
