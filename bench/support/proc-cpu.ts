/**
 * CPU seconds spent by the service process and by a PostgreSQL cluster (its
 * postmaster, background processes and the backends serving one database), read
 * from /proc — so a benchmark can say how many settlements each CPU-second buys
 * and where that time goes. Linux only; elsewhere every figure is 0.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ, 100 on Linux

function stat(pid: number): { ppid: number; seconds: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // the name may hold spaces
    return { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return undefined;
  }
}

export function processSeconds(pid: number): number {
  return stat(pid)?.seconds ?? 0;
}

/**
 * The cluster's CPU seconds: the postmaster and its children, leaving out backends
 * of other databases (the machine's PostgreSQL serves other work too).
 */
export function clusterSeconds(postmasterPid: number, database: string): number {
  let total = 0;
  for (const seconds of clusterProcesses(postmasterPid, database).values()) total += seconds;
  return total;
}

/** The CPU seconds of each process of the cluster that counts (see clusterSeconds), by pid. */
function clusterProcesses(postmasterPid: number, database: string): Map<number, number> {
  const out = new Map<number, number>([[postmasterPid, processSeconds(postmasterPid)]]);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const p of pids) {
    const s = stat(Number(p));
    if (!s || s.ppid !== postmasterPid) continue;
    let title = '';
    try {
      title = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    // Backends are titled "postgres: [cluster: ]USER DATABASE HOST …"; background processes name their job.
    const backend = /postgres: (?:\S+: )?(\S+) (\S+) (\[local\]|\d+\.\d+\.\d+\.\d+)/.exec(title);
    if (backend && backend[2] !== database) continue;
    // Autovacuum workers name their database: another database's (other work on the machine) is not the service's.
    const vacuum = /autovacuum worker (\S+)/.exec(title);
    if (vacuum && vacuum[1] !== database) continue;
    out.set(Number(p), s.seconds);
  }
  return out;
}

/**
 * The cluster's CPU seconds from now until stop(), sampled every `everyMs`: a
 * backend that exits meanwhile (the pool closes idle connections) keeps what it
 * had spent at its last sample, rather than taking its whole CPU time out of the sum.
 */
export function clusterMeter(postmasterPid: number, database: string, everyMs = 200): { stop(): number } {
  const first = clusterProcesses(postmasterPid, database);
  const last = new Map(first);
  const sample = () => {
    for (const [pid, seconds] of clusterProcesses(postmasterPid, database)) last.set(pid, seconds);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let total = 0;
      for (const [pid, seconds] of last) total += seconds - (first.get(pid) ?? 0);
      return total;
    },
  };
}

/** The postmaster's pid from the first line of PGDATA/postmaster.pid. */
export function postmasterPid(pgdata: string): number {
  return Number(readFileSync(`${pgdata}/postmaster.pid`, 'utf8').split('\n')[0]);
}
