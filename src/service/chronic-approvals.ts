/**
 * Chronic and special disease approvals (门诊慢特病认定): an application at a
 * service station, the bureau's window or by a hospital, with its documents
 * (metadata: name, kind, size, SHA-256); the bureau's review into an approval
 * with a validity period; renewal; revocation. Every step is audited.
 */
import { diagnosisFits, diseasesOn, type ChronicDisease } from '../domain/catalogue/chronic-diseases.ts';
import { isDiagnosisCode } from '../domain/catalogue/diagnoses.ts';
import { loadCatalogue } from './catalogue-import.ts';
import { regionReach } from '../domain/catalogue/table.ts';
import { conflict, invalid, notFound, unprocessable } from '../domain/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { listChronicDiseases } from '../store/repositories/catalogue-chronic.ts';
import {
  decideApplication, findApplication, findApproval, insertApplication, insertApproval, insertDocument, pendingOrActive, revokeApprovalRow,
  type ApplicationRow, type ApprovalRow,
} from '../store/repositories/chronic-approvals.ts';
import type { PersonRow } from '../store/repositories/persons.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export const DOCUMENT_KINDS = ['diagnosis_certificate', 'medical_record', 'test_report', 'other'] as const;
export const APPLICATION_CHANNELS = ['station', 'window', 'hospital'] as const;

export interface DocumentMeta {
  readonly kind: (typeof DOCUMENT_KINDS)[number];
  readonly fileName: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface ApplicationRequest {
  readonly diseaseCode: string;
  readonly diagnosis: string;
  /** The day the catalogue is read for (default today): the disease must be open to the person's scheme then. */
  readonly date?: string | undefined;
  readonly documents: readonly DocumentMeta[];
}

export interface Actor {
  /** As written to the audit log: staff:USERNAME or facility:CODE. */
  readonly name: string;
  readonly channel: (typeof APPLICATION_CHANNELS)[number];
}

const today = () => new Date().toISOString().slice(0, 10);

/** The person's diseases on a date: of the most specific region covering their division that has the code. */
export async function diseaseFor(q: Queryable, person: PersonRow, code: string, date: string): Promise<ChronicDisease | undefined> {
  const all = await listChronicDiseases(q, { code, date });
  const open = diseasesOn(all, date, person.scheme).filter((d) => regionReach(d.region, person.division_code) >= 0);
  return open.sort((a, b) => regionReach(b.region, person.division_code) - regionReach(a.region, person.division_code))[0];
}

/** The diseases open to a person on a date (what an application form offers). */
export async function diseasesForPerson(q: Queryable, person: PersonRow, date: string): Promise<ChronicDisease[]> {
  const all = diseasesOn(await listChronicDiseases(q, { date }), date, person.scheme).filter((d) => regionReach(d.region, person.division_code) >= 0);
  const best = new Map<string, ChronicDisease>();
  for (const d of all) {
    const seen = best.get(d.code);
    if (!seen || regionReach(d.region, person.division_code) > regionReach(seen.region, person.division_code)) best.set(d.code, d);
  }
  return [...best.values()];
}

export async function submitApplication(db: Db, actor: Actor, person: PersonRow, request: ApplicationRequest): Promise<ApplicationRow> {
  const typed = request.diagnosis.trim();
  const diagnosis = typed.charAt(0).toUpperCase() + typed.slice(1);
  if (!isDiagnosisCode(diagnosis)) throw invalid('INVALID_DIAGNOSIS', `diagnosis "${request.diagnosis}" is not an ICD-10 code such as E11.900 or I10.x00`, 'diagnosis');
  const date = request.date ?? today();
  return db.transaction(async (tx) => {
    // With the diagnosis list loaded (sanbao catalogue import --kind diagnoses), the code must be in it on the day.
    const diagnoses = await loadCatalogue(tx, 'diagnoses');
    if (diagnoses.size > 0) {
      const found = diagnoses.lookup(diagnosis, date);
      if ('problem' in found) throw unprocessable('UNKNOWN_DIAGNOSIS', `diagnosis ${diagnosis} is ${found.problem === 'unknown' ? 'not in the diagnosis list' : `${found.problem.replace('_', ' ')} on ${date}`}`, 'diagnosis');
    }
    const disease = await diseaseFor(tx, person, request.diseaseCode, date);
    if (!disease) {
      throw unprocessable('UNKNOWN_DISEASE', `disease ${request.diseaseCode} is not in the chronic-disease catalogue of the person's region for the ${person.scheme} scheme on ${date}`, 'diseaseCode');
    }
    if (!diagnosisFits(disease, diagnosis)) {
      throw unprocessable('DIAGNOSIS_NOT_OF_DISEASE', `diagnosis ${diagnosis} is not among the codes of ${disease.name} (${disease.icd10.join(', ')})`, 'diagnosis');
    }
    // One open application or active approval per person and disease: a second would double the yearly limit.
    await lockInSchema(tx, `chronic:${person.id}:${disease.code}`);
    const existing = await pendingOrActive(tx, person.id, disease.code);
    if (existing) {
      throw conflict('ALREADY_APPLIED', `the person already has ${existing.kind === 'application' ? `application ${existing.id} under review` : `approval ${existing.id} valid to ${existing.valid_to}`} for ${disease.code}`, 'diseaseCode');
    }
    const id = await insertApplication(tx, { personId: person.id, region: disease.region, code: disease.code, diagnosis, channel: actor.channel, submittedBy: actor.name });
    for (const d of request.documents) {
      await insertDocument(tx, { applicationId: id, kind: d.kind, fileName: d.fileName, sha256: d.sha256.toLowerCase(), sizeBytes: d.sizeBytes, uploadedBy: actor.name });
    }
    await audit(tx, {
      actor: actor.name, action: 'chronic.apply', entity: 'chronic_application', entityId: id,
      detail: { personId: person.id, disease: disease.code, region: disease.region, channel: actor.channel, documents: request.documents.length },
    });
    return (await findApplication(tx, id))!;
  });
}

export async function addDocument(db: Db, actor: Actor, applicationId: number, doc: DocumentMeta): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const app = await findApplication(tx, applicationId, true);
    if (!app) throw notFound('UNKNOWN_APPLICATION', `no chronic-disease application ${applicationId}`, 'id');
    if (app.status !== 'submitted') throw conflict('APPLICATION_DECIDED', `application ${applicationId} was already ${app.status}`, 'id');
    const id = await insertDocument(tx, { applicationId, kind: doc.kind, fileName: doc.fileName, sha256: doc.sha256.toLowerCase(), sizeBytes: doc.sizeBytes, uploadedBy: actor.name });
    await audit(tx, { actor: actor.name, action: 'chronic.document', entity: 'chronic_application', entityId: applicationId, detail: { documentId: id, kind: doc.kind } });
    return (await findApplication(tx, applicationId))!;
  });
}

export type Decision =
  | { readonly decision: 'approve'; readonly validFrom: string; readonly validTo: string; readonly reason?: string | undefined }
  | { readonly decision: 'reject'; readonly reason: string };

/** The bureau's review: approve with a validity period (needs at least one document), or reject with a reason. */
export async function reviewApplication(db: Db, reviewer: string, applicationId: number, decision: Decision): Promise<{ application: ApplicationRow; approval: ApprovalRow | null }> {
  return db.transaction(async (tx) => {
    const app = await findApplication(tx, applicationId, true);
    if (!app) throw notFound('UNKNOWN_APPLICATION', `no chronic-disease application ${applicationId}`, 'id');
    if (app.status !== 'submitted') throw conflict('APPLICATION_DECIDED', `application ${applicationId} was already ${app.status}`, 'id');
    if (decision.decision === 'reject') {
      await decideApplication(tx, applicationId, 'rejected', reviewer, decision.reason);
      await audit(tx, { actor: reviewer, action: 'chronic.reject', entity: 'chronic_application', entityId: applicationId, detail: { personId: app.person_id, reason: decision.reason } });
      return { application: (await findApplication(tx, applicationId))!, approval: null };
    }
    if (decision.validTo < decision.validFrom) throw invalid('INVALID_PERIOD', `validTo ${decision.validTo} is before validFrom ${decision.validFrom}`, 'validTo');
    if (app.documents.length === 0) throw unprocessable('DOCUMENTS_REQUIRED', 'an approval needs at least one document (diagnosis certificate, medical record, test report)', 'documents');
    await decideApplication(tx, applicationId, 'approved', reviewer, decision.reason ?? null);
    const approvalId = await insertApproval(tx, {
      personId: app.person_id, applicationId, renewedFrom: null, region: app.disease_region, code: app.disease_code,
      validFrom: decision.validFrom, validTo: decision.validTo, by: reviewer,
    });
    await audit(tx, {
      actor: reviewer, action: 'chronic.approve', entity: 'chronic_approval', entityId: approvalId,
      detail: { applicationId, personId: app.person_id, disease: app.disease_code, validFrom: decision.validFrom, validTo: decision.validTo },
    });
    return { application: (await findApplication(tx, applicationId))!, approval: (await findApproval(tx, approvalId))! };
  });
}

/** Renewal: a new approval continuing the old one from the day after it ends. */
export async function renewApproval(db: Db, reviewer: string, approvalId: number, validTo: string): Promise<ApprovalRow> {
  return db.transaction(async (tx) => {
    const old = await findApproval(tx, approvalId, true);
    if (!old) throw notFound('UNKNOWN_APPROVAL', `no chronic-disease approval ${approvalId}`, 'id');
    if (old.status !== 'active') throw conflict('APPROVAL_REVOKED', `approval ${approvalId} was revoked`, 'id');
    const renewed = await tx.query<{ id: number }>('SELECT id FROM chronic_approvals WHERE renewed_from = $1', [approvalId]);
    if (renewed.length > 0) throw conflict('ALREADY_RENEWED', `approval ${approvalId} was already renewed by ${renewed[0]!.id}`, 'id');
    const from = nextDay(old.valid_to);
    if (validTo < from) throw invalid('INVALID_PERIOD', `validTo ${validTo} must be after the current end ${old.valid_to}`, 'validTo');
    const id = await insertApproval(tx, {
      personId: old.person_id, applicationId: old.application_id, renewedFrom: old.id, region: old.disease_region, code: old.disease_code,
      validFrom: from, validTo, by: reviewer,
    });
    await audit(tx, { actor: reviewer, action: 'chronic.renew', entity: 'chronic_approval', entityId: id, detail: { renewedFrom: old.id, personId: old.person_id, validFrom: from, validTo } });
    return (await findApproval(tx, id))!;
  });
}

export async function revokeApproval(db: Db, reviewer: string, approvalId: number, reason: string): Promise<ApprovalRow> {
  return db.transaction(async (tx) => {
    const row = await findApproval(tx, approvalId, true);
    if (!row) throw notFound('UNKNOWN_APPROVAL', `no chronic-disease approval ${approvalId}`, 'id');
    if (row.status === 'revoked') throw conflict('APPROVAL_REVOKED', `approval ${approvalId} was already revoked`, 'id');
    await revokeApprovalRow(tx, approvalId, reviewer, reason);
    await audit(tx, { actor: reviewer, action: 'chronic.revoke', entity: 'chronic_approval', entityId: approvalId, detail: { personId: row.person_id, reason } });
    return (await findApproval(tx, approvalId))!;
  });
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
