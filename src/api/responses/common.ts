/** Building blocks of the response schemas: money in fen, instants, masked fields, paging. */
import { z } from 'zod';

/** Money: an integer of fen (分), never a float. */
export const fen = z.number().int().describe('fen (分)');
export const int = z.number().int();
export const isoDate = z.string().describe('YYYY-MM-DD');
export const isoInstant = z.string().describe('an ISO 8601 instant');
export const masked = z.string().describe('masked');
/** Free-form detail whose shape depends on its kind (audit detail, rule evidence). */
export const detail = z.record(z.unknown());
/** A name in Chinese with its Tibetan and English forms where the register has them. */
export const divisionName = z.object({ name: z.string(), nameBo: z.string().nullable(), nameEn: z.string().nullable().optional() });
/** Offset paging with the real total. */
export const paged = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ total: int, limit: int, offset: int, items: z.array(item) });
/** A list answer: { items }. */
export const itemsOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });
/** Answers that only confirm ({ ok: true }). */
export const okAnswer = z.object({ ok: z.literal(true) });
/** An identity a person holds (低保, 特困, 监测对象 …) over its days, with the department that attests it. */
export const heldIdentitySchema = z.object({ identity: z.string(), validFrom: isoDate, validTo: isoDate.nullable(), department: z.string().nullable() });
/** A person's enrolment of one year as staff and the resident read it: the contribution, its subsidy and what was paid. */
export const enrollmentYearSchema = z.object({
  year: int,
  policy: z.string(),
  tier: z.string().nullable(),
  contribution: fen,
  subsidy: fen,
  subsidyIdentity: z.string().nullable(),
  subsidyDepartment: z.string().nullable(),
  individual: fen,
  paid: fen,
  status: z.string(),
});
