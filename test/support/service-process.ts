/** The real `sanbao serve` and `sanbao …` processes on one data directory, for tests that need separate processes. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The service on the embedded database in dataDir (DATABASE_URL cleared), on a free port. */
export function startService(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['bin/sanbao.mjs', 'serve'], {
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
