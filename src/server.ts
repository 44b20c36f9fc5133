/**
 * The service: database (the embedded PostgreSQL by default, DATABASE_URL's otherwise),
 * policies, a demo county in an empty database, the HTTP app, and a graceful
 * shutdown that lets in-flight requests finish before the database closes.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.ts';
import type { Config } from './config.ts';
import { loadDemo } from './demo/demo.ts';
import { FULL_DEMO, SMALL_DEMO } from './demo/generate.ts';
import { hasPersons } from './demo/load.ts';
import { chooseOtpSender, type OtpDelivery } from './service/otp-senders.ts';
import { join } from 'node:path';
import { loadPolicies, type PolicyRegistry } from './domain/policy/registry.ts';
import type { Db } from './store/db.ts';
import { openDatabase, openReportsDatabase } from './store/open.ts';
import { findFacilityByApiKey } from './store/repositories/facilities.ts';
import { startMonitoringJobs } from './jobs/monitoring-jobs.ts';
import { issueSetupToken } from './service/first-setup.ts';
import { watchPolicyYear } from './service/policy-year-watch.ts';

export interface RunningService {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly url: string;
  readonly demoLoaded: boolean;
  /** Made at start when the database has no staff (and no demo was loaded): printed once, for the console's first set-up. */
  readonly setupToken?: { token: string; expiresAt: Date };
  /** The demo county is in the database (loaded now or before): its published keys and passwords work. */
  readonly demoPresent: boolean;
  /** How residents' sign-in codes are delivered; 'none' comes with `otpWarning`. */
  readonly otpDelivery: OtpDelivery;
  readonly otpWarning: string | undefined;
  /** Set when no policy covers the current year (Beijing time): what is refused and where the policy file goes. */
  readonly policyWarning: string | undefined;
  close(): Promise<void>;
}

/** The demo hospital's published API key (src/demo/generate.ts). */
export const DEMO_HOSPITAL_KEY = 'sb_demo_dege_county_hospital';

/**
 * Which demo county to load now, if any: asked for (small, full) into an empty
 * database; unasked (auto) only into an embedded database this start created, so
 * `npm start` shows the demo and a real PostgreSQL never gets its published keys.
 */
export function demoToLoad(demo: Config['demo'], db: Pick<Db, 'kind' | 'created'>, holdsPersons: boolean): 'small' | 'full' | undefined {
  if (demo === 'none' || holdsPersons) return undefined;
  if (demo === 'auto') return db.kind === 'embedded' && db.created === true ? 'small' : undefined;
  return demo;
}

export async function startService(config: Config): Promise<RunningService> {
  const policies = loadPolicies(config.policyDir);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  const demo = demoToLoad(config.demo, db, await hasPersons(db));
  if (demo) await loadDemo(db, policies, demo === 'full' ? FULL_DEMO : SMALL_DEMO);
  const demoLoaded = demo !== undefined;
  const demoPresent = demoLoaded || (await findFacilityByApiKey(db, DEMO_HOSPITAL_KEY)) !== undefined;
  const setupToken = demoLoaded ? undefined : await issueSetupToken(db);
  // Sign-in codes go to a file only while the demo county is present; otherwise an SMS gateway or none.
  const otp = chooseOtpSender({ sms: config.sms, demo: demoPresent ? 'demo' : 'none', otpFile: join(config.dataDir, 'otp.log') });
  const reports = await openReportsDatabase(db, config.reports);
  const app = await buildApp({
    db, reports, policies, logLevel: config.logLevel, trustProxy: config.trustProxy, limits: config.limits, otpSender: otp.sender, fund: { bankKey: config.bankKey },
    pdfFonts: config.pdfFonts, settleBatch: config.settleBatch,
  });
  const policyYear = watchPolicyYear({ policies, policyDir: config.policyDir, warn: (message) => app.log.warn(message) });
  const address = await app.listen({ port: config.port, host: config.host });
  // The monthly monitoring run (on the 15th) and the push outbox, in the background.
  const jobs = startMonitoringJobs({ db, policies, log: app.log });
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    policies,
    url: address,
    demoLoaded,
    ...(setupToken ? { setupToken } : {}),
    demoPresent,
    otpDelivery: otp.delivery,
    otpWarning: otp.warning,
    policyWarning: policyYear.warning,
    close: () =>
      (closing ??= (async () => {
        policyYear.stop();
        await app.close(); // stops accepting, waits for in-flight requests
        await jobs.stop(); // lets a run or a delivery in flight finish
        await reports.close();
        await db.close();
      })()),
  };
}
