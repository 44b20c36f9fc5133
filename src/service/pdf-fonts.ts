/**
 * The fonts every PDF Sanbao prints uses (receipts, clearing statements): one
 * place that finds them and writes mixed Chinese, Tibetan and Latin text.
 *
 * A full font on the machine is preferred because it holds every character:
 * SANBAO_PDF_FONT (Chinese) and SANBAO_PDF_TIBETAN_FONT when set, then
 * Debian's Noto Sans CJK and Noto Serif Tibetan. Without them the npm
 * packages the project depends on still give a Chinese and a Tibetan PDF on
 * a fresh machine: @fontsource/noto-sans-sc (its simplified-Chinese file,
 * then the unicode-range subset file that holds a rarer character) and
 * @fontsource/noto-serif-tibetan. Text is cut into runs, each written with
 * the first font whose cmap has its characters; pdfkit embeds the subset of
 * each font a document used, and fontkit shapes the Tibetan stacks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import { isWoff, woffToSfnt } from './woff.ts';

/** One font file (or one face of a collection) a document writes with. */
export interface PdfFace {
  /** The name the face is registered under in a document. */
  readonly name: string;
  /** The font file's bytes (a WOFF already unpacked to sfnt), read once per process. */
  readonly data: Buffer;
  /** The face's PostScript name inside a collection (.ttc). */
  readonly family?: string;
  readonly has: (codePoint: number) => boolean;
}

/** Where a character's glyph is found: one face, or a family split into subset files. */
type FontSource = (codePoint: number) => PdfFace | null;

export interface PdfFontSettings {
  /** A full Chinese font file (SANBAO_PDF_FONT): .ttf, .otf or .ttc. */
  readonly chineseFont?: string | undefined;
  /** A full Tibetan font file (SANBAO_PDF_TIBETAN_FONT). */
  readonly tibetanFont?: string | undefined;
  /** Look for Debian's Noto fonts (true unless a test asks for the npm fonts alone). */
  readonly systemFonts?: boolean;
}

const DEBIAN_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const DEBIAN_CJK_FACE = 'NotoSansCJKsc-Regular';
const DEBIAN_TIBETAN = '/usr/share/fonts/truetype/noto/NotoSerifTibetan-Regular.ttf';

// Opened fonts are kept for the life of the process: reading a CJK font's cmap takes a while.
const opened = new Map<string, PdfFace | null>();
function openFace(name: string, path: string, family?: string): PdfFace | null {
  const key = `${path}#${family ?? ''}`;
  if (opened.has(key)) return opened.get(key)!;
  let face: PdfFace | null = null;
  if (existsSync(path)) {
    try {
      const raw = readFileSync(path);
      const data = isWoff(raw) ? woffToSfnt(raw) : raw;
      const file = fontkit.create(data);
      const font = 'fonts' in file ? (family ? file.getFont(family) : file.fonts[0]) : file;
      if (font) {
        const inCollection = 'fonts' in file ? (family ?? font.postscriptName) : undefined;
        face = { name, data, ...(inCollection ? { family: inCollection } : {}), has: (cp) => font.hasGlyphForCodePoint(cp) };
      }
    } catch {
      face = null; // not a font fontkit reads: as if absent
    }
  }
  opened.set(key, face);
  return face;
}
const single = (face: PdfFace | null): FontSource[] => (face ? [(cp) => (face.has(cp) ? face : null)] : []);

const requireFrom = createRequire(import.meta.url);
function packageDir(name: string): string | null {
  try {
    return dirname(requireFrom.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/** A fontsource unicode-range list ("U+4e00-4e0f,U+4e11") as [from, to] pairs. */
export function parseUnicodeRange(list: string): [number, number][] {
  return list.split(',').map((part) => {
    const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from, 16), parseInt(to ?? from, 16)];
  });
}

/**
 * The npm Noto Sans SC: its simplified-Chinese file (about 8,000 characters)
 * first; a character it lacks comes from the numbered subset whose
 * unicode-range holds it, opened only when a text needs it.
 */
function npmChinese(): FontSource[] {
  const dir = packageDir('@fontsource/noto-sans-sc');
  if (!dir) return [];
  const file = (subset: string) => join(dir, 'files', `noto-sans-sc-${subset}-400-normal.woff`);
  const sources = single(openFace('npm-sc', file('chinese-simplified')));
  let table: Record<string, string>;
  try {
    table = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  } catch {
    return sources;
  }
  const subsets = Object.entries(table).map(([key, list]) => ({ subset: key.replace(/^\[|\]$/g, ''), ranges: parseUnicodeRange(list) }));
  sources.push((cp) => {
    const hit = subsets.find((s) => s.ranges.some(([from, to]) => cp >= from && cp <= to));
    const face = hit ? openFace(`npm-sc-${hit.subset}`, file(hit.subset)) : null;
    return face?.has(cp) ? face : null;
  });
  return sources;
}

function npmTibetan(): FontSource[] {
  const dir = packageDir('@fontsource/noto-serif-tibetan');
  if (!dir) return [];
  return ['tibetan', 'latin'].flatMap((subset) => single(openFace(`npm-bo-${subset}`, join(dir, 'files', `noto-serif-tibetan-${subset}-400-normal.woff`))));
}

/** The fonts for a document, each script's best first: configured, then the system's, then npm's. */
export class PdfFonts {
  private readonly chinese: FontSource[];
  private readonly tibetan: FontSource[];

  constructor(settings: PdfFontSettings) {
    const system = settings.systemFonts !== false;
    this.chinese = [
      ...single(settings.chineseFont ? openFace('configured-zh', settings.chineseFont) : null),
      ...(system ? single(openFace('debian-cjk', DEBIAN_CJK, DEBIAN_CJK_FACE)) : []),
      ...npmChinese(),
    ];
    this.tibetan = [
      ...single(settings.tibetanFont ? openFace('configured-bo', settings.tibetanFont) : null),
      ...(system ? single(openFace('debian-bo', DEBIAN_TIBETAN)) : []),
      ...npmTibetan(),
    ];
  }

  /** Whether any Chinese or Tibetan font was found (without one a PDF falls back to Latin text). */
  get any(): boolean {
    return this.chinese.length + this.tibetan.length > 0;
  }

  /**
   * The face that holds a character, or null when none does: Tibetan from a
   * Tibetan font, everything else (Latin and digits too, so a line keeps one
   * look) from the Chinese one first.
   */
  faceFor(codePoint: number): PdfFace | null {
    const tibetan = codePoint >= 0x0f00 && codePoint <= 0x0fff;
    for (const source of tibetan ? [...this.tibetan, ...this.chinese] : [...this.chinese, ...this.tibetan]) {
      const face = source(codePoint);
      if (face) return face;
    }
    return null;
  }

  /**
   * The text cut into runs of one face each. A combining mark (a Tibetan
   * subjoined letter or vowel sign), a joiner, a space or a character no
   * face holds stays in the run before it, so a stack is shaped whole.
   */
  runs(text: string): { face: PdfFace | null; text: string }[] {
    const out: { face: PdfFace | null; text: string }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const last = out.at(-1);
      const sticky = /[\p{M}\u200c\u200d\s]/u.test(ch);
      if (last && (sticky || last.face?.has(cp))) {
        last.text += ch;
        continue;
      }
      const face = this.faceFor(cp);
      if (last && (face === null || face.name === last.face?.name)) last.text += ch;
      else out.push({ face, text: ch });
    }
    return out;
  }
}

const registered = new WeakMap<PDFKit.PDFDocument, Set<string>>();

/**
 * Writes a text of any mix of scripts at (x, y) — or where the document
 * stands — each run in its face, as one paragraph: wrapping and alignment
 * span the runs (pdfkit's continued text).
 */
export function writeText(doc: PDFKit.PDFDocument, fonts: PdfFonts, text: string, at: { x?: number; y?: number } = {}, options: PDFKit.Mixins.TextOptions = {}): void {
  const names = registered.get(doc) ?? new Set<string>();
  registered.set(doc, names);
  const runs = fonts.runs(text);
  if (runs.length === 0) runs.push({ face: null, text: '' });
  const use = (face: PdfFace | null) => {
    if (face && !names.has(face.name)) {
      if (face.family) doc.registerFont(face.name, face.data, face.family);
      else doc.registerFont(face.name, face.data);
      names.add(face.name);
    }
    doc.font(face ? face.name : 'Helvetica');
  };
  // pdfkit centres (or right-aligns) each font's fragment of a continued line on its own: a line of
  // several fonts is measured here and written left-aligned from where it must start.
  let place = { ...at };
  let opts = options;
  if (runs.length > 1 && (options.align === 'center' || options.align === 'right') && at.x !== undefined && options.width) {
    const width = runs.reduce((sum, run) => (use(run.face), sum + doc.widthOfString(run.text)), 0);
    if (width <= options.width) {
      const shift = options.align === 'center' ? (options.width - width) / 2 : options.width - width;
      place = { x: at.x + shift, ...(at.y !== undefined ? { y: at.y } : {}) };
      opts = { ...options, align: 'left', width: options.width - shift };
    }
  }
  runs.forEach((run, i) => {
    use(run.face);
    const more = i < runs.length - 1 ? { continued: true } : { continued: opts.continued ?? false };
    if (i === 0 && place.x !== undefined) doc.text(run.text, place.x, place.y, { ...opts, ...more });
    else if (i === 0) doc.text(run.text, { ...opts, ...more });
    else doc.text(run.text, more);
  });
}
