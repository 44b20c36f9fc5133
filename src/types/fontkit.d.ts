/** The little of fontkit (pdfkit's own font reader) that Sanbao uses: which glyphs a font file holds. */
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    readonly familyName: string;
    readonly numGlyphs: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export interface FontCollection {
    readonly type: 'TTC' | 'DFont';
    readonly fonts: Font[];
    getFont(postscriptName: string): Font | null;
  }
  export function openSync(path: string, postscriptName?: string): Font | FontCollection;
  export function create(data: Uint8Array, postscriptName?: string): Font | FontCollection;
}
