/**
 * Procedures and operations: ICD-9-CM-3, in the shape of the national
 * medical-insurance edition (医保手术操作分类与代码): `36.06`, the national
 * extension `36.0601`, and `x`-suffixed additions such as `47.0900x001`.
 */
import type { CatalogueKind } from './entries.ts';

const PROCEDURE_CODE = /^\d{2}(\.(\d{1,4}|\d{1,2}x\d{2})(x\d{3})?)?$/;

export const PROCEDURE_FLAGS = {
  /** An operating-room procedure (手术): it can place a case in a surgical group. */
  operating: 'operating-room procedure',
  /** A procedure outside the operating room (操作) that a group table may still use. */
  nonOperating: 'non-operating-room procedure',
} as const;

export const procedureKind: CatalogueKind = {
  kind: 'procedure',
  shape: 'ICD-9-CM-3 such as 36.06 or 36.0601',
  isCode: (code) => PROCEDURE_CODE.test(code),
  flags: PROCEDURE_FLAGS,
};

export function isProcedureCode(code: string): boolean {
  return PROCEDURE_CODE.test(code);
}
