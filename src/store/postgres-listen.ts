/**
 * LISTEN for PostgreSQL (Db.listen): on a connection of its own, never one of
 * the pool's (a pooled connection is lent to others between queries), made
 * again a second after it is lost — then the listener is told that
 * notifications may have been missed (null).
 */
import pg from 'pg';

const RETRY_MS = 1_000;

export async function listenOn(
  target: string | pg.ClientConfig,
  channel: string,
  onNotify: (payload: string | null) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const retry = () => {
    timer = setTimeout(() => {
      connect().then(() => onNotify(null), () => void (stopped || retry()));
    }, RETRY_MS);
    timer.unref();
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client(typeof target === 'string' ? { connectionString: target } : target);
    c.on('notification', (m) => {
      if (m.channel === channel) onNotify(m.payload ?? '');
    });
    // A lost connection (a server restart) must not end the process: made again instead.
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client !== c || stopped) return;
      client = undefined;
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    if (stopped) await c.end().catch(() => undefined);
    else client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}
