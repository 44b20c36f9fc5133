/** The kinds of code list Sanbao knows, by the name the CLI and API use. */
import { diagnosisKind } from './diagnoses.ts';
import type { CatalogueKind } from './entries.ts';
import { procedureKind } from './procedures.ts';

/** Plural names as the command line writes them (`--kind diagnoses`). */
export const CATALOGUE_KINDS = { diagnoses: diagnosisKind, procedures: procedureKind } as const satisfies Record<string, CatalogueKind>;
export type CatalogueKindName = keyof typeof CATALOGUE_KINDS;

export function isCatalogueKindName(name: string): name is CatalogueKindName {
  return Object.hasOwn(CATALOGUE_KINDS, name);
}
