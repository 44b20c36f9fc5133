/**
 * How a settlement's explanation (its steps) is stored: compactly (issue 18, a
 * settlement's bytes: 195 bytes for a typical inpatient bill where the jsonb
 * objects took 703). The format is still JSON, so it fits a text or a jsonb
 * column:
 *
 *   [1, step, step, …]            1: this format's version
 *   step = "b"                    a tier that did not apply: {fund, base 0, rule "<fund>.not_applicable", amount 0}
 *        | ["b", base, rule, amount, key, value, key, value, …]
 *
 * Funds and the common keys are one letter; a rule that starts with its fund
 * keeps only the rest ("basic.inpatient" under "b" is "inpatient"), another
 * rule is written whole after "=". Any other key (whatever the engine's
 * explanation gains later) is kept under its own name with its value as is.
 *
 * A list of step objects (what was stored before, or what this encoder falls
 * back to when a step would not come back the same) is read as it stands.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StepObject = { readonly [key: string]: unknown };

const VERSION = 1;
const FUND_CODE: Record<string, string> = { basic: 'b', critical: 'c', assistance: 'a', supplementary: 's', tilt: 't', personalAccount: 'p' };
const KEY_CODE: Record<string, string> = { ratio: 'r', deductible: 'd', capRemaining: 'm', identity: 'i', tier: 'T', note: 'n', holderId: 'h' };
const ACCUMULATED = 'a';
const FUND_OF = inverse(FUND_CODE);
const KEY_OF = inverse(KEY_CODE);
const FIXED = new Set(['fund', 'base', 'rule', 'amount']);

function inverse(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
}

/** The stored text of a settlement's steps. */
export function encodeSteps(steps: readonly object[]): string {
  const plain = JSON.stringify(steps);
  try {
    const compact = JSON.stringify([VERSION, ...(steps as readonly StepObject[]).map(encodeStep)]);
    // Whatever a step holds, it must read back the same; steps this format cannot carry are stored as they stand.
    return sameJson(decodeSteps(compact), JSON.parse(plain)) ? compact : plain;
  } catch {
    return plain;
  }
}

/** The steps from their stored form (this format, a list of step objects, or the same already parsed from jsonb). */
export function decodeSteps<T = StepObject>(stored: unknown): T[] {
  const value = typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  if (!Array.isArray(value)) return [];
  if (value[0] !== VERSION) return value as T[];
  return value.slice(1).map((s) => decodeStep(s as Json) as T);
}

function encodeStep(step: StepObject): Json {
  const fund = String(step.fund);
  const code = FUND_CODE[fund] ?? fund;
  const entries = Object.entries(step).filter(([k, v]) => !FIXED.has(k) && v !== undefined);
  if (entries.length === 0 && step.base === 0 && step.amount === 0 && step.rule === `${fund}.not_applicable`) return code;
  const rule = String(step.rule);
  const out: Json[] = [code, step.base as Json, rule.startsWith(`${fund}.`) ? rule.slice(fund.length + 1) : `=${rule}`, step.amount as Json];
  for (const [key, value] of entries) {
    if (key === 'accumulated' && isAccumulated(value)) out.push(ACCUMULATED, [value.before, value.after, value.threshold]);
    else out.push(KEY_CODE[key] ?? key, value as Json);
  }
  return out;
}

function decodeStep(s: Json): StepObject {
  if (typeof s === 'string') {
    const fund = FUND_OF[s] ?? s;
    return { fund, base: 0, rule: `${fund}.not_applicable`, amount: 0 };
  }
  const [code, base, rule, amount, ...rest] = s as Json[];
  const fund = FUND_OF[code as string] ?? (code as string);
  const r = rule as string;
  const step: Record<string, unknown> = { fund, base, rule: r.startsWith('=') ? r.slice(1) : `${fund}.${r}`, amount };
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const key = rest[i] as string;
    const value = rest[i + 1];
    if (key === ACCUMULATED) {
      const [before, after, threshold] = value as number[];
      step.accumulated = { before, after, threshold };
    } else {
      step[KEY_OF[key] ?? key] = value;
    }
  }
  return step;
}

function isAccumulated(v: unknown): v is { before: number; after: number; threshold: number } {
  if (!v || typeof v !== 'object') return false;
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return keys.join() === 'after,before,threshold' && keys.every((k) => typeof (v as Record<string, unknown>)[k] === 'number');
}

/** Two parsed JSON values are the same (objects: the same keys, in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
