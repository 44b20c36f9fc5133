/** What the monitoring routes answer (the case schemas live beside the routes in monitoring-responses.ts). */
import { z } from 'zod';
import { caseDetailSchema, caseListResponseSchema } from '../routes/monitoring-responses.ts';
import { DEPARTMENTS } from '../../domain/vocabulary.ts';
import { fen, int, isoInstant } from './common.ts';

export const monitoringResponses = {
  'GET /api/v1/monitoring/cases': caseListResponseSchema,
  'GET /api/v1/monitoring/alerts': caseListResponseSchema,
  'GET /api/v1/monitoring/cases/{id}': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/verification': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/determination': caseDetailSchema,
  'POST /api/v1/monitoring/cases/{id}/closure': caseDetailSchema,
} as const;
void z; void DEPARTMENTS; void fen; void int; void isoInstant;
