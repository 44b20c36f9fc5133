/**
 * The coder's quality check of a settlement list (病案质控): every code known
 * and valid on the discharge day, the principal diagnosis allowed as principal,
 * sex- and newborn-only codes, and — against the group table — an operating
 * procedure that matches nothing the principal diagnosis could explain.
 * Errors send the case to the ungroupable group with the reason; warnings are
 * shown to the hospital.
 */
import type { Catalogue } from '../catalogue/entries.ts';
import type { DischargeAbstract } from './abstract.ts';
import type { GroupTable } from './table.ts';

export interface Finding {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly field: string;
  readonly message: string;
}

export interface Catalogues {
  readonly diagnoses: Catalogue;
  readonly procedures: Catalogue;
}

const LOOKUP_TEXT = { unknown: 'is not in the list', not_yet_valid: 'is not valid yet on', expired: 'is no longer valid on' } as const;

/** Findings from the code lists alone (the grouper needs these first). */
export function codeFindings(a: DischargeAbstract, c: Catalogues): Finding[] {
  const out: Finding[] = [];
  const day = a.dischargeDate;
  const check = (code: string, field: string, list: Catalogue, what: 'diagnosis' | 'procedure') => {
    const hit = list.lookup(code, day);
    if ('problem' in hit) {
      const unknown = hit.problem === 'unknown';
      out.push({
        code: unknown ? (what === 'diagnosis' ? 'UNKNOWN_DIAGNOSIS' : 'UNKNOWN_PROCEDURE') : 'CODE_NOT_VALID',
        severity: 'error',
        field,
        message: unknown ? `${what} ${code} ${LOOKUP_TEXT.unknown}` : `${what} ${code} ${LOOKUP_TEXT[hit.problem]} ${day}`,
      });
      return undefined;
    }
    return hit.entry;
  };
  const principal = check(a.principal, 'principal', c.diagnoses, 'diagnosis');
  if (principal?.flags.includes('notPrincipal')) {
    out.push({ code: 'NOT_PRINCIPAL', severity: 'error', field: 'principal', message: `${a.principal} (${principal.nameZh}) is not allowed as principal diagnosis` });
  }
  const seen = new Set([a.principal]);
  a.secondary.forEach((code, i) => {
    const entry = check(code, `secondary[${i}]`, c.diagnoses, 'diagnosis');
    if (seen.has(code)) out.push({ code: 'DUPLICATE_DIAGNOSIS', severity: 'warning', field: `secondary[${i}]`, message: `${code} is listed twice` });
    seen.add(code);
    void entry;
  });
  for (const [i, code] of [a.principal, ...a.secondary].entries()) {
    const entry = c.diagnoses.get(code);
    if (!entry) continue;
    const field = i === 0 ? 'principal' : `secondary[${i - 1}]`;
    if (entry.flags.includes('femaleOnly') && a.sex === 'M') out.push({ code: 'SEX_MISMATCH', severity: 'error', field, message: `${code} (${entry.nameZh}) is for women only; the patient is male` });
    if (entry.flags.includes('maleOnly') && a.sex === 'F') out.push({ code: 'SEX_MISMATCH', severity: 'error', field, message: `${code} (${entry.nameZh}) is for men only; the patient is female` });
    if (entry.flags.includes('newbornOnly') && !(a.ageYears === 0 && a.ageDays !== null && a.ageDays < 29)) {
      out.push({ code: 'NEWBORN_ONLY', severity: 'error', field, message: `${code} (${entry.nameZh}) is for newborns under 29 days only` });
    }
  }
  if (a.mainProcedure !== null) check(a.mainProcedure, 'mainProcedure', c.procedures, 'procedure');
  a.otherProcedures.forEach((code, i) => check(code, `otherProcedures[${i}]`, c.procedures, 'procedure'));
  return out;
}

/**
 * An operating-room procedure no surgical rule of the principal diagnosis's
 * category lists: the procedure has no matching diagnosis (the QY group).
 */
export function procedureFindings(a: DischargeAbstract, c: Catalogues, table: GroupTable): Finding[] {
  const mdc = table.mdcIndex.first(a.principal)?.owner;
  if (!mdc) return [];
  const out: Finding[] = [];
  const procedures = a.mainProcedure === null ? a.otherProcedures : [a.mainProcedure, ...a.otherProcedures];
  procedures.forEach((code, i) => {
    if (!c.procedures.get(code)?.flags.includes('operating')) return;
    if (mdc.index.surgical.first(code)) return;
    out.push({
      code: 'PROCEDURE_WITHOUT_DIAGNOSIS',
      severity: 'warning',
      field: i === 0 && a.mainProcedure !== null ? 'mainProcedure' : 'otherProcedures',
      message: `operation ${code} matches no diagnosis: ${mdc.code} (${mdc.name}) of principal ${a.principal} has no surgical group for it`,
    });
  });
  return out;
}

export function qualityCheck(a: DischargeAbstract, c: Catalogues, table: GroupTable | null): Finding[] {
  return [...codeFindings(a, c), ...(table ? procedureFindings(a, c, table) : [])];
}
