/**
 * A DRG group table in the CHS-DRG shape, loaded from a file a bureau supplies
 * (format: drg/README.md). Compiling checks it whole and refuses a table whose
 * rules overlap (a case could land in two places), naming both rules.
 *
 *   MDC   ← the principal diagnosis
 *   ADRG  ← inside the MDC: the main procedure (surgical, then non-operating-room),
 *           else the principal diagnosis (medical)
 *   DRG   ← the ADRG split by complication level: 1 major (MCC), 3 ordinary (CC),
 *           5 none, 9 not split
 */
import { z } from 'zod';
import { matchesAny, parsePattern, PatternIndex, patternsOverlap, showPattern, type Pattern } from './patterns.ts';

export const ADRG_KINDS = ['surgical', 'nonOperating', 'medical'] as const;
export type AdrgKind = (typeof ADRG_KINDS)[number];
export const CC_LEVELS = ['MCC', 'CC', 'none'] as const;
export type CcLevel = (typeof CC_LEVELS)[number];
const SPLITS = ['1,3,5', '1,5', '3,5', '9'] as const;

const patternList = z.array(z.string().regex(/^[0-9A-Za-z.]+\*?$/, 'a code, or the start of codes followed by *')).min(1);

const rawAdrg = z.object({
  code: z.string().regex(/^[A-Z][A-Z]\d$/, 'an ADRG code such as FM1: MDC letter, a letter, a digit'),
  name: z.string().min(1),
  kind: z.enum(ADRG_KINDS),
  procedures: patternList.optional(),
  principal: patternList.optional(),
  split: z.array(z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(9)])).min(1),
});
const rawMdc = z.object({
  code: z.string().regex(/^MDC[A-Z]$/, 'an MDC code such as MDCF'),
  name: z.string().min(1),
  principal: patternList,
  adrgs: z.array(rawAdrg).min(1),
});
const rawComplication = z.object({
  codes: patternList,
  level: z.enum(['MCC', 'CC']),
  /** The complication does not count when the principal diagnosis is one of these (CHS-DRG exclusion lists). */
  excludedWithPrincipal: patternList.optional(),
});
export const rawGroupTableSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String),
  mdcs: z.array(rawMdc).min(1),
  complications: z.array(rawComplication).default([]),
});

export interface Adrg {
  readonly code: string;
  readonly name: string;
  readonly kind: AdrgKind;
  readonly mdc: string;
  /** Where the rule is written in the file, for explanations and errors: `mdcs[0].adrgs[2]`. */
  readonly at: string;
  readonly procedures: readonly Pattern[];
  readonly principal: readonly Pattern[] | null;
  readonly split: readonly number[];
}

export interface Mdc {
  readonly code: string;
  readonly name: string;
  readonly at: string;
  readonly principal: readonly Pattern[];
  readonly adrgs: readonly Adrg[];
  /** Per kind: procedure (surgical, non-operating) or principal-diagnosis (medical) index of the ADRGs. */
  readonly index: Readonly<Record<AdrgKind, PatternIndex<Adrg>>>;
}

export interface Complication {
  readonly at: string;
  readonly level: 'MCC' | 'CC';
  readonly excludedWithPrincipal: readonly Pattern[];
}

export interface GroupTable {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly mdcs: readonly Mdc[];
  readonly mdcIndex: PatternIndex<Mdc>;
  readonly complicationIndex: PatternIndex<Complication>;
  /** ADRG code → ADRG, and DRG code → its name. */
  readonly adrgs: ReadonlyMap<string, Adrg>;
  readonly drgNames: ReadonlyMap<string, string>;
}

export class GroupTableError extends Error {
  override readonly name = 'GroupTableError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`group table ${source} refused: ${problems.join('; ')}`);
  }
}

const SUFFIX: Record<number, string> = { 1: '，伴严重并发症或合并症', 3: '，伴一般并发症或合并症', 5: '，不伴并发症或合并症', 9: '' };

/** The DRG digit for a complication level under an ADRG's split. */
export function splitDigit(split: readonly number[], level: CcLevel): number {
  if (split.includes(9)) return 9;
  if (level === 'MCC') return split.includes(1) ? 1 : split.includes(3) ? 3 : 5;
  if (level === 'CC') return split.includes(3) ? 3 : 5;
  return 5;
}

const name = (x: { code: string; at: string }) => `${x.at} ${x.code}`;

/** Checks and indexes a parsed table file; throws GroupTableError naming every problem. */
export function compileGroupTable(raw: unknown, source: string): GroupTable {
  const parsed = rawGroupTableSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GroupTableError(source, parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
  }
  const t = parsed.data;
  const problems: string[] = [];
  const mdcIndex = new PatternIndex<Mdc>();
  const adrgs = new Map<string, Adrg>();
  const drgNames = new Map<string, string>();
  const mdcs: Mdc[] = [];
  t.mdcs.forEach((m, i) => {
    const at = `mdcs[${i}]`;
    const index = { surgical: new PatternIndex<Adrg>(), nonOperating: new PatternIndex<Adrg>(), medical: new PatternIndex<Adrg>() };
    const principal = m.principal.map(parsePattern);
    const list: Adrg[] = [];
    const mdc: Mdc = { code: m.code, name: m.name, at, principal, adrgs: list, index };
    if (mdcs.some((x) => x.code === m.code)) problems.push(`${at} ${m.code}: defined twice`);
    m.adrgs.forEach((a, j) => {
      const aat = `${at}.adrgs[${j}]`;
      if (a.code[0] !== m.code[3]) problems.push(`${aat} ${a.code}: an ADRG of ${m.code} starts with ${m.code[3]}`);
      const key = [...new Set(a.split)].sort().join(',');
      if (!(SPLITS as readonly string[]).includes(key)) problems.push(`${aat} ${a.code}: split ${a.split.join(',')} is not one of ${SPLITS.join(' / ')}`);
      if (a.kind === 'medical' && a.procedures) problems.push(`${aat} ${a.code}: a medical ADRG has no procedures (it is placed by the principal diagnosis)`);
      if (a.kind !== 'medical' && !a.procedures) problems.push(`${aat} ${a.code}: a ${a.kind} ADRG needs its procedures`);
      if (a.kind === 'medical' && !a.principal) problems.push(`${aat} ${a.code}: a medical ADRG needs its principal diagnoses`);
      if (adrgs.has(a.code)) problems.push(`${aat} ${a.code}: defined twice (also ${adrgs.get(a.code)!.at})`);
      const adrg: Adrg = {
        code: a.code, name: a.name, kind: a.kind, mdc: m.code, at: aat,
        procedures: (a.procedures ?? []).map(parsePattern), principal: a.principal ? a.principal.map(parsePattern) : null, split: [...new Set(a.split)].sort(),
      };
      for (const p of adrg.principal ?? []) {
        if (!principal.some((q) => patternsOverlap(p, q))) problems.push(`${aat} ${a.code}: principal ${showPattern(p)} is outside ${m.code} (${m.principal.join(', ')}), so it can never match`);
      }
      list.push(adrg);
      adrgs.set(a.code, adrg);
      for (const digit of adrg.split) drgNames.set(`${a.code}${digit}`, `${a.name}${SUFFIX[digit]}`);
      for (const p of a.kind === 'medical' ? adrg.principal ?? [] : adrg.procedures) index[a.kind].add(p, adrg);
    });
    for (const kind of ADRG_KINDS) {
      for (const o of index[kind].overlaps()) {
        // Two procedure rules may share a procedure when their principal diagnoses keep them apart.
        const apart = kind !== 'medical' && o.a.principal && o.b.principal && !o.a.principal.some((p) => o.b.principal!.some((q) => patternsOverlap(p, q)));
        if (!apart) problems.push(`overlapping rules: ${name(o.a)} (${showPattern(o.pa)}) and ${name(o.b)} (${showPattern(o.pb)}) both match`);
      }
    }
    for (const p of principal) mdcIndex.add(p, mdc);
    mdcs.push(mdc);
  });
  for (const o of mdcIndex.overlaps()) problems.push(`overlapping rules: ${name(o.a)} (${showPattern(o.pa)}) and ${name(o.b)} (${showPattern(o.pb)}) both match`);

  const complicationIndex = new PatternIndex<Complication>();
  t.complications.forEach((c, i) => {
    const entry: Complication = { at: `complications[${i}]`, level: c.level, excludedWithPrincipal: (c.excludedWithPrincipal ?? []).map(parsePattern) };
    for (const p of c.codes) complicationIndex.add(parsePattern(p), entry);
  });
  for (const o of complicationIndex.overlaps()) {
    problems.push(`overlapping rules: ${o.a.at} (${showPattern(o.pa)}) and ${o.b.at} (${showPattern(o.pb)}) both list the same complication`);
  }
  if (problems.length > 0) throw new GroupTableError(source, problems);
  return { id: t.id, name: t.name, version: t.version, source, mdcs, mdcIndex, complicationIndex, adrgs, drgNames };
}

/** True when a principal diagnosis is allowed by an ADRG's narrowing (none: any diagnosis of its MDC). */
export function principalAllowed(adrg: Adrg, principal: string): boolean {
  return adrg.principal === null || matchesAny(adrg.principal, principal) !== undefined;
}
