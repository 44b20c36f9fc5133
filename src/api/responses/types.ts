/** The shared answer parts as TypeScript types (z.infer), for the web app's components (type-only imports). */
import type { z } from 'zod';
import type { accountStatementSchema } from './accounts.ts';
import type { adjustmentSchema, breakdownSchema, effectiveSchema, filingSchema, stepSchema } from './settlement.ts';
import type { lineGroupSchema, otherLinesSchema, unmetSchema } from './bill-step.ts';
import type { residentAdjustmentSchema } from './resident.ts';
import type { reviewFlagSchema } from './review.ts';
import type { signedInStaffSchema } from './staff.ts';

export type Step = z.infer<typeof stepSchema>;
export type Breakdown = z.infer<typeof breakdownSchema>;
export type Adjustment = z.infer<typeof adjustmentSchema>;
/** What an adjustment entry tells everyone (the resident's view; the staff's carries more). */
export type AdjustmentEntry = z.infer<typeof residentAdjustmentSchema>;
export type Effective = z.infer<typeof effectiveSchema>;
export type Filing = z.infer<typeof filingSchema>;
export type AccountStatement = z.infer<typeof accountStatementSchema>;
export type ReviewFlag = z.infer<typeof reviewFlagSchema>;
export type SignedInStaff = z.infer<typeof signedInStaffSchema>;
/** The bill's step: identical fee lines grouped, the groups not listed, a restriction a line does not meet. */
export type LineGroup = z.infer<typeof lineGroupSchema>;
export type OtherLines = z.infer<typeof otherLinesSchema>;
export type Unmet = z.infer<typeof unmetSchema>;
