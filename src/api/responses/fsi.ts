/** What the console's view of the national interface answers (amounts in yuan strings, as the interface sent them). */
import { z } from 'zod';
import { isoInstant } from './common.ts';

export const fsiResponses = {
  'GET /api/v1/console/fsi/messages': z.object({
    items: z.array(z.object({
      at: isoInstant,
      facility: z.object({ code: z.string(), name: z.string() }),
      infno: z.string(),
      msgid: z.string(),
      mdtrtId: z.string().nullable(),
      setlId: z.string().nullable(),
      medfeeYuan: z.string().nullable().describe('yuan, as the interface sent it'),
      fundYuan: z.string().nullable(),
    })),
  }),
} as const;
