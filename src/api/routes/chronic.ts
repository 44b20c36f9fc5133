/**
 * Chronic and special diseases (门诊慢特病): the catalogue, applications at a
 * station, the window or by a hospital, the bureau's review, renewal and
 * revocation. Staff routes are scoped to the caller's division.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StaffContext } from '../../domain/access.ts';
import type { ChronicDisease } from '../../domain/catalogue/chronic-diseases.ts';
import { maskName } from '../../domain/privacy.ts';
import {
  addDocument, diseasesForPerson, renewApproval, reviewApplication, revokeApproval, submitApplication, type Actor,
} from '../../service/chronic-approvals.ts';
import { personOrThrow } from '../../service/console-persons.ts';
import { findPatient } from '../../service/settlement-service.ts';
import { notFound } from '../../domain/errors.ts';
import type { Db } from '../../store/db.ts';
import { listChronicDiseases } from '../../store/repositories/catalogue-chronic.ts';
import { findApplication, findApproval, listApplications, listApprovals, type ApplicationRow, type ApprovalRow } from '../../store/repositories/chronic-approvals.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireDivision, requireStaff } from '../staff-guard.ts';
import {
  applicationListQuery, approvalListQuery, decisionSchema, diseaseQuery, documentSchema, hospitalApplicationSchema, renewalSchema, revocationSchema,
  staffApplicationSchema,
} from './chronic-schemas.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function presentDisease(d: ChronicDisease) {
  return { region: d.region, code: d.code, name: d.name, class: d.class, schemes: d.schemes, icd10: d.icd10, yearlyLimit: d.yearlyLimit, rare: d.rare, validFrom: d.validFrom, validTo: d.validTo };
}

export function presentApplication(a: ApplicationRow, name?: string) {
  return {
    id: a.id, personId: a.person_id, ...(name ? { personName: maskName(name) } : {}), disease: { region: a.disease_region, code: a.disease_code, name: a.disease_name },
    diagnosis: a.diagnosis, channel: a.channel, submittedBy: a.submitted_by, status: a.status, decidedBy: a.decided_by,
    decidedAt: a.decided_at ? new Date(a.decided_at).toISOString() : null, reason: a.decision_reason, createdAt: new Date(a.created_at).toISOString(),
    documents: a.documents.map((d) => ({ id: d.id, kind: d.kind, fileName: d.file_name, sha256: d.sha256, sizeBytes: Number(d.size_bytes) })),
  };
}

export function presentApproval(v: ApprovalRow) {
  return {
    id: v.id, personId: v.person_id, applicationId: v.application_id, renewedFrom: v.renewed_from,
    disease: { region: v.disease_region, code: v.disease_code, name: v.disease_name, class: v.disease_class },
    validFrom: v.valid_from, validTo: v.valid_to, status: v.status, approvedBy: v.approved_by,
    revokedBy: v.revoked_by, revokedAt: v.revoked_at ? new Date(v.revoked_at).toISOString() : null, revokeReason: v.revoke_reason,
  };
}

const actorOf = (staff: StaffContext): Actor => ({ name: `staff:${staff.username}`, channel: staff.role === 'station_clerk' ? 'station' : 'window' });

export function chronicRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const facilityOf = facilityAuthenticator(db);

  async function applicationInScope(request: FastifyRequest, staff: StaffContext) {
    const app = await findApplication(db, parseWith(idParam, request.params, 'params').id);
    if (!app) throw notFound('UNKNOWN_APPLICATION', 'no such chronic-disease application', 'id');
    requireDivision(staff, app.division_code);
    return app;
  }
  async function approvalInScope(request: FastifyRequest, staff: StaffContext) {
    const row = await findApproval(db, parseWith(idParam, request.params, 'params').id);
    if (!row) throw notFound('UNKNOWN_APPROVAL', 'no such chronic-disease approval', 'id');
    requireDivision(staff, row.division_code);
    return row;
  }

  app.get('/api/v1/chronic/diseases', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const query = parseWith(diseaseQuery, request.query, 'query');
    const date = query.date ?? new Date().toISOString().slice(0, 10);
    if (query.personId !== undefined) {
      const person = await personOrThrow(db, query.personId);
      requireDivision(staff, person.division_code);
      return { items: (await diseasesForPerson(db, person, date)).map(presentDisease) };
    }
    return { items: (await listChronicDiseases(db, { region: query.region, date })).map(presentDisease) };
  });

  app.get('/api/v1/chronic/applications', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const query = parseWith(applicationListQuery, request.query, 'query');
    return { items: (await listApplications(db, { divisionPrefix: staff.divisionCode, ...query })).map((a) => presentApplication(a)) };
  });

  app.post('/api/v1/chronic/applications', async (request, reply) => {
    const staff = await requireStaff(db, request, 'chronic.write');
    const body = parseWith(staffApplicationSchema, request.body);
    const person = await personOrThrow(db, body.personId);
    requireDivision(staff, person.division_code);
    const created = await submitApplication(db, actorOf(staff), person, body);
    void reply.status(201);
    return presentApplication(created);
  });

  app.post('/api/v1/chronic/applications/:id/documents', async (request, reply) => {
    const staff = await requireStaff(db, request, 'chronic.write');
    const existing = await applicationInScope(request, staff);
    const body = parseWith(documentSchema, request.body);
    void reply.status(201);
    return presentApplication(await addDocument(db, actorOf(staff), existing.id, body));
  });

  app.post('/api/v1/chronic/applications/:id/decision', async (request) => {
    const staff = await requireStaff(db, request, 'chronic.approve');
    const existing = await applicationInScope(request, staff);
    const body = parseWith(decisionSchema, request.body);
    const out = await reviewApplication(db, `staff:${staff.username}`, existing.id, body);
    return { application: presentApplication(out.application), approval: out.approval && presentApproval(out.approval) };
  });

  app.get('/api/v1/chronic/approvals', async (request) => {
    const staff = await requireStaff(db, request, 'person.read');
    const query = parseWith(approvalListQuery, request.query, 'query');
    return { items: (await listApprovals(db, { divisionPrefix: staff.divisionCode, ...query })).map(presentApproval) };
  });

  app.post('/api/v1/chronic/approvals/:id/renewal', async (request, reply) => {
    const staff = await requireStaff(db, request, 'chronic.approve');
    const row = await approvalInScope(request, staff);
    const body = parseWith(renewalSchema, request.body);
    void reply.status(201);
    return presentApproval(await renewApproval(db, `staff:${staff.username}`, row.id, body.validTo));
  });

  app.post('/api/v1/chronic/approvals/:id/revocation', async (request) => {
    const staff = await requireStaff(db, request, 'chronic.approve');
    const row = await approvalInScope(request, staff);
    const body = parseWith(revocationSchema, request.body);
    return presentApproval(await revokeApproval(db, `staff:${staff.username}`, row.id, body.reason));
  });

  // A hospital applies for its patient (the doctor's diagnosis certificate travels with it as document metadata).
  app.post('/api/v1/chronic-applications', async (request, reply) => {
    const facility = await facilityOf(request);
    const body = parseWith(hospitalApplicationSchema, request.body);
    const person = await findPatient(db, body.patient);
    const created = await submitApplication(db, { name: `facility:${facility.code}`, channel: 'hospital' }, person, body);
    void reply.status(201);
    return presentApplication(created);
  });
}
