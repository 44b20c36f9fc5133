/**
 * Serves the built web app (dist/web, from `vite build`): the staff console
 * at / and the resident self-service at /me. One page; it routes by path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chooseEncoding, varyOnEncoding } from '../compression.ts';

export const WEB_DIST = resolve(fileURLToPath(new URL('../../../dist/web', import.meta.url)));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

const MISSING = `<!doctype html><meta charset="utf-8"><title>Sanbao</title>
<p>The web app is not built yet: run <code>npm run build:web</code> (npm install does it too), then reload.</p>`;

/**
 * The build's precompressed twin of a file (name.br or name.gz, written by
 * scripts/precompress.ts) when the client accepts it: sets Content-Encoding
 * and Vary, and returns its path; undefined to send the file as it is.
 */
function precompressed(request: FastifyRequest, reply: FastifyReply, file: string): string | undefined {
  if (!/\.(js|css|html|svg|json)$/.test(file)) return undefined;
  varyOnEncoding(reply);
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  const path = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : undefined;
  if (!path || !existsSync(path)) return undefined;
  void reply.header('content-encoding', encoding);
  return path;
}

export function webRoutes(app: FastifyInstance, options: { dir?: string } = {}): void {
  const dir = options.dir ?? WEB_DIST;
  const indexPath = join(dir, 'index.html');
  // Read on every request (a small file): a rebuild while the service runs is picked up at once.
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    if (!existsSync(indexPath)) return reply.send(MISSING);
    const encoded = precompressed(request, reply, indexPath);
    return reply.send(encoded ? readFileSync(encoded) : readFileSync(indexPath, 'utf8'));
  };
  for (const path of ['/', '/me', '/me/*', '/console/*']) app.get(path, async (request, reply) => page(request, reply));

  app.get('/assets/*', async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    const file = resolve(dir, 'assets', rest);
    if (!file.startsWith(join(dir, 'assets') + sep)) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset', field: 'path' } });
    try {
      const encoded = precompressed(request, reply, file);
      const body = await readFile(encoded ?? file);
      // Vite names assets by content hash: they never change under one name.
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(body);
    } catch {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset', field: 'path' } });
    }
  });
}
