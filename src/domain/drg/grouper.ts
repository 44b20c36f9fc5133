/**
 * Groups one discharge with a data-driven table (CHS-DRG shape). Pure and
 * explained: every result lists the rules that placed the case, by their place
 * in the table file. Never silent: a case it cannot place goes to the
 * ungroupable group 0000 with the reason, or to its category's QY group when an
 * operation matches nothing its principal diagnosis explains.
 */
import type { DischargeAbstract } from './abstract.ts';
import { codeFindings, type Catalogues, type Finding } from './quality.ts';
import { principalAllowed, splitDigit, type Adrg, type CcLevel, type GroupTable, type Mdc } from './table.ts';
import { showPattern } from './patterns.ts';

export const UNGROUPABLE = '0000';

/** Why a case is not grouped: the code-list errors of the quality check, then the table's. */
export const UNGROUPABLE_REASONS = [
  'UNKNOWN_DIAGNOSIS', 'UNKNOWN_PROCEDURE', 'CODE_NOT_VALID', 'NOT_PRINCIPAL', 'SEX_MISMATCH', 'NEWBORN_ONLY', 'NO_MDC', 'NO_ADRG', 'PROCEDURE_UNRELATED',
] as const;

export interface GroupStep {
  readonly step: 'codes' | 'mdc' | 'adrg' | 'complication' | 'drg';
  /** The rule of the table that decided, by its place in the file, or null. */
  readonly rule: string | null;
  readonly detail: string;
}

export interface Grouping {
  readonly drg: string;
  readonly name: string;
  readonly mdc: string | null;
  readonly adrg: string | null;
  readonly ccLevel: CcLevel | null;
  /** Why the case could not be grouped (0000 or a QY group); null when grouped. */
  readonly reason: { readonly code: string; readonly message: string } | null;
  readonly steps: readonly GroupStep[];
}

function ungroupable(code: string, message: string, steps: GroupStep[], mdc: Mdc | null = null): Grouping {
  const qy = code === 'PROCEDURE_UNRELATED' && mdc !== null;
  const drg = qy ? `${mdc.code[3]}QY` : UNGROUPABLE;
  steps.push({ step: 'drg', rule: null, detail: `${drg}: ${message}` });
  return { drg, name: qy ? `${mdc.name}歧义组` : '不能入组', mdc: mdc?.code ?? null, adrg: null, ccLevel: null, reason: { code, message }, steps };
}

/** The complication level from the secondary diagnoses, with the CHS-DRG exclusions against the principal. */
export function complicationLevel(a: DischargeAbstract, table: GroupTable, steps: GroupStep[]): CcLevel {
  let level: CcLevel = 'none';
  for (const code of a.secondary) {
    const hit = table.complicationIndex.first(code);
    if (!hit) continue;
    const c = hit.owner;
    const excluded = c.excludedWithPrincipal.find((p) => (p.prefix ? a.principal.startsWith(p.stem) : a.principal === p.stem));
    if (excluded) {
      steps.push({ step: 'complication', rule: c.at, detail: `${code} is ${c.level} (${showPattern(hit.pattern)}) but excluded with principal ${a.principal} (${showPattern(excluded)})` });
      continue;
    }
    steps.push({ step: 'complication', rule: c.at, detail: `${code} is ${c.level} (${showPattern(hit.pattern)})` });
    if (c.level === 'MCC') level = 'MCC';
    else if (level === 'none') level = 'CC';
  }
  if (level === 'none') steps.push({ step: 'complication', rule: null, detail: a.secondary.length ? 'no secondary diagnosis is a complication' : 'no secondary diagnosis' });
  return level;
}

function findAdrg(a: DischargeAbstract, mdc: Mdc, table: GroupTable, isOperating: (code: string) => boolean, steps: GroupStep[]): Adrg | Grouping {
  const main = a.mainProcedure;
  if (main !== null) {
    for (const kind of ['surgical', 'nonOperating'] as const) {
      const hits = mdc.index[kind].match(main).filter((h) => principalAllowed(h.owner, a.principal));
      const hit = hits[0];
      if (hit) {
        steps.push({ step: 'adrg', rule: hit.owner.at, detail: `${hit.owner.code} ${hit.owner.name}: ${kind === 'surgical' ? 'operation' : 'procedure'} ${main} matches ${showPattern(hit.pattern)}` });
        return hit.owner;
      }
    }
    if (isOperating(main)) {
      return ungroupable('PROCEDURE_UNRELATED', `operation ${main} matches no surgical group of ${mdc.code} for principal ${a.principal}`, steps, mdc);
    }
    steps.push({ step: 'adrg', rule: null, detail: `procedure ${main} places no group of ${mdc.code}; placed by the principal diagnosis` });
  }
  const hit = mdc.index.medical.first(a.principal);
  if (!hit) return ungroupable('NO_ADRG', `principal ${a.principal} matches no medical group of ${mdc.code}`, steps, null);
  steps.push({ step: 'adrg', rule: hit.owner.at, detail: `${hit.owner.code} ${hit.owner.name}: principal ${a.principal} matches ${showPattern(hit.pattern)}` });
  return hit.owner;
}

/** Groups one checked abstract. `findings`: the code-list findings if already computed. */
export function groupDischarge(a: DischargeAbstract, table: GroupTable, catalogues: Catalogues, findings: readonly Finding[] = codeFindings(a, catalogues)): Grouping {
  const steps: GroupStep[] = [];
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    steps.push({ step: 'codes', rule: null, detail: errors.map((e) => e.message).join('; ') });
    return ungroupable(errors[0]!.code, errors.map((e) => e.message).join('; '), steps);
  }
  const mdcHit = table.mdcIndex.first(a.principal);
  if (!mdcHit) return ungroupable('NO_MDC', `principal ${a.principal} belongs to no major diagnostic category of table ${table.id}`, steps);
  const mdc = mdcHit.owner;
  steps.push({ step: 'mdc', rule: mdc.at, detail: `${mdc.code} ${mdc.name}: principal ${a.principal} matches ${showPattern(mdcHit.pattern)}` });
  const adrg = findAdrg(a, mdc, table, (code) => catalogues.procedures.get(code)?.flags.includes('operating') ?? false, steps);
  if (!('kind' in adrg)) return adrg;
  const level = complicationLevel(a, table, steps);
  const digit = splitDigit(adrg.split, level);
  const drg = `${adrg.code}${digit}`;
  steps.push({ step: 'drg', rule: adrg.at, detail: `${drg}: ${adrg.code} split ${adrg.split.join('/')} at level ${level}` });
  return { drg, name: table.drgNames.get(drg) ?? adrg.name, mdc: mdc.code, adrg: adrg.code, ccLevel: level, reason: null, steps };
}
