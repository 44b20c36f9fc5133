/** What the monitoring routes answer (the case schemas live beside the routes in monitoring-responses.ts). */
import { z } from 'zod';
import { assistanceApplicationSchema, caseDetailSchema, caseListResponseSchema } from '../routes/monitoring-responses.ts';
import { DEPARTMENTS } from '../../domain/vocabulary.ts';
import { fen, int, isoInstant } from './common.ts';

const counts = z.record(int);
/** A month's monitoring statistics (Haixi's monthly report). */
const monthStatistics = z.object({
  month: z.string().describe('YYYY-MM'),
  year: int,
  persons: int,
  monitored: int,
  newInMonth: int,
  raisedByRun: int,
  byRisk: counts,
  pushed: counts,
  delivered: counts,
  confirmed: int,
  determined: int,
  closed: int,
});
const runRow = z.object({ month: z.string(), finished_at: isoInstant.nullable(), actor: z.string(), persons: int, new_alerts: int });
const endpoint = z.object({ department: z.enum(DEPARTMENTS), url: z.string(), active: z.boolean(), allowPrivateNetwork: z.boolean() });

export const monitoringResponses = {
  'GET /api/v1/monitoring/cases': caseListResponseSchema,
  'GET /api/v1/monitoring/alerts': caseListResponseSchema,
  'GET /api/v1/monitoring/cases/{id}': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/verification': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/determination': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/closure': caseDetailSchema,
  'GET /api/v1/monitoring/cases/{id}/assessment': z.object({
    income: fen,
    selfPay: fen,
    otherDeductions: fen,
    members: int,
    perCapitaNet: fen,
    monitoringLine: fen,
    aboveLine: z.boolean(),
    formula: z.string(),
    householdCode: z.string(),
  }),
  'POST /api/v1/monitoring/cases/{id}/assistance-applications': assistanceApplicationSchema,
  'POST /api/v1/monitoring/assistance-applications/{id}/exceptions': z.object({ id: int, application: assistanceApplicationSchema, exceptionsTotal: fen }),
  'POST /api/v1/monitoring/runs': monthStatistics.extend({ casesOpened: int, millis: int }),
  'GET /api/v1/monitoring/statistics': z.union([
    monthStatistics.extend({ finishedAt: isoInstant.nullable(), actor: z.string() }),
    z.object({ runs: z.array(runRow) }).describe('without month: the runs so far'),
  ]),
  'GET /api/v1/monitoring/jobs': z.object({
    jobs: z.array(z.object({
      id: int,
      kind: z.literal('monthly_run'),
      month: z.string(),
      run_at: isoInstant,
      status: z.enum(['pending', 'running', 'done', 'failed']),
      attempts: int,
      lease_until: isoInstant.nullable(),
      last_error: z.string().nullable(),
      finished_at: isoInstant.nullable(),
    })),
    runs: z.array(runRow),
  }),
  'GET /api/v1/monitoring/outbox': z.object({
    departments: z.array(z.object({
      department: z.enum(DEPARTMENTS),
      pending: int,
      delivered: int,
      failing: int,
      oldest_pending: isoInstant.nullable(),
      endpoint: z.string().nullable(),
    })),
  }),
  'POST /api/v1/monitoring/outbox/{department}/delivered': z.object({ department: z.enum(DEPARTMENTS), marked: int }),
  'GET /api/v1/monitoring/endpoints': z.object({ endpoints: z.array(endpoint.extend({ secretSet: z.boolean(), updatedBy: z.string(), updatedAt: isoInstant })) }),
  'PUT /api/v1/monitoring/endpoints/{department}': endpoint,
  'GET /api/v1/monitoring/lines': z.object({ lines: z.array(z.object({ region_code: z.string(), year: int, line_fen: fen, set_by: z.string(), set_at: isoInstant })) }),
  'PUT /api/v1/monitoring/lines/{regionCode}/{year}': z.object({ regionCode: z.string(), year: int, monitoringLine: fen }),
} as const;
