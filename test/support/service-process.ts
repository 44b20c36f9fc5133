/** The real `sanbao serve` and `sanbao …` processes on one data directory, for tests that need separate processes. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The service on the embedded database in dataDir (DATABASE_URL cleared), on a free
 * port: `node bin/sanbao.mjs serve`, or `npm start` as a newcomer runs it.
 */
export function startService(dataDir: string, env: Record<string, string> = {}, launcher: 'node' | 'npm' = 'node'): Promise<ServiceProcess> {
  const [command, args] = launcher === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, ['bin/sanbao.mjs', 'serve']];
  const child = spawn(command as string, args as string[], {
    cwd: root,
    env: { ...process.env, PORT: '0', SANBAO_DATA_DIR: dataDir, DATABASE_URL: '', SANBAO_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 120_000);
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/[\d.:]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => out,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

/** One `sanbao` command on the embedded database in dataDir. */
export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['bin/sanbao.mjs', ...args], {
    env: { ...process.env, SANBAO_DATA_DIR: dataDir, DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/**
 * One `sanbao` command as its own process, without blocking the test worker (a
 * synchronous spawn of many seconds times out vitest's RPC). `env` is laid over
 * this process's environment; a key set to undefined is removed from it.
 */
export function spawnCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}/bin/sanbao.mjs`, ...args], { env, cwd: options.cwd ?? root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
