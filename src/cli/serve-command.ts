/** `sanbao serve` (what `npm start` runs): the service until SIGTERM or SIGINT. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '../config.ts';
import { DEMO_HOSPITAL_KEY, startService } from '../server.ts';
import { DEMO_PASSWORD } from '../demo/staff.ts';
import { cliConfig } from './database.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io.ts';

export async function serveCommand(io: Io, args: string[]): Promise<number> {
  // `npm start -- --demo full` loads the Dege-sized county into an empty database (as SANBAO_DEMO=full does).
  const demo = args[0] === '--demo' ? args[1] : undefined;
  if (args.length > 0 && (args.length !== 2 || demo === undefined)) throw new UsageError('usage: sanbao serve [--demo small|full|none]');
  const config = cliConfig(demo === undefined ? process.env : { ...process.env, SANBAO_DEMO: demo });
  const stop = stopRequested(io);
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
  if (service.policyWarning) lines.push(`  WARNING: ${service.policyWarning}`);
  if (service.demoLoaded) lines.push('  Demo county loaded into the empty database (德格县, 2025: the year its policy covers).');
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
  if (!config.databaseUrl && existsSync(join(config.dataDir, 'PG_VERSION'))) {
    const old = config.dataDir;
    lines.push(`  Note: ${old} also holds the PGlite database of an earlier Sanbao, which is no longer read. To carry it over:`);
    lines.push(`    sanbao backup --from-pglite ${old} --out old.sanbao.gz && sanbao restore old.sanbao.gz --force`);
  }
  io.out(lines.join('\n'));
  const reason = await stop;
  io.out(`${reason}: finishing in-flight requests, then closing the database`);
  try {
    await service.close();
    return EXIT_OK;
  } catch (error) {
    io.err(`closing failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

/**
 * Resolves with the reason at the first SIGTERM or SIGINT. Listening starts before
 * the service does, so a signal during start-up (a first start loads the demo for
 * seconds) lets the start finish and then closes, never the default exit that
 * would leave the embedded PostgreSQL running; a repeated signal (Ctrl-C reaches
 * the service from the terminal and again from npm) is told and ignored. Started
 * by `npm start` (npm the parent: the start script exec's node), the service also
 * stops when npm is gone — killed outright, npm cannot forward a signal.
 */
function stopRequested(io: Io): Promise<string> {
  return new Promise<string>((resolve) => {
    let requested = false;
    const request = (reason: string) => {
      if (requested) {
        io.out(`${reason}: already stopping`);
        return;
      }
      requested = true;
      clearInterval(watch);
      resolve(reason);
    };
    process.on('SIGTERM', () => request('SIGTERM'));
    process.on('SIGINT', () => request('SIGINT'));
    // The terminal closing (an SSH session dropped) sends SIGHUP, whose default exit would leave
    // PostgreSQL running. (Node resets an inherited "ignore", so nohup never kept the service alive.)
    process.on('SIGHUP', () => request('SIGHUP'));
    const parent = process.ppid;
    const underNpm = process.env.npm_lifecycle_event !== undefined;
    const watch = setInterval(() => {
      if (underNpm && process.ppid !== parent) request('npm exited');
    }, 500);
    watch.unref();
  });
}
