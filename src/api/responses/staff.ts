/** What the staff sign-in, staff administration and facility administration routes answer. */
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../domain/access.ts';
import { int, isoInstant, itemsOf, okAnswer } from './common.ts';

export const signedInStaffSchema = z.object({
  id: int,
  username: z.string(),
  role: z.enum(ROLES),
  divisionCode: z.string(),
  department: z.string().nullable(),
  /** The service-station items delegated to this staff member's township. */
  items: z.array(z.string()),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const staffViewSchema = z.object({
  id: int,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  divisionCode: z.string(),
  department: z.string().nullable(),
  state: z.enum(['active', 'disabled', 'locked', 'must_change_password']),
  mustChangePassword: z.boolean(),
  lockedUntil: isoInstant.nullable(),
  createdAt: isoInstant,
  passwordChangedAt: isoInstant.nullable(),
});

export const facilityViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameBo: z.string().nullable(),
  kind: z.enum(['hospital', 'pharmacy', 'clinic']),
  level: int,
  divisionCode: z.string(),
  active: z.boolean(),
  keyPrefix: z.string().nullable(),
});
const facilityWithKey = z.object({ facility: facilityViewSchema, apiKey: z.string().describe('shown once') });
const staffActive = z.object({ username: z.string(), active: z.boolean() });

export const staffResponses = {
  'POST /api/v1/staff/login': z.object({ token: z.string(), expiresAt: isoInstant, staff: signedInStaffSchema }),
  'GET /api/v1/staff/me': signedInStaffSchema,
  'POST /api/v1/staff/password': okAnswer,
  'POST /api/v1/staff/logout': okAnswer,
  'GET /api/v1/staff/setup': z.object({ needed: z.boolean() }),
  'POST /api/v1/staff/setup': z.object({ id: int, username: z.string() }),
  'GET /api/v1/console/staff': itemsOf(staffViewSchema),
  'POST /api/v1/console/staff': z.object({ id: int, username: z.string(), temporaryPassword: z.string().optional() }),
  'POST /api/v1/console/staff/{username}/disable': staffActive,
  'POST /api/v1/console/staff/{username}/enable': staffActive,
  'POST /api/v1/console/staff/{username}/reset-password': z.object({ username: z.string(), temporaryPassword: z.string() }),
  'PUT /api/v1/console/staff/{username}/role': staffViewSchema,
  'GET /api/v1/console/facilities': itemsOf(facilityViewSchema),
  'POST /api/v1/console/facilities': facilityWithKey,
  'PUT /api/v1/console/facilities/{code}/level': facilityViewSchema,
  'PUT /api/v1/console/facilities/{code}/name-bo': facilityViewSchema,
  'POST /api/v1/console/facilities/{code}/disable': facilityViewSchema,
  'POST /api/v1/console/facilities/{code}/enable': facilityViewSchema,
  'POST /api/v1/console/facilities/{code}/rotate-key': facilityWithKey,
} as const;
