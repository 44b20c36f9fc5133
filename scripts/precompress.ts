/**
 * Writes `name.br` and `name.gz` beside every text asset of the built web app
 * (JavaScript, CSS, HTML, SVG, JSON), with node:zlib at the highest levels: a
 * build's one-time cost, so the server answers each request with bytes it
 * already has. Fonts are left alone (woff2 is compressed already).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = new Set(['.js', '.css', '.html', '.svg', '.json']);

export function precompress(dir: string): { files: number; bytes: number; brotli: number } {
  let files = 0;
  let bytes = 0;
  let brotli = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = precompress(path);
      files += inner.files;
      bytes += inner.bytes;
      brotli += inner.brotli;
      continue;
    }
    if (!TEXT.has(extname(name))) continue;
    const body = readFileSync(path);
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    files += 1;
    bytes += body.length;
    brotli += br.length;
  }
  return { files, bytes, brotli };
}
