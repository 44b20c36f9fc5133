/**
 * Diagnoses: ICD-10, in the shape of the national medical-insurance edition
 * (医保疾病诊断分类与代码): a category `I21`, a subcategory `I21.0`, a
 * national extension `I21.000` and its `x`-suffixed additions `I21.000x001`.
 */
import type { CatalogueKind } from './entries.ts';

const DIAGNOSIS_CODE = /^[A-Z]\d{2}(\.[0-9A-Zx]{1,3}(x\d{3})?)?$/;

export const DIAGNOSIS_FLAGS = {
  /** Not allowed as the principal diagnosis (e.g. outcome of delivery, an external cause, a bacterium as the cause of disease elsewhere). */
  notPrincipal: 'not allowed as principal diagnosis',
  /** Only for women (the coder checks the patient's sex). */
  femaleOnly: 'only for women',
  maleOnly: 'only for men',
  /** Only for newborns (under 29 days). */
  newbornOnly: 'only for newborns',
} as const;

export const diagnosisKind: CatalogueKind = {
  kind: 'diagnosis',
  shape: 'ICD-10 such as I21, I21.0 or I21.000x001',
  isCode: (code) => DIAGNOSIS_CODE.test(code),
  flags: DIAGNOSIS_FLAGS,
};

export function isDiagnosisCode(code: string): boolean {
  return DIAGNOSIS_CODE.test(code);
}
