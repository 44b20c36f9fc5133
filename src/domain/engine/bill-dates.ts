/**
 * The engine's dates of a hospital bill. The hospital API's `visit.date` is the
 * day of the visit — an inpatient's admission — and `dischargeDate` ends a
 * stay; the engine's `date` is the bill's (discharge) date and `admissionDate`
 * the admission, so a policy's `ruleDate` can pick either. A stay that ends in
 * the next calendar year settles in its admission year, by its admission date
 * (a policy covers one year; its accumulators are that year's).
 */
import type { VisitKind } from '../vocabulary.ts';

export function billDates(visit: { readonly kind: VisitKind; readonly date: string; readonly dischargeDate?: string | null | undefined }): {
  date: string;
  admissionDate?: string;
} {
  if (visit.kind !== 'inpatient') return { date: visit.date };
  const discharge = visit.dischargeDate ?? undefined;
  if (discharge === undefined || discharge.slice(0, 4) !== visit.date.slice(0, 4)) return { date: visit.date, admissionDate: visit.date };
  return { date: discharge, admissionDate: visit.date };
}
