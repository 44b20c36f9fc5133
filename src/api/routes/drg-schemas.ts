/** The zod schemas of the DRG routes (staff side); the 4101 body is checked field by field in the domain. */
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';

export const policyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'a DRG policy id such as haixi-2023');
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

export const groupBodySchema = z
  .object({ from: isoDateSchema, to: isoDateSchema, table: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/).optional() })
  .refine((b) => b.from <= b.to, { message: 'from must not be after to', path: ['to'] });
export const ratesBodySchema = z
  .object({ policy: policyIdSchema, from: isoDateSchema, to: isoDateSchema })
  .refine((b) => b.from <= b.to, { message: 'from must not be after to', path: ['to'] });
export const payBodySchema = z.object({ policy: policyIdSchema, month: monthSchema });
export const reportQuerySchema = z.object({ policy: policyIdSchema });
export const paymentsQuerySchema = z.object({
  policy: policyIdSchema,
  month: monthSchema.optional(),
  facility: z.string().regex(/^[A-Z0-9]{2,20}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});
export const setlIdSchema = z.string().regex(/^[0-9A-Za-z_\-.]{1,40}$/, 'a setl_id: 1–40 letters, digits, _ - or .');
export const idParamSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** The 4101 body as documented in OpenAPI (the handler checks it field by field with readAbstract). */
export const settlementListDoc = {
  type: 'object',
  required: ['setl_id', 'psn_no', 'age', 'adm_time', 'dscg_time', 'ipt_days', 'dscg_way', 'diseinfo', 'medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt'],
  properties: {
    setl_id: { type: 'string', description: 'settlement id, unique per facility; a retry with the same content answers 200' },
    mdtrt_id: { type: 'string' },
    psn_no: { type: 'string' },
    gend: { type: 'string', enum: ['1', '2'] },
    age: { type: 'integer', minimum: 0 },
    nwb_age: { type: 'integer', description: 'newborn age in days' },
    nwb_bir_wt: { type: 'integer', description: 'newborn birth weight, grams' },
    adm_time: { type: 'string', format: 'date' },
    dscg_time: { type: 'string', format: 'date' },
    ipt_days: { type: 'integer', minimum: 0 },
    dscg_way: { type: 'string', enum: ['1', '2', '3', '4', '5', '9'] },
    diseinfo: { type: 'array', items: { type: 'object', required: ['diag_code'], properties: { diag_code: { type: 'string' }, diag_name: { type: 'string' }, maindiag_flag: { type: 'string', enum: ['0', '1'] } } } },
    oprninfo: { type: 'array', items: { type: 'object', required: ['oprn_oprt_code'], properties: { oprn_oprt_code: { type: 'string' }, main_oprn_flag: { type: 'string', enum: ['0', '1'] } } } },
    iteminfo: { type: 'array', items: { type: 'object', properties: { med_chrgitm_type: { type: 'string', description: 'cost category 01–14' }, amt: { type: 'integer', description: 'fen' } } } },
    medfee_sumamt: { type: 'integer', description: 'total, fen' },
    psn_selfpay: { type: 'integer', description: 'what the patient paid, fen' },
    fund_pay_sumamt: { type: 'integer', description: 'what the funds paid item by item, fen' },
  },
} as const;
