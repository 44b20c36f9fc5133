/**
 * A small QR code encoder (ISO/IEC 18004) for the resident's e-insurance code:
 * byte mode, error correction level M, versions 1–6 (up to 106 bytes), the
 * mask with the lowest penalty. No dependency; the page draws the matrix as
 * one SVG path. Coordinates are matrix[y][x], y down, x right.
 */

/** Per version (index 1–6), level M: data codewords per block, blocks, EC codewords per block. */
const BLOCKS_M: readonly (readonly [data: number, blocks: number, ec: number])[] = [
  [0, 0, 0],
  [16, 1, 10],
  [28, 1, 16],
  [44, 1, 26],
  [32, 2, 18],
  [43, 2, 24],
  [27, 4, 16],
];
/** Alignment pattern centres per version (version 1 has none). */
const ALIGNMENT: readonly (readonly number[])[] = [[], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34]];
export const MAX_VERSION = 6;
/** Level M's two format bits. */
const LEVEL_M = 0b00;

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** The Reed–Solomon error-correction codewords of one block. */
export function reedSolomon(data: readonly number[], ecCount: number): number[] {
  // Generator polynomial ∏ (x − α^i), i < ecCount, highest coefficient first (the leading 1 dropped).
  let gen = [1];
  for (let i = 0; i < ecCount; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    for (let j = 0; j < gen.length; j++) {
      next[j] = next[j]! ^ gen[j]!;
      next[j + 1] = next[j + 1]! ^ mul(gen[j]!, EXP[i]!);
    }
    gen = next;
  }
  const rem = new Array<number>(ecCount).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift()!;
    rem.push(0);
    for (let j = 0; j < ecCount; j++) rem[j] = rem[j]! ^ mul(gen[j + 1]!, factor);
  }
  return rem;
}

/** The 15 format bits for level M and a mask: BCH(15,5), then XOR 0x5412. */
export function formatBits(mask: number, level = LEVEL_M): number {
  const data = (level << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

/** The data codewords (with padding) for the bytes in byte mode, then the interleaved final sequence. */
export function codewords(bytes: readonly number[], version: number): { data: number[]; all: number[] } {
  const [perBlock, blocks, ec] = BLOCKS_M[version]!;
  const capacity = perBlock * blocks;
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, 8);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length));
  while (bits.length % 8) bits.push(0);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);
  const dataBlocks = Array.from({ length: blocks }, (_, b) => data.slice(b * perBlock, (b + 1) * perBlock));
  const ecBlocks = dataBlocks.map((block) => reedSolomon(block, ec));
  const all: number[] = [];
  for (let i = 0; i < perBlock; i++) for (const block of dataBlocks) all.push(block[i]!);
  for (let i = 0; i < ec; i++) for (const block of ecBlocks) all.push(block[i]!);
  return { data, all };
}

const MASKS: readonly ((y: number, x: number) => boolean)[] = [
  (y, x) => (y + x) % 2 === 0,
  (y) => y % 2 === 0,
  (_, x) => x % 3 === 0,
  (y, x) => (y + x) % 3 === 0,
  (y, x) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (y, x) => ((y * x) % 2) + ((y * x) % 3) === 0,
  (y, x) => (((y * x) % 2) + ((y * x) % 3)) % 2 === 0,
  (y, x) => (((y + x) % 2) + ((y * x) % 3)) % 2 === 0,
];

export interface QrCode {
  version: number;
  mask: number;
  size: number;
  /** true = dark. */
  modules: boolean[][];
}

/** Encodes text (UTF-8) as a QR code of the smallest version that holds it. */
export function encodeQr(text: string, forceMask?: number): QrCode {
  const bytes = [...new TextEncoder().encode(text)];
  let version = 1;
  while (version <= MAX_VERSION && BLOCKS_M[version]![0] * BLOCKS_M[version]![1] < bytes.length + 2) version++;
  if (version > MAX_VERSION) throw new Error(`too long for a version ${MAX_VERSION} QR code: ${bytes.length} bytes`);
  const size = 17 + 4 * version;
  const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const fixed = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const set = (x: number, y: number, dark: boolean) => {
    modules[y]![x] = dark;
    fixed[y]![x] = true;
  };
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  const centres = ALIGNMENT[version]!;
  for (const cy of centres) {
    for (const cx of centres) {
      if ((cx === 6 && cy === 6) || (cx === 6 && cy === size - 7) || (cx === size - 7 && cy === 6)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  drawFormat(set, size, 0); // reserve the format areas (and the dark module) before the data
  const { all } = codewords(bytes, version);
  let bit = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const y = upward ? size - 1 - v : v;
      for (const x of [right, right - 1]) {
        if (fixed[y]![x]) continue;
        modules[y]![x] = bit < all.length * 8 ? ((all[bit >>> 3]! >>> (7 - (bit & 7))) & 1) === 1 : false;
        bit++;
      }
    }
  }
  const apply = (mask: number) => {
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!fixed[y]![x] && MASKS[mask]!(y, x)) modules[y]![x] = !modules[y]![x];
    drawFormat(set, size, mask);
  };
  let best = forceMask ?? 0;
  if (forceMask === undefined) {
    let lowest = Infinity;
    for (let mask = 0; mask < 8; mask++) {
      apply(mask);
      const score = penalty(modules);
      if (score < lowest) [lowest, best] = [score, mask];
      apply(mask); // XOR again: undone
    }
  }
  apply(best);
  return { version, mask: best, size, modules };
}

function drawFormat(set: (x: number, y: number, dark: boolean) => void, size: number, mask: number): void {
  const bits = formatBits(mask);
  const bitAt = (i: number) => ((bits >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++) set(8, i, bitAt(i));
  set(8, 7, bitAt(6));
  set(8, 8, bitAt(7));
  set(7, 8, bitAt(8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bitAt(i));
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bitAt(i));
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bitAt(i));
  set(8, size - 8, true);
}

/** The standard's four penalty rules: runs, 2×2 blocks, finder-like patterns, dark/light balance. */
export function penalty(m: boolean[][]): number {
  const size = m.length;
  let score = 0;
  const lines = (transpose: boolean) => Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (transpose ? m[j]![i]! : m[i]![j]!)));
  for (const line of [...lines(false), ...lines(true)]) {
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++;
      else {
        if (run >= 5) score += run - 2;
        run = 1;
      }
    }
    const text = line.map((d) => (d ? '1' : '0')).join('');
    for (const pattern of ['10111010000', '00001011101']) for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) score += 40;
  }
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (m[y]![x]) dark++;
      if (y + 1 < size && x + 1 < size && m[y]![x] === m[y]![x + 1] && m[y]![x] === m[y + 1]![x] && m[y]![x] === m[y + 1]![x + 1]) score += 3;
    }
  }
  score += Math.floor(Math.abs(dark * 20 - size * size * 10) / (size * size)) * 10;
  return score;
}

/** The dark modules as one SVG path, with a quiet zone of `margin` modules. */
export function qrSvgPath(code: QrCode, margin = 4): string {
  const parts: string[] = [];
  code.modules.forEach((row, y) => row.forEach((dark, x) => dark && parts.push(`M${x + margin} ${y + margin}h1v1h-1z`)));
  return parts.join('');
}
