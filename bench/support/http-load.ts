/** The load generator of bench:settle: concurrent clients settling bills over keep-alive HTTP. */
import { Agent, request } from 'node:http';

export interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

const KEY = 'sb_demo_dege_county_hospital';

/** `clients` loops, each settling one bill after another for a random enrolled person, for `seconds`. */
export async function drive(url: string, people: string[], seconds: number, clients: number, label: string): Promise<LoadResult> {
  // node:http with keep-alive: a light client, so the load generator takes as little of the cores as pgbench's does.
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(`${url}/api/v1/settlements`);
  const latencies: number[] = [];
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const n = sequence++;
      const idNumber = people[(n * 7919 + w) % people.length]!;
      const total = 50_000 + ((n * 104_729) % 5_000_000);
      const body = JSON.stringify({
        transactionId: `${label}-${w}-${n}`,
        patient: { idNumber },
        visit: { kind: 'inpatient', date: '2025-07-01' },
        amounts: { total, compliant: Math.floor((total * 4) / 5) },
      });
      const t0 = performance.now();
      const status = await post(agent, target, body);
      if (status === 201) latencies.push(performance.now() - t0);
      else if (errors++ === 0) process.stderr.write(`first refused settlement: HTTP ${status}\n`);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { count: latencies.length, errors, seconds: elapsed, p50: at(0.5), p99: at(0.99) };
}

function post(agent: Agent, target: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${KEY}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
