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
 * The floor, measured in the same run on the same cases: the engine as it
 * was before the tier pipeline, kept in bench/legacy-engine (not used by
 * Sanbao). Rounds alternate between the two; the last line gives both medians
 * and their ratio. The checksums differ where a policy lists tiers the old
 * engine does not know (Lhasa's supplementary tiers); on the other policies
 * they must agree, and the bench checks that.
 *
 * Options (environment): BENCH_CASES (default 1000000), BENCH_ROUNDS (default 5),
 * BENCH_POLICIES (ids, comma-separated; default every shipped policy).
 */
import { settle as legacySettle } from './legacy-engine/settle.ts';
import { settle } from '../src/domain/engine/settle.ts';
import type { IdentitySpan, SettlementInput, YearToDate } from '../src/domain/engine/types.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Policy } from '../src/domain/policy/types.ts';
import { IDENTITIES, type HospitalLevel, type Identity, type VisitKind } from '../src/domain/vocabulary.ts';
import { prng } from '../src/demo/generate.ts';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEED = 0x5a_4b_a0;


const only = process.env.BENCH_POLICIES?.split(',');
const policies: Policy[] = loadPolicies()
  .list()
  .filter((p) => !only || only.includes(p.id));
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

/** The same loop over the previous engine (a separate function, so each call site sees one engine). */
function runLegacy(ps: Policy[], inputs: SettlementInput[], count: number): number {
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const f = legacySettle(ps[i]!, inputs[i]!).funds;
    checksum += f.basic + f.critical + f.assistance + f.supplementary + f.tilt;
  }
  return checksum;
}

/** Both engines agree to the fen on every case of a policy without tiers or changes the old engine does not know. */
function compareOnUnchangedPolicies(ps: Policy[], inputs: SettlementInput[], count: number): { cases: number; differ: number } {
  let cases = 0;
  let differ = 0;
  for (let i = 0; i < count; i++) {
    const p = ps[i]!;
    if (p.periods.length > 1 || p.benefits.tiers.some((t) => t.kind === 'supplementary' && t.rule !== null && t.rule.id !== 'supplementary')) continue;
    cases++;
    const a = settle(p, inputs[i]!);
    const b = legacySettle(p, inputs[i]!);
    if (JSON.stringify([a.funds, a.steps, a.yearToDate, a.alerts]) !== JSON.stringify([b.funds, b.steps, b.yearToDate, b.alerts])) differ++;
  }
  return { cases, differ };
}

const started = performance.now();
const cases = generate(CASES);
const generatedMs = performance.now() - started;
console.log(`generated ${CASES.toLocaleString('en')} cases over ${policies.map((p) => p.id).join(', ')} in ${generatedMs.toFixed(0)} ms`);

const same = compareOnUnchangedPolicies(cases.policies, cases.inputs, Math.min(CASES, 200_000));
console.log(`pipeline and previous engine agree on ${(same.cases - same.differ).toLocaleString('en')} of ${same.cases.toLocaleString('en')} cases of the unchanged policies`);
if (same.differ > 0) process.exitCode = 1;

// Warm-up: let the JIT see every path of both engines before timing.
for (let i = 0; i < 3; i++) {
  runLegacy(cases.policies, cases.inputs, Math.min(CASES, 200_000));
  run(cases.policies, cases.inputs, Math.min(CASES, 200_000));
}

interface Result {
  ns: number;
  perSecond: number;
  checksum: number;
}
function time(fn: typeof run): Result {
  const t0 = process.hrtime.bigint();
  const checksum = fn(cases.policies, cases.inputs, CASES);
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns: ns / CASES, perSecond: (CASES * 1e9) / ns, checksum };
}
const line = (name: string, r: Result): string =>
  `${name}: ${Math.round(r.perSecond).toLocaleString('en')} settlements/s, ${r.ns.toFixed(1)} ns/settlement, checksum ${r.checksum} fen`;

const results: { pipeline: Result[]; legacy: Result[] } = { pipeline: [], legacy: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which engine goes first, so neither always gets the warmer machine.
  const order = round % 2 === 0 ? (['legacy', 'pipeline'] as const) : (['pipeline', 'legacy'] as const);
  for (const which of order) {
    const r = time(which === 'pipeline' ? run : runLegacy);
    results[which].push(r);
    console.log(`round ${round + 1} ${line(which === 'pipeline' ? 'pipeline' : 'previous', r)}`);
  }
}
for (const which of ['pipeline', 'legacy'] as const) {
  if (new Set(results[which].map((r) => r.checksum)).size !== 1) {
    console.error(`checksum differs between rounds of the ${which} engine: it is not deterministic`);
    process.exitCode = 1;
  }
}
const median = (rs: Result[]): Result => [...rs].sort((a, b) => a.ns - b.ns)[Math.floor(rs.length / 2)]!;
const best = (rs: Result[]): Result => [...rs].sort((a, b) => a.ns - b.ns)[0]!;
const p = median(results.pipeline);
const l = median(results.legacy);
console.log(
  `engine: median ${Math.round(p.perSecond).toLocaleString('en')} settlements/s (${p.ns.toFixed(1)} ns/settlement), ` +
    `best ${Math.round(best(results.pipeline).perSecond).toLocaleString('en')}/s; checksum (total funds) ${p.checksum} fen`,
);
console.log(
  `floor (previous engine, same run, same cases): median ${Math.round(l.perSecond).toLocaleString('en')} settlements/s (${l.ns.toFixed(1)} ns/settlement), ` +
    `best ${Math.round(best(results.legacy).perSecond).toLocaleString('en')}/s; checksum ${l.checksum} fen`,
);
console.log(`ratio pipeline / previous: ${(p.perSecond / l.perSecond).toFixed(3)} (median), ${(best(results.pipeline).perSecond / best(results.legacy).perSecond).toFixed(3)} (best)`);
