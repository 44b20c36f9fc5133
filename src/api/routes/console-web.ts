/**
 * Serves the built web app (dist/web, from `vite build`): the staff console
 * at / and the resident self-service at /me. One page; it routes by path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

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

export function webRoutes(app: FastifyInstance, options: { dir?: string } = {}): void {
  const dir = options.dir ?? WEB_DIST;
  const indexPath = join(dir, 'index.html');
  // Read on every request (a small file): a rebuild while the service runs is picked up at once.
  const page = (reply: FastifyReply) => {
    const index = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(index ?? MISSING);
  };
  for (const path of ['/', '/me', '/me/*', '/console/*']) app.get(path, async (_request, reply) => page(reply));

  app.get('/assets/*', async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    const file = resolve(dir, 'assets', rest);
    if (!file.startsWith(join(dir, 'assets') + sep)) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset', field: 'path' } });
    try {
      const body = await readFile(file);
      // Vite names assets by content hash: they never change under one name.
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable').send(body);
    } catch {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset', field: 'path' } });
    }
  });
}
