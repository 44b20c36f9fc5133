/**
 * Visits a hospital opens through the national interface: an outpatient
 * registration (2201) or an admission (2401) gives the visit its mdtrt_id;
 * 2202 cancels a registration, 2402 discharges. The person must be enrolled
 * for the visit's year under the scheme the HIS names (insutype).
 */
import { conflict, notFound, unprocessable } from '../../domain/errors.ts';
import type { Scheme, VisitKind } from '../../domain/vocabulary.ts';
import { UNIQUE_VIOLATION, pgErrorCode, type Db, type Queryable } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import { findEnrollment } from '../../store/repositories/enrollments.ts';
import type { FacilityRow } from '../../store/repositories/facilities.ts';
import {
  activeVisitSettlement, cancelFsiFeeLines, countLinesAfter, findFsiVisit, insertFsiVisit, updateFsiVisit, type FsiVisitRow,
} from '../../store/repositories/fsi-visits.ts';
import { findPersonById, type PersonRow } from '../../store/repositories/persons.ts';

/** The person of a psn_no, or 404 naming the field. */
export async function personOf(q: Queryable, psnNo: number, field: string): Promise<PersonRow> {
  const person = Number.isSafeInteger(psnNo) ? await findPersonById(q, psnNo) : undefined;
  if (!person) throw notFound('UNKNOWN_PERSON', `no insured person ${psnNo}`, field);
  return person;
}

/** The person is enrolled for the year under this scheme, or 422 naming the field. */
export async function requireEnrolledAs(q: Queryable, person: PersonRow, year: number, scheme: Scheme, field: string): Promise<void> {
  if (person.scheme !== scheme) throw unprocessable('WRONG_INSUTYPE', `the person is insured in the ${person.scheme} scheme, not ${scheme}`, field);
  const enrollment = await findEnrollment(q, person.id, year);
  if (!enrollment || enrollment.status !== 'enrolled') throw unprocessable('NOT_ENROLLED', `the person is not enrolled for ${year}`, field);
}

export interface OpenVisit {
  readonly msgid: string;
  readonly person: PersonRow;
  readonly insutype: string;
  readonly medType: string;
  readonly kind: VisitKind;
  readonly iptOtpNo: string;
  readonly beginDate: string;
  readonly diagnosis: string | null;
}

/** The mdtrt_id of the visit a msgid opened: the msgid with M for H (unique, since the msgid carries the facility code). */
export const mdtrtIdOf = (msgid: string): string => `M${msgid.slice(1)}`;

/** Opens a visit; a retry of the same msgid finds the visit it opened. */
export async function openVisit(db: Db, facility: FacilityRow, v: OpenVisit): Promise<FsiVisitRow> {
  const mdtrtId = mdtrtIdOf(v.msgid);
  try {
    return await db.transaction(async (tx) => {
      const visit = await insertFsiVisit(tx, {
        mdtrtId, facilityId: facility.id, personId: v.person.id, msgid: v.msgid, insutype: v.insutype, medType: v.medType, kind: v.kind,
        iptOtpNo: v.iptOtpNo, beginDate: v.beginDate, diagnosis: v.diagnosis,
      });
      await audit(tx, {
        actor: `facility:${facility.code}`, action: v.kind === 'inpatient' ? 'fsi.admission' : 'fsi.registration', entity: 'person', entityId: v.person.id,
        detail: { mdtrtId, medType: v.medType, begin: v.beginDate },
      });
      return visit;
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      const existing = await findFsiVisit(db, facility.id, mdtrtId);
      if (existing) return existing;
    }
    throw error;
  }
}

/** A visit of this facility and person, or 404 / 422 naming the field. */
export async function visitOf(q: Queryable, facility: FacilityRow, mdtrtId: string, psnNo: number, fields: { mdtrtId: string; psnNo: string }, lock = false): Promise<FsiVisitRow> {
  const visit = await findFsiVisit(q, facility.id, mdtrtId, lock);
  if (!visit) throw notFound('UNKNOWN_MDTRT_ID', `no visit ${mdtrtId} at this facility`, fields.mdtrtId);
  if (visit.person_id !== psnNo) throw unprocessable('PSN_NO_MISMATCH', `visit ${mdtrtId} is not of person ${psnNo}`, fields.psnNo);
  return visit;
}

/** Fee lines and settlement need a visit that is not cancelled and not settled. */
export async function requireUnsettled(q: Queryable, visit: FsiVisitRow, field: string): Promise<void> {
  if (visit.status === 'cancelled') throw conflict('VISIT_CANCELLED', `visit ${visit.mdtrt_id} was cancelled`, field);
  const settled = await activeVisitSettlement(q, visit.id);
  if (settled) throw conflict('VISIT_SETTLED', `visit ${visit.mdtrt_id} is settled (setl_id ${settled.transaction_id}); cancel the settlement first`, field);
}

/** 2202: cancels an outpatient registration and its fee lines; a settled visit's settlement is cancelled first (2208). */
export async function cancelVisit(db: Db, facility: FacilityRow, mdtrtId: string, psnNo: number, fields: { mdtrtId: string; psnNo: string }): Promise<FsiVisitRow> {
  return db.transaction(async (tx) => {
    const visit = await visitOf(tx, facility, mdtrtId, psnNo, fields, true);
    if (visit.status === 'cancelled') return visit;
    await requireUnsettled(tx, visit, fields.mdtrtId);
    const lines = await cancelFsiFeeLines(tx, visit.id, { all: true });
    await updateFsiVisit(tx, visit.id, { status: 'cancelled' });
    await audit(tx, { actor: `facility:${facility.code}`, action: 'fsi.visit.cancel', entity: 'person', entityId: visit.person_id, detail: { mdtrtId, feeLines: lines.length } });
    return { ...visit, status: 'cancelled' };
  });
}

/** 2402: the discharge day (and the discharge diagnosis); fee lines after it are refused from then on. */
export async function dischargeVisit(
  db: Db, facility: FacilityRow, d: { mdtrtId: string; psnNo: number; endDate: string; diagnosis: string | null }, fields: { mdtrtId: string; psnNo: string; endDate: string },
): Promise<FsiVisitRow> {
  return db.transaction(async (tx) => {
    const visit = await visitOf(tx, facility, d.mdtrtId, d.psnNo, fields, true);
    if (visit.kind !== 'inpatient') throw unprocessable('NOT_INPATIENT', `visit ${d.mdtrtId} is not an admission`, fields.mdtrtId);
    if (visit.status === 'cancelled') throw conflict('VISIT_CANCELLED', `visit ${d.mdtrtId} was cancelled`, fields.mdtrtId);
    if (d.endDate < visit.begin_date) throw unprocessable('DISCHARGE_BEFORE_ADMISSION', `discharge ${d.endDate} is before admission ${visit.begin_date}`, fields.endDate);
    const late = await countLinesAfter(tx, visit.id, d.endDate);
    if (late > 0) throw unprocessable('FEE_LINES_AFTER_DISCHARGE', `${late} fee line(s) are dated after ${d.endDate}; cancel them first (2302)`, fields.endDate);
    await updateFsiVisit(tx, visit.id, { status: 'discharged', endDate: d.endDate, diagnosis: d.diagnosis });
    await audit(tx, { actor: `facility:${facility.code}`, action: 'fsi.discharge', entity: 'person', entityId: visit.person_id, detail: { mdtrtId: d.mdtrtId, end: d.endDate } });
    return { ...visit, status: 'discharged', end_date: d.endDate, diagnosis: d.diagnosis ?? visit.diagnosis };
  });
}
