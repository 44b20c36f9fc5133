/** The bill's step of a settlement's explanation (fund "bill"): how the compliant amount came about, line group by line group. */
import { z } from 'zod';
import { fen, int } from './common.ts';

/** A catalogue restriction a fee line does not meet (限定支付范围). */
export const unmetSchema = z.discriminatedUnion('restriction', [
  z.object({ restriction: z.literal('level'), minLevel: int, level: int }),
  z.object({ restriction: z.literal('sex'), sex: z.enum(['M', 'F']) }),
  z.object({ restriction: z.literal('age'), minAge: int.nullable(), maxAge: int.nullable(), age: int }),
  z.object({ restriction: z.literal('diagnosis'), diagnoses: z.array(z.string()), diagnosis: z.string().nullable() }),
  z.object({ restriction: z.literal('quantity'), allowed: int, billed: int }),
]);

const parts = { amount: fen, aboveCap: fen, excluded: fen, selfPayFirst: fen, compliant: fen };

/** Identical fee lines told together. */
export const lineGroupSchema = z.object({
  code: z.string(),
  name: z.string(),
  class: z.enum(['A', 'B', 'C']),
  lines: int,
  first: int.describe('the first line’s index'),
  quantity: int,
  unitPrice: fen,
  ...parts,
  rule: z.string(),
  priceCap: fen.optional(),
  selfPayFirstRatio: int.optional().describe('basis points'),
  unmet: z.array(unmetSchema).optional(),
});

/** The groups not listed one by one (past the step's limit), summed. */
export const otherLinesSchema = z.object({ groups: int, lines: int, ...parts });

/** The bill step's own fields beside a step's (fund "bill"). */
export const billStepFields = {
  lineCount: int.optional(),
  groups: z.array(lineGroupSchema).optional(),
  others: otherLinesSchema.optional(),
};
