/**
 * Every API answer's zod schema, keyed 'METHOD /path/{param}' as in the OpenAPI document.
 * The document describes its 2xx responses from these (describe.ts), API tests check real
 * answers against them (test/support/answer-check.ts), and the web client takes its
 * types from them (`Answers`, imported type-only: no zod reaches the browser).
 */
import type { z } from 'zod';
import { accountResponses } from './accounts.ts';
import { chronicResponses } from './chronic.ts';
import { consoleResponses } from './console.ts';
import { drgResponses } from './drg.ts';
import { enrollmentResponses } from './enrollment.ts';
import { fsiResponses } from './fsi.ts';
import { fundResponses } from './fund.ts';
import { hospitalResponses } from './hospital.ts';
import { monitoringResponses } from './monitoring.ts';
import { registerResponses } from './register.ts';
import { residentResponses } from './resident.ts';
import { reviewResponses } from './review.ts';
import { staffResponses } from './staff.ts';
import { windowResponses } from './window.ts';
import { yearResponses } from './years.ts';

export const responseSchemas = {
  ...hospitalResponses,
  ...staffResponses,
  ...monitoringResponses,
  ...consoleResponses,
  ...enrollmentResponses,
  ...residentResponses,
  ...registerResponses,
  ...drgResponses,
  ...reviewResponses,
  ...chronicResponses,
  ...accountResponses,
  ...fundResponses,
  ...fsiResponses,
  ...windowResponses,
  ...yearResponses,
} as const;

export type Operation = keyof typeof responseSchemas;
/** The answer of each operation, as the client receives it (after JSON). */
export type Answers = { [K in Operation]: z.infer<(typeof responseSchemas)[K]> };
