/** Money and rates in policy files: yuan and percentages as written by people, read exactly (fen, basis points). */
import { z } from 'zod';
import { MoneyError, parsePercent, parseYuan } from '../money.ts';

function exact<T>(parse: (value: string | number) => T) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as MoneyError).message });
      return z.NEVER;
    }
  });
}

/** "1,234.50", 1234.5 → fen. */
export const yuanField = exact(parseYuan);
/** "5%", 5 → basis points. */
export const percentField = exact(parsePercent);
