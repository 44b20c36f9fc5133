/**
 * Compressed responses with node:zlib (no dependency): brotli, else gzip, as
 * the client accepts, for text bodies (JSON, CSV, HTML, JavaScript, CSS) past
 * a small threshold. A body already encoded (the web app's precompressed
 * assets) is left as it is.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const COMPRESSIBLE = /^(application\/(json|javascript|xml|problem\+json)|text\/|image\/svg\+xml)/;

export type Encoding = 'br' | 'gzip';

/** The encoding to answer with for an Accept-Encoding header: brotli when accepted, else gzip, else none (q=0 refuses). */
export function chooseEncoding(header: string | string[] | undefined): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/** Adds Accept-Encoding to Vary, keeping what is there. */
export function varyOnEncoding(reply: FastifyReply): void {
  const vary = String(reply.getHeader('vary') ?? '');
  if (!/accept-encoding/i.test(vary)) void reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

export function compressResponses(app: FastifyInstance, options: { threshold?: number } = {}): void {
  const threshold = options.threshold ?? 1024;
  // A callback hook with the cheap tests first: most answers (a settlement to a HIS that sends no
  // Accept-Encoding) leave at once, without a copy of the body or a promise (bench:settle's profile).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    if (reply.getHeader('content-encoding') || request.method === 'HEAD') return done(null, payload);
    if ((typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length) < threshold) return done(null, payload);
    if (!COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) return done(null, payload);
    varyOnEncoding(reply);
    const accepts = request.headers['accept-encoding'];
    const encoding = accepts === undefined ? undefined : chooseEncoding(accepts);
    if (!encoding) return done(null, payload);
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    // Quality 4: near gzip's speed with brotli's better ratio, right for bodies made per request.
    const compressed =
      encoding === 'br'
        ? brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
        : gzipAsync(body, { level: 6 });
    compressed.then((out) => {
      void reply.header('content-encoding', encoding);
      reply.removeHeader('content-length');
      done(null, out);
    }, (error: Error) => done(error));
  });
}
