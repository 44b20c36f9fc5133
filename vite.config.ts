/** The web app (staff console at /, resident self-service at /me): web/ → dist/web, served by the Fastify app. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.ts';

const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  // React without the plugin: the automatic JSX runtime through esbuild.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  // Each text asset also as .br and .gz beside it, so the server sends compressed bytes without compressing per request.
  plugins: [{ name: 'sanbao-precompress', apply: 'build', closeBundle: () => precompress(outDir) }],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  logLevel: 'warn',
});
