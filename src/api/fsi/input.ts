/**
 * Reading a transaction's `input` at the boundary (zod), field names as the
 * national interface spells them; a problem names its field from the
 * envelope down (input.feedetail.2.pric) and nothing is written.
 */
import { z } from 'zod';
import { DomainError, invalid } from '../../domain/errors.ts';
import { isInterfaceTime } from './envelope.ts';
import { yuanToFen } from './yuan.ts';

export function readInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['input', ...issue.path].join('.');
    throw invalid('INVALID_INPUT', issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message, field);
  }
  return parsed.data;
}

export const str = (max: number) =>
  z.string({ required_error: 'is missing', invalid_type_error: 'must be a string' }).trim().min(1, 'is missing').max(max, `must be at most ${max} characters`);
export const optionalStr = (max: number) =>
  z.string({ invalid_type_error: 'must be a string' }).trim().max(max, `must be at most ${max} characters`).optional().transform((v) => (v === '' ? undefined : v));

/** One of the dictionary's codes (numbers accepted, as some HIS send them). */
export const code = <T extends string>(codes: readonly T[], what: string) =>
  z.union([z.string(), z.number()], { required_error: 'is missing', invalid_type_error: `must be ${what}` })
    .transform((v) => String(v).trim())
    .refine((v): v is T => (codes as readonly string[]).includes(v), { message: `must be ${what}: ${codes.join(', ')}` }) as unknown as z.ZodType<T, z.ZodTypeDef, unknown>;

/** Yuan with at most two decimals (a string or a number) → fen. */
export const yuan = z.unknown().transform((v, ctx) => {
  const r = yuanToFen(v);
  if ('problem' in r) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.problem });
    return z.NEVER;
  }
  return r.fen;
});

/** A time "yyyy-MM-dd HH:mm:ss" or a day "yyyy-MM-dd" → the day. */
export const day = z
  .string({ required_error: 'is missing', invalid_type_error: 'must be a time "yyyy-MM-dd HH:mm:ss"' })
  .trim()
  .refine((v) => isInterfaceTime(v.length === 10 ? `${v} 00:00:00` : v), 'must be a time "yyyy-MM-dd HH:mm:ss" or a day "yyyy-MM-dd"')
  .transform((v) => v.slice(0, 10));

/** psn_no: Sanbao's person number (its id), as text. */
export const psnNo = z
  .union([z.string(), z.number()], { required_error: 'is missing', invalid_type_error: 'must be a person number' })
  .transform((v) => String(v).trim())
  .refine((v) => /^[1-9]\d{0,15}$/.test(v), 'must be a person number (psn_no from 1101)')
  .transform(Number);

/** A whole count of the item's unit (Sanbao bills whole units only). */
export const count = z
  .union([z.string(), z.number()], { required_error: 'is missing', invalid_type_error: 'must be a whole number of units' })
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,7}(\.0+)?$/.test(v) && Number.parseInt(v, 10) > 0, 'must be a whole number of units, at least 1')
  .transform((v) => Number.parseInt(v, 10));

/** Rethrows a Sanbao service's error with its field (named after Sanbao's own API) as the interface names it. */
export function renamedFields(names: Readonly<Record<string, string>>): (error: unknown) => never {
  return (error) => {
    if (error instanceof DomainError && error.field !== undefined && names[error.field] !== undefined) {
      throw new DomainError(error.kind, error.code, error.message, names[error.field]);
    }
    throw error;
  };
}
