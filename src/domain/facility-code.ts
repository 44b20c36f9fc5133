/**
 * Facility codes in the national 12-character form (定点医药机构编码): `H`,
 * the 6-digit county-level division code, 5 digits — the demo county hospital
 * is H51333000001. The national interface (fsi) sends it as `fixmedins_code`
 * and as the first 12 characters of every `msgid`.
 */
export const NATIONAL_FACILITY_CODE = /^H\d{11}$/;

/** Why a code is not a facility code for a facility of this division, or null when it is. */
export function facilityCodeProblem(code: string, divisionCode: string): string | null {
  if (!NATIONAL_FACILITY_CODE.test(code)) return `facility code "${code}" is not of the national form H + 6-digit division + 5 digits (e.g. H51333000001)`;
  const division = divisionCode.slice(0, 6);
  if (code.slice(1, 7) !== division) return `facility code ${code} must carry the facility's division ${division} after the H (H${division}xxxxx)`;
  return null;
}
