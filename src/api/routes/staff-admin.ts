/**
 * The bureau admin's console API for staff accounts and facilities (issue 9).
 * Every route needs `staff.admin`; the admin acts inside their own division.
 * New and reset passwords are made by the server and shown once.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NATIONAL_FACILITY_CODE } from '../../domain/facility-code.ts';
import { ROLES, type StaffContext } from '../../domain/access.ts';
import { DEPARTMENTS } from '../../domain/vocabulary.ts';
import { addFacility, changeFacilityLevel, listFacilityViews, rotateFacilityKey, setFacilityEnabled, setFacilityTibetanName, type FacilityAdministrator } from '../../service/facility-admin.ts';
import { addStaff, listStaff, resetStaffPassword, setStaffEnabled, setStaffRoles, type StaffAdministrator } from '../../service/staff-admin.ts';
import type { Db } from '../../store/db.ts';
import { forgetVerifiedFacilityKeys } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

const usernameParams = z.object({ username: z.string().regex(/^[a-z0-9_.-]{3,40}$/, 'a username') });
const codeParams = z.object({ code: z.string().regex(/^[A-Z0-9]{2,20}$/, 'a facility code') });
const divisionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits');
const department = z.enum(DEPARTMENTS).nullable();
const level = z.number().int().min(0).max(3);

export const newStaffSchema = z.strictObject({
  username: z.string().min(1).max(40),
  displayName: z.string().min(1).max(80),
  role: z.enum(ROLES),
  divisionCode,
  department: department.optional(),
});
export const roleSchema = z.strictObject({ role: z.enum(ROLES).optional(), divisionCode: divisionCode.optional(), department: department.optional() });
export const newFacilitySchema = z.strictObject({
  code: z.string().regex(NATIONAL_FACILITY_CODE, 'the national form H + 6-digit division + 5 digits, e.g. H51333000001'),
  name: z.string().min(1).max(100),
  kind: z.enum(['hospital', 'pharmacy', 'clinic']).default('hospital'),
  level,
  divisionCode,
});

const staffAdmin = (s: StaffContext): StaffAdministrator => ({ actor: `staff:${s.username}`, staffId: s.id, divisionCode: s.divisionCode });
const facilityAdmin = (s: StaffContext): FacilityAdministrator => ({ actor: `staff:${s.username}`, divisionCode: s.divisionCode });
/** A facility changed and committed: the hospital API's remembered keys are read again (a disabled facility refused at once). */
const changed = <T>(done: Promise<T>): Promise<T> => done.then((result) => {
  forgetVerifiedFacilityKeys();
  return result;
});

export function staffAdminRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const admin = (request: FastifyRequest) => requireStaff(db, request, 'staff.admin');

  app.get('/api/v1/console/staff', async (request) => ({ items: await listStaff(db, staffAdmin(await admin(request))) }));

  app.post('/api/v1/console/staff', async (request, reply) => {
    const who = staffAdmin(await admin(request));
    const body = parseWith(newStaffSchema, request.body);
    const created = await db.transaction((tx) => addStaff(tx, who, body));
    return reply.status(201).send({ id: created.id, username: body.username.toLowerCase(), temporaryPassword: created.temporaryPassword });
  });

  app.post('/api/v1/console/staff/:username/disable', async (request) => {
    const who = staffAdmin(await admin(request));
    const { username } = parseWith(usernameParams, request.params, 'params');
    await db.transaction((tx) => setStaffEnabled(tx, who, username, false));
    return { username, active: false };
  });

  app.post('/api/v1/console/staff/:username/enable', async (request) => {
    const who = staffAdmin(await admin(request));
    const { username } = parseWith(usernameParams, request.params, 'params');
    await db.transaction((tx) => setStaffEnabled(tx, who, username, true));
    return { username, active: true };
  });

  app.post('/api/v1/console/staff/:username/reset-password', async (request) => {
    const who = staffAdmin(await admin(request));
    const { username } = parseWith(usernameParams, request.params, 'params');
    const result = await db.transaction((tx) => resetStaffPassword(tx, who, username));
    return { username, temporaryPassword: result.temporaryPassword };
  });

  app.put('/api/v1/console/staff/:username/role', async (request) => {
    const who = staffAdmin(await admin(request));
    const { username } = parseWith(usernameParams, request.params, 'params');
    const body = parseWith(roleSchema, request.body);
    return db.transaction((tx) => setStaffRoles(tx, who, username, body));
  });

  app.get('/api/v1/console/facilities', async (request) => ({ items: await listFacilityViews(db, facilityAdmin(await admin(request))) }));

  app.post('/api/v1/console/facilities', async (request, reply) => {
    const who = facilityAdmin(await admin(request));
    const body = parseWith(newFacilitySchema, request.body);
    const created = await db.transaction((tx) => addFacility(tx, who, body));
    return reply.status(201).send(created);
  });

  app.put('/api/v1/console/facilities/:code/level', async (request) => {
    const who = facilityAdmin(await admin(request));
    const { code } = parseWith(codeParams, request.params, 'params');
    const body = parseWith(z.strictObject({ level }), request.body);
    return changed(db.transaction((tx) => changeFacilityLevel(tx, who, code, body.level)));
  });

  app.put('/api/v1/console/facilities/:code/name-bo', async (request) => {
    const who = facilityAdmin(await admin(request));
    const { code } = parseWith(codeParams, request.params, 'params');
    const body = parseWith(z.strictObject({ nameBo: z.string().max(100).nullable() }), request.body);
    return changed(db.transaction((tx) => setFacilityTibetanName(tx, who, code, body.nameBo)));
  });

  app.post('/api/v1/console/facilities/:code/disable', async (request) => {
    const who = facilityAdmin(await admin(request));
    const { code } = parseWith(codeParams, request.params, 'params');
    return changed(db.transaction((tx) => setFacilityEnabled(tx, who, code, false)));
  });

  app.post('/api/v1/console/facilities/:code/enable', async (request) => {
    const who = facilityAdmin(await admin(request));
    const { code } = parseWith(codeParams, request.params, 'params');
    return changed(db.transaction((tx) => setFacilityEnabled(tx, who, code, true)));
  });

  app.post('/api/v1/console/facilities/:code/rotate-key', async (request) => {
    const who = facilityAdmin(await admin(request));
    const { code } = parseWith(codeParams, request.params, 'params');
    return changed(db.transaction((tx) => rotateFacilityKey(tx, who, code)));
  });
}
