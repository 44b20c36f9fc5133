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
 * Funds (and the bill's step, "x") and the common keys are one letter; a rule
 * that starts with its fund keeps only the rest ("basic.inpatient" under "b" is
 * "inpatient"), another rule is written whole after "=". The bill step's line
 * groups ("g") and the lines it does not list ("o") are rows of their values in
 * a fixed order; its usual note ("as declared by the hospital") is a token. Any other key (whatever the engine's
 * explanation gains later) is kept under its own name with its value as is.
 *
 * A list of step objects (what was stored before, or what this encoder falls
 * back to when a step would not come back the same) is read as it stands.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StepObject = { readonly [key: string]: unknown };

const VERSION = 1;
const FUND_CODE: Record<string, string> = { basic: 'b', critical: 'c', assistance: 'a', supplementary: 's', tilt: 't', personalAccount: 'p', bill: 'x' };
const KEY_CODE: Record<string, string> = { ratio: 'r', deductible: 'd', capRemaining: 'm', identity: 'i', tier: 'T', note: 'n', holderId: 'h', lineCount: 'l' };
const ACCUMULATED = 'a';
/** The bill step's fee-line groups and the lines not listed, each as the values of these keys in order (then any other key and value). */
const GROUPS = 'g';
const GROUP_FIELDS = ['code', 'name', 'class', 'lines', 'first', 'quantity', 'unitPrice', 'amount', 'aboveCap', 'excluded', 'selfPayFirst', 'compliant', 'rule'] as const;
const OTHERS = 'o';
const OTHER_FIELDS = ['groups', 'lines', 'amount', 'aboveCap', 'excluded', 'selfPayFirst', 'compliant'] as const;
/** Notes every bill of a kind carries, by a short token. */
const NOTE_CODE: Record<string, string> = { 'compliant amount as declared by the hospital': '~u' };
const NOTE_OF = inverse(NOTE_CODE);
const FUND_OF = inverse(FUND_CODE);
const KEY_OF = inverse(KEY_CODE);
const FIXED = new Set(['fund', 'base', 'rule', 'amount']);

function inverse(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
}

/**
 * The stored text of a settlement's steps. The compact form is checked against
 * the steps themselves, read as JSON reads them (sameAsJson), without writing
 * and parsing the plain form as well; when that check cannot say yes, the full
 * check below decides, so the text stored is the same as before.
 */
export function encodeSteps(steps: readonly object[]): string {
  try {
    const encoded: Json[] = [VERSION, ...(steps as readonly StepObject[]).map(encodeStep)];
    const compact = JSON.stringify(encoded);
    // Read back from the values themselves, not their text: where the two could differ (undefined, NaN, a toJSON)
    // sameAsJson says no and the full check decides.
    if (sameAsJson(decodeSteps(encoded), steps)) return compact;
  } catch {
    // the full check below says what to store
  }
  return encodeStepsChecked(steps);
}

/** The full check: the compact form read back must equal the plain JSON read back; else the plain JSON. */
export function encodeStepsChecked(steps: readonly object[]): string {
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
    else if (key === 'groups' && Array.isArray(value) && value.every((g) => hasFields(g, GROUP_FIELDS))) out.push(GROUPS, value.map((g) => toRecord(g, GROUP_FIELDS)));
    else if (key === 'others' && hasFields(value, OTHER_FIELDS)) out.push(OTHERS, toRecord(value, OTHER_FIELDS));
    else if (key === 'note' && typeof value === 'string' && NOTE_CODE[value]) out.push(KEY_CODE.note!, NOTE_CODE[value]!);
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
    } else if (key === GROUPS) {
      step.groups = (value as Json[][]).map((g) => fromRecord(g, GROUP_FIELDS));
    } else if (key === OTHERS) {
      step.others = fromRecord(value as Json[], OTHER_FIELDS);
    } else if (key === KEY_CODE.note && typeof value === 'string' && NOTE_OF[value]) {
      step.note = NOTE_OF[value];
    } else {
      step[KEY_OF[key] ?? key] = value;
    }
  }
  return step;
}

function hasFields(v: unknown, fields: readonly string[]): v is Record<string, Json> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && fields.every((f) => (v as Record<string, unknown>)[f] !== undefined);
}

/** The values of the fields in order, then any other key and its value. */
function toRecord(v: Record<string, Json>, fields: readonly string[]): Json[] {
  const out: Json[] = fields.map((f) => v[f]!);
  for (const [k, x] of Object.entries(v)) if (!fields.includes(k) && x !== undefined) out.push(k, x);
  return out;
}

function fromRecord(values: Json[], fields: readonly string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  fields.forEach((f, i) => (out[f] = values[i]!));
  for (let i = fields.length; i + 1 < values.length; i += 2) out[values[i] as string] = values[i + 1]!;
  return out;
}

function isAccumulated(v: unknown): v is { before: number; after: number; threshold: number } {
  if (!v || typeof v !== 'object') return false;
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return keys.join() === 'after,before,threshold' && keys.every((k) => typeof (v as Record<string, unknown>)[k] === 'number');
}

/** A value JSON.stringify leaves out of an object (and writes as null in an array). */
function dropped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * A parsed JSON value `a` is the same as `b` once `b` is written as JSON and read
 * back (sameJson of the two), for `b` made of plain objects, arrays, strings,
 * numbers, booleans and null. False for anything else (a Date, a bigint, a class's
 * instance): the caller then checks the long way.
 */
function sameAsJson(a: unknown, b: unknown): boolean {
  if (b === null || typeof b === 'string' || typeof b === 'boolean') return a === b;
  if (typeof b === 'number') return Number.isFinite(b) ? a === b : a === null;
  if (typeof b !== 'object' || a === null || typeof a !== 'object') return false;
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return false;
    for (let i = 0; i < b.length; i++) if (!(dropped(b[i]) ? a[i] === null : sameAsJson(a[i], b[i]))) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(b) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Array.isArray(a)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if (typeof y.toJSON === 'function') return false;
  let kept = 0;
  for (const k of Object.keys(y)) {
    if (dropped(y[k])) continue;
    kept++;
    if (!Object.prototype.hasOwnProperty.call(x, k) || !sameAsJson(x[k], y[k])) return false;
  }
  return kept === Object.keys(x).length;
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
