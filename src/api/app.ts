/** The HTTP application: one error handler, JSON-line logs without personal data, the routes. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { listenForFacilityChanges } from '../store/repositories/facilities.ts';
import { forgetVerifiedFacilityKeys } from './auth.ts';
import { compressResponses } from './compression.ts';
import { errorHandler, refuseNulCharacters } from './errors.ts';
import { hardenHttp } from './http-hardening.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { enrollmentReportRoutes } from './routes/enrollment-reports.ts';
import { enrollmentRoutes } from './routes/enrollment.ts';
import { hospitalRoutes } from './routes/hospital.ts';
import { monitoringAdminRoutes } from './routes/monitoring-admin.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { publicRoutes } from './routes/public.ts';
import { staffAuthRoutes } from './routes/staff-auth.ts';
import { consoleRoutes } from './routes/console.ts';
import { consoleAdminRoutes } from './routes/console-admin.ts';
import { registerRoutes } from './routes/register.ts';
import { staffAdminRoutes } from './routes/staff-admin.ts';
import { yearRoutes } from './routes/years.ts';
import { webRoutes } from './routes/console-web.ts';
import { residentRoutes } from './routes/resident.ts';
import { residentReceiptRoutes } from './routes/resident-receipts.ts';
import { unconfiguredOtpSender, type OtpSender } from '../service/otp-senders.ts';
import type { SecurityLimits } from '../service/rate-limit.ts';
import { drgRoutes } from './routes/drg.ts';
import type { DrgContext } from '../service/drg-catalogues.ts';
import { chronicRoutes } from './routes/chronic.ts';
import { reviewRoutes } from './routes/review.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { fhirRoutes } from './routes/fhir.ts';
import { fsiRoutes } from './fsi/route.ts';
import { accountRoutes } from './routes/accounts.ts';
import { outOfAreaRoutes } from './routes/out-of-area.ts';
import { fundRoutes } from './routes/fund.ts';
import type { BankKey } from '../service/bank-account-crypto.ts';
import type { PdfFontSettings } from '../service/pdf-fonts.ts';
import type { SettleBatcherOptions } from '../service/settle-batcher.ts';

export interface AppDeps {
  readonly db: Db;
  /** Where reports and exports read (their own read-only, time-limited connections); default: db. */
  readonly reports?: Db;
  readonly policies: PolicyRegistry;
  readonly logLevel?: string;
  /** Delivers residents' one-time codes (the service chooses: SMS gateway, or the file in demo mode); none: sign-in answers 503. */
  readonly otpSender?: OtpSender;
  /** The built web app (default dist/web). */
  readonly webDir?: string;
  /** Believe X-Forwarded-Proto/-For/-Host from these proxies (SANBAO_TRUST_PROXY): true, or addresses and CIDRs. */
  readonly trustProxy?: boolean | string;
  /** Rate limits (default DEFAULT_LIMITS; configured by SANBAO_* variables in production). */
  readonly limits?: Partial<SecurityLimits>;
  /** DRG code lists and group tables (default: from the database and the shipped table). */
  readonly drg?: DrgContext;
  /** The fund's bank key (SANBAO_BANK_KEY) and, in tests, the business day (issue 14). */
  readonly fund?: { readonly bankKey?: BankKey | undefined; readonly today?: (() => string) | undefined };
  /** Group commit of settle requests (default: 32 bills a batch, 2 batches in flight). */
  readonly settleBatch?: SettleBatcherOptions;
  /** Fonts for receipts and statements as PDF (SANBAO_PDF_FONT …); default: Debian's Noto fonts, else the npm ones. */
  readonly pdfFonts?: PdfFontSettings;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      // The path only: query strings may carry personal data; bodies are never logged.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    },
    bodyLimit: 1_048_576,
    // Long path ids reach the route and its schema (400 naming the field), not the router's own 414 shape.
    routerOptions: { maxParamLength: 8_192 },
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
  });
  hardenHttp(app);
  compressResponses(app);
  app.setErrorHandler(errorHandler);
  app.addHook('preHandler', refuseNulCharacters);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}`, field: 'path' } });
  });

  // A facility changed by another process (the CLI beside the service) counts at once, not after the key cache's time.
  const stopListening = await listenForFacilityChanges(deps.db, forgetVerifiedFacilityKeys);
  if (stopListening) app.addHook('onClose', () => stopListening());

  publicRoutes(app, deps);
  hospitalRoutes(app, deps);
  staffAuthRoutes(app, deps);
  enrollmentRoutes(app, deps);
  enrollmentReportRoutes(app, { ...deps, reports: deps.reports ?? deps.db });
  monitoringRoutes(app, deps);
  monitoringAdminRoutes(app, deps);
  consoleRoutes(app, deps);
  consoleAdminRoutes(app, deps);
  registerRoutes(app, deps);
  staffAdminRoutes(app, deps);
  yearRoutes(app, deps);
  drgRoutes(app, deps);
  chronicRoutes(app, deps);
  reviewRoutes(app, deps);
  catalogueRoutes(app, deps);
  fhirRoutes(app, deps);
  fsiRoutes(app, deps);
  accountRoutes(app, deps);
  outOfAreaRoutes(app, deps);
  fundRoutes(app, { db: deps.db, policies: deps.policies, bankKey: deps.fund?.bankKey, today: deps.fund?.today, pdfFonts: deps.pdfFonts });
  residentRoutes(app, { ...deps, otpSender: deps.otpSender ?? unconfiguredOtpSender(), limits: deps.limits ?? {} });
  residentReceiptRoutes(app, deps);
  webRoutes(app, deps.webDir ? { dir: deps.webDir } : {});

  const doc = openApiDocument();
  app.get('/openapi.json', async () => doc);
  const page = docsPage(doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  return app;
}
