/**
 * The e-insurance QR code (web/src/qr.ts) against known vectors of the
 * standard — Reed–Solomon codewords of published examples, the format
 * information table — and read back by an independent reader written here:
 * function patterns, format bits, unmasking, zigzag order, de-interleaving.
 */
import { describe, expect, it } from 'vitest';
import { codewords, encodeQr, formatBits, qrSvgPath, reedSolomon } from '../web/src/qr.ts';

describe('known vectors', () => {
  it('computes the error-correction codewords of the standard’s examples', () => {
    // "01234567", numeric mode, version 1-M (ISO/IEC 18004 annex I).
    expect(reedSolomon([0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11], 10)).toEqual([
      0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55,
    ]);
    // "HELLO WORLD", alphanumeric mode, version 1-M.
    expect(reedSolomon([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17], 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('gives the format information of the standard’s table', () => {
    const m = ['101010000010010', '101000100100101', '101111001111100', '101101101001011', '100010111111001', '100000011001110', '100111110010111', '100101010100000'];
    m.forEach((bits, mask) => expect(formatBits(mask).toString(2).padStart(15, '0'), `M-${mask}`).toBe(bits));
    expect(formatBits(0, 0b01).toString(2).padStart(15, '0')).toBe('111011111000100');
  });

  it('encodes bytes in byte mode with the standard padding', () => {
    // "Hi": mode 0100, count 00000010, 'H' 01001000, 'i' 01101001, terminator 0000, then pad 0xEC 0x11 …
    expect(codewords([0x48, 0x69], 1).data).toEqual([0x40, 0x24, 0x86, 0x90, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]);
  });
});

/** An independent reader: which modules are function patterns, by the standard's layout. */
function functionModules(version: number): boolean[][] {
  const size = 17 + 4 * version;
  const f = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const box = (x0: number, y0: number, w: number) => {
    for (let y = y0; y < y0 + w; y++) for (let x = x0; x < x0 + w; x++) if (x >= 0 && y >= 0 && x < size && y < size) f[y]![x] = true;
  };
  box(0, 0, 9); // finder, separator and format area, top left
  box(size - 8, 0, 8);
  for (let x = size - 8; x < size; x++) f[8]![x] = true;
  box(0, size - 8, 8);
  for (let y = size - 8; y < size; y++) f[y]![8] = true;
  for (let i = 0; i < size; i++) f[6]![i] = f[i]![6] = true;
  const centres = version === 1 ? [] : [6, 10 + 4 * version];
  for (const cy of centres) for (const cx of centres) if (!f[cy]![cx]) box(cx - 2, cy - 2, 5);
  return f;
}

const MASK = [
  (y: number, x: number) => (y + x) % 2 === 0,
  (y: number) => y % 2 === 0,
  (_: number, x: number) => x % 3 === 0,
  (y: number, x: number) => (y + x) % 3 === 0,
  (y: number, x: number) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (y: number, x: number) => ((y * x) % 2) + ((y * x) % 3) === 0,
  (y: number, x: number) => (((y * x) % 2) + ((y * x) % 3)) % 2 === 0,
  (y: number, x: number) => (((y + x) % 2) + ((y * x) % 3)) % 2 === 0,
];
const BLOCKS: Record<number, [number, number, number]> = { 1: [16, 1, 10], 2: [28, 1, 16], 3: [44, 1, 26], 4: [32, 2, 18], 5: [43, 2, 24], 6: [27, 4, 16] };

function read(modules: boolean[][]): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  // Format bits, first copy: (8,0…5), (8,7), (8,8), (7,8), (5…0,8) — bit 14 first when read this way round.
  const spots: [number, number][] = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  const format = spots.reduce((acc, [x, y], i) => acc | ((modules[y]![x] ? 1 : 0) << i), 0);
  const mask = [0, 1, 2, 3, 4, 5, 6, 7].find((m) => formatBits(m) === format);
  if (mask === undefined) throw new Error(`format bits ${format.toString(2)} match no mask of level M`);
  const second: [number, number][] = [...[...Array(8).keys()].map((i): [number, number] => [size - 1 - i, 8]), ...[...Array(7).keys()].map((i): [number, number] => [8, size - 7 + i])];
  expect(second.reduce((acc, [x, y], i) => acc | ((modules[y]![x] ? 1 : 0) << i), 0)).toBe(format);
  expect(modules[size - 8]![8]).toBe(true); // the dark module
  const f = functionModules(version);
  const bits: number[] = [];
  // Zigzag: pairs of columns from the right, alternately upwards and downwards, skipping column 6.
  let upward = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col = 5;
    for (let i = 0; i < size; i++) {
      const y = upward ? size - 1 - i : i;
      for (const x of [col, col - 1]) if (!f[y]![x]) bits.push((modules[y]![x] ? 1 : 0) ^ (MASK[mask]!(y, x) ? 1 : 0));
    }
    upward = !upward;
  }
  const stream: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) stream.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  const [perBlock, blocks, ec] = BLOCKS[version]!;
  const data: number[][] = Array.from({ length: blocks }, () => []);
  for (let i = 0; i < perBlock * blocks; i++) data[i % blocks]!.push(stream[i]!);
  const ecs: number[][] = Array.from({ length: blocks }, () => []);
  for (let i = 0; i < ec * blocks; i++) ecs[i % blocks]!.push(stream[perBlock * blocks + i]!);
  data.forEach((block, b) => expect(reedSolomon(block, ec)).toEqual(ecs[b]));
  const all = data.flat();
  const bitAt = (i: number) => (all[i >> 3]! >> (7 - (i & 7))) & 1;
  const take = (from: number, n: number) => [...Array(n).keys()].reduce((a, i) => (a << 1) | bitAt(from + i), 0);
  expect(take(0, 4)).toBe(0b0100);
  const length = take(4, 8);
  return new TextDecoder().decode(new Uint8Array([...Array(length).keys()].map((i) => take(12 + 8 * i, 8))));
}

describe('read back', () => {
  it('holds the text, in finder patterns at three corners, for every mask and version', () => {
    const texts = ['qr_0123456789abcdef0123456789abcdef', 'Hi', '三保 e-insurance ཨ', 'x'.repeat(60), 'y'.repeat(84), 'z'.repeat(106)];
    for (const text of texts) {
      for (let mask = 0; mask < 8; mask++) {
        const code = encodeQr(text, mask);
        expect(read(code.modules), `${text.length} bytes, mask ${mask}`).toBe(text);
        for (const [x, y] of [[0, 0], [code.size - 7, 0], [0, code.size - 7]]) {
          expect(code.modules[y! + 3]![x! + 3]).toBe(true);
          expect(code.modules[y!]![x! + 6]).toBe(true);
          expect(code.modules[y! + 1]![x! + 1]).toBe(false);
        }
      }
    }
    expect(encodeQr('qr_0123456789abcdef0123456789abcdef').version).toBe(3);
    expect(encodeQr('z'.repeat(106)).version).toBe(6);
  });

  it('chooses a mask by the penalty rules and draws one SVG path', () => {
    const code = encodeQr('qr_0123456789abcdef0123456789abcdef');
    expect(read(code.modules)).toBe('qr_0123456789abcdef0123456789abcdef');
    const path = qrSvgPath(code);
    const dark = code.modules.flat().filter(Boolean).length;
    expect(path.match(/M/g)!.length).toBe(dark);
    expect(() => encodeQr('w'.repeat(107))).toThrow(/too long/);
  });
});
