/** What the years routes answer (bureau admin): closed years and settlement id ranges, a year opened, a year archived. */
import { z } from 'zod';
import { int, isoInstant } from './common.ts';

export const idRangeSchema = z.object({
  /** null: the first partition, what was stored before the first year was opened. */
  year: int.nullable(),
  firstId: int.nullable(),
  lastId: int,
  settlements: int,
  openedAt: isoInstant.nullable(),
  openedBy: z.string().nullable(),
  archivedAt: isoInstant.nullable(),
  archivedBy: z.string().nullable(),
  /** New bills go into this range. */
  current: z.boolean(),
});

export const yearsViewSchema = z.object({
  closed: z.array(z.object({ year: int, closedAt: isoInstant, closedBy: z.string(), note: z.string().nullable() })),
  ranges: z.array(idRangeSchema),
  /** The year `open` would open next: the one after the latest range (this year when none is open). */
  nextYear: int,
});

export const yearOpenedSchema = z.object({ year: int, opened: z.boolean(), firstId: int, lastId: int, sequenceMoved: z.boolean() });
export const yearArchivedSchema = z.object({ year: int, archived: z.boolean(), settlements: int, tables: z.array(z.string()), archivedAt: isoInstant });

export const yearResponses = {
  'GET /api/v1/console/years': yearsViewSchema,
  'POST /api/v1/console/years/{year}/open': yearOpenedSchema,
  'POST /api/v1/console/years/{year}/archive': yearArchivedSchema,
} as const;
