/**
 * Reads back what a PDF made by pdfkit says, for tests: the text of each page
 * (through each font's ToUnicode map, so shaped Tibetan stacks come back as
 * their letters) and the fonts it embeds. Not a general PDF reader: it knows
 * the plain structure pdfkit writes (no object streams, Flate-compressed
 * content, hex glyph strings in TJ/Tj).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!;
    const at = body.indexOf('stream');
    if (at < 0) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    let start = at + 'stream'.length;
    if (body[start] === '\r') start++;
    if (body[start] === '\n') start++;
    const end = body.lastIndexOf('endstream');
    let raw = Buffer.from(body.slice(start, end).replace(/\r?\n$/, ''), 'latin1');
    if (/\/Filter\s*\/FlateDecode/.test(dict)) raw = inflateSync(raw);
    out.set(Number(m[1]), { dict, stream: raw });
  }
  return out;
}

// pdfkit writes a glyph of several letters (a Tibetan stack, a ligature) as <0f66 0f92 0fb2>.
const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');

/** A ToUnicode CMap as glyph id → text. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = parseInt(m[1]!, 16);
      const to = parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) {
        [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((d, i) => map.set(from + i, utf16(d[1]!)));
      } else {
        const base = parseInt(m[3]!.slice(1, -1), 16);
        for (let g = from; g <= to; g++) map.set(g, String.fromCharCode(base + g - from));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), utf16(m[2]!));
  }
  return map;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

export interface PdfContent {
  /** Each page's text, one line per text object (BT … ET). */
  readonly pages: string[];
  /** The fonts embedded with their file (FontFile, FontFile2 or FontFile3): their BaseFont names. */
  readonly embeddedFonts: string[];
}

export function readPdf(pdf: Buffer): PdfContent {
  if (pdf.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(pdf);
  const fontMaps = new Map<number, Map<number, string>>();
  const embeddedFonts: string[] = [];
  for (const [id, o] of objs) {
    if (!/\/Type\s*\/Font\b/.test(o.dict) || !/\/Subtype\s*\/Type0/.test(o.dict)) continue;
    const cmap = ref(o.dict, 'ToUnicode');
    fontMaps.set(id, cmap ? toUnicode(objs.get(cmap)?.stream?.toString('latin1') ?? '') : new Map());
    const descendant = /\/DescendantFonts\s*\[\s*(\d+) 0 R/.exec(o.dict);
    const cid = descendant ? objs.get(Number(descendant[1])) : undefined;
    const descriptor = cid ? objs.get(ref(cid.dict, 'FontDescriptor') ?? -1) : undefined;
    if (descriptor && /\/FontFile[23]?\s+\d+ 0 R/.test(descriptor.dict)) embeddedFonts.push(/\/BaseFont\s*\/([^\s/>]+)/.exec(o.dict)?.[1] ?? '?');
  }
  const pages: string[] = [];
  for (const o of objs.values()) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue;
    const resources = objs.get(ref(o.dict, 'Resources') ?? -1)?.dict ?? o.dict;
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const names = new Map([...fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]));
    const content = objs.get(ref(o.dict, 'Contents') ?? -1)?.stream?.toString('latin1') ?? '';
    // The runs of one line (each its own text object, one per font, on its font's baseline) joined:
    // a text object starts a new line unless it stands to the right of the one before.
    const lines: { x: number; text: string }[] = [];
    let line = '';
    let x = 0;
    let font = new Map<number, string>();
    for (const m of content.matchAll(/[\d.-]+ [\d.-]+ [\d.-]+ [\d.-]+ ([\d.-]+) [\d.-]+ Tm|\/(\w+)\s+[\d.]+\s+Tf|(\[[^\]]*\])\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\bET\b/g)) {
      if (m[1]) x = Number(m[1]);
      else if (m[2]) font = fontMaps.get(names.get(m[2]) ?? -1) ?? new Map();
      else if (m[3] || m[4] !== undefined) {
        const hexes = m[3] ? [...m[3].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [m[4]!];
        for (const hex of hexes) for (let i = 0; i + 4 <= hex.length; i += 4) line += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\ufffd';
      } else {
        const last = lines.at(-1);
        if (last && x > last.x) {
          last.text += line;
          last.x = x;
        } else lines.push({ x, text: line });
        line = '';
      }
    }
    pages.push(lines.map((l) => l.text).join('\n'));
  }
  return { pages, embeddedFonts };
}

/**
 * The first page as a PNG under test-results/screenshots, to look at (pdftoppm
 * from poppler-utils; skipped when it is not installed). Returns the path.
 */
export function pdfPagePng(pdfPath: string, name: string): string | null {
  if (!existsSync('/usr/bin/pdftoppm')) return null;
  const dir = join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '110', '-singlefile', '-f', '1', '-l', '1', pdfPath, join(dir, name)]);
  return join(dir, `${name}.png`);
}
