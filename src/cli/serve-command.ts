/** `sanbao serve` (what `npm start` runs): the service until SIGTERM or SIGINT. */
import { join } from 'node:path';
import { describeConfig } from '../config.ts';
import { DEMO_HOSPITAL_KEY, startService } from '../server.ts';
import { DEMO_PASSWORD } from '../demo/staff.ts';
import { cliConfig } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

export async function serveCommand(io: Io, args: string[]): Promise<number> {
  // `npm start -- --demo full` loads the Dege-sized county into an empty database (as SANBAO_DEMO=full does).
  const demo = args[0] === '--demo' ? args[1] : undefined;
  if (args.length > 0 && (args.length !== 2 || demo === undefined)) throw new UsageError('usage: sanbao serve [--demo small|full|none]');
  const config = cliConfig(demo === undefined ? process.env : { ...process.env, SANBAO_DEMO: demo });
  const service = await startService(config);
  const where = config.databaseUrl ? describeConfig(config).databaseUrl : `embedded PostgreSQL in ${join(config.dataDir, 'postgres')}`;
  const lines = [
    `Sanbao is running at ${service.url}  (database: ${where})`,
    `  API docs: ${service.url}/docs   OpenAPI: ${service.url}/openapi.json   health: ${service.url}/healthz`,
    `  Staff console: ${service.url}/   Resident self-service: ${service.url}/me`,
    service.otpDelivery === 'sms' ? '  Resident sign-in codes: sent by the SMS gateway (SANBAO_SMS_URL)'
    : service.otpDelivery === 'file' ? `  Resident sign-in codes (demo): written to ${join(config.dataDir, 'otp.log')} (mode 0600)`
    : `  WARNING: ${service.otpWarning}`,
  ];
  if (service.demoLoaded) lines.push('  Demo county loaded into the empty database (德格县, 2025).');
  if (service.demoPresent) {
    lines.push(`  Demo hospital API key: ${DEMO_HOSPITAL_KEY}`);
    lines.push(`  Demo staff: admin, clerk, station1, civil, rural, auditor — password ${DEMO_PASSWORD}`);
  }
  if (service.setupToken) {
    lines.push(
      '  No staff accounts yet. First set-up: open the staff console, choose "First set-up" and give this one-time token',
      `  (valid until ${service.setupToken.expiresAt.toISOString()}, once): ${service.setupToken.token}`,
      '  — or create the first administrator with: npx sanbao staff add --role bureau_admin …',
    );
  }
  io.out(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.out(`${signal}: finishing in-flight requests, then closing the database`);
      void service.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return EXIT_OK;
}
