/**
 * The one place PDFs get their fonts: a configured font first, then the
 * machine's, then the npm packages; WOFF files unpacked to plain OpenType
 * (fontkit would inflate a table again for every glyph pdfkit reads).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { parseUnicodeRange, PdfFonts } from '../src/service/pdf-fonts.ts';
import { isWoff, woffToSfnt } from '../src/service/woff.ts';

const resolve = createRequire(import.meta.url).resolve;
const tibetanWoff = resolve('@fontsource/noto-serif-tibetan/files/noto-serif-tibetan-tibetan-400-normal.woff');
const chineseWoff = resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff');

describe('WOFF unpacked to OpenType', () => {
  it('keeps every glyph and the cmap of the font', () => {
    const woff = readFileSync(tibetanWoff);
    expect(isWoff(woff)).toBe(true);
    const sfnt = woffToSfnt(woff);
    expect(isWoff(sfnt)).toBe(false);
    const before = fontkit.create(woff) as fontkit.Font;
    const after = fontkit.create(sfnt) as fontkit.Font;
    expect(after.numGlyphs).toBe(before.numGlyphs);
    expect(after.postscriptName).toBe(before.postscriptName);
    for (const ch of 'ཀྲ་ཤིས་བདེ་ལེགས།') expect(after.hasGlyphForCodePoint(ch.codePointAt(0)!)).toBe(before.hasGlyphForCodePoint(ch.codePointAt(0)!));
  });

  it('refuses a file that is not WOFF', () => {
    expect(() => woffToSfnt(Buffer.from('OTTO and some bytes that are not a WOFF header at all, long enough'))).toThrow(/not a WOFF/);
  });
});

describe('which font writes which character', () => {
  it('prefers a configured font, and reads a fontsource unicode-range', () => {
    const configured = new PdfFonts({ chineseFont: chineseWoff, systemFonts: false });
    expect(configured.faceFor('中'.codePointAt(0)!)?.name).toBe('configured-zh');
    expect(configured.faceFor('ས'.codePointAt(0)!)?.name).toBe('npm-bo-tibetan');
    expect(parseUnicodeRange('U+4e00-4e0f,U+4e11')).toEqual([[0x4e00, 0x4e0f], [0x4e11, 0x4e11]]);
  });

  it('keeps a Tibetan stack in one run, and a space with the run before it', () => {
    const runs = new PdfFonts({ systemFonts: false }).runs('སྒྲོལ་མ། 卓玛');
    expect(runs.map((r) => r.text)).toEqual(['སྒྲོལ་མ། ', '卓玛']);
  });

  it('stops the start when a configured font file is missing', () => {
    expect(() => loadConfig({ SANBAO_PDF_FONT: '/nowhere/font.ttf' })).toThrow(ConfigError);
    expect(loadConfig({ SANBAO_PDF_TIBETAN_FONT: tibetanWoff }).pdfFonts).toMatchObject({ tibetanFont: tibetanWoff, systemFonts: true });
  });
});
