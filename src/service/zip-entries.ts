/**
 * Reading a zip (an XLSX file) from outside without trusting it: the central
 * directory is read first and the sizes it declares are capped before a single
 * byte is inflated; each entry is then inflated with the size it declared as a
 * hard limit, so a directory that lies cannot make it grow further.
 */
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { invalid, tooLarge } from '../domain/errors.ts';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

export interface ZipLimits {
  /** The most all entries together may unpack to. */
  readonly maxBytes: number;
  readonly maxEntries: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

const bad = (why: string) => invalid('INVALID_XLSX', `not a readable XLSX file: ${why}`, 'file');
const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

function endOfDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= lowest; i--) {
    if (zip.readUInt32LE(i) === END_OF_DIRECTORY) return i;
  }
  throw bad('no zip directory (is it really an .xlsx file?)');
}

/** The entries the central directory lists, refused when they would unpack beyond the limits. */
export function zipDirectory(zip: Buffer, limits: ZipLimits): Map<string, ZipEntry> {
  if (zip.length < 22) throw bad('too short to be a zip');
  const end = endOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const start = zip.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw bad('zip64 archives are not accepted');
  if (count > limits.maxEntries) throw bad(`${count} entries (at most ${limits.maxEntries})`);
  if (start + size > end) throw bad('the zip directory points outside the file');
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let at = start;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw bad('a damaged zip directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      localHeaderOffset: zip.readUInt32LE(at + 42),
    };
    total += entry.uncompressedSize;
    entries.set(entry.name, entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  if (total > limits.maxBytes) {
    throw tooLarge('FILE_TOO_LARGE', `the file unpacks to ${megabytes(total)} MB; the limit is ${Math.floor(limits.maxBytes / 1_000_000)} MB (split it, or send it as CSV)`, 'file');
  }
  return entries;
}

function compressedData(zip: Buffer, entry: ZipEntry): Buffer {
  if (entry.flags & 1) throw bad(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw bad(`${entry.name} uses compression method ${entry.method}`);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) throw bad(`the header of ${entry.name} is damaged`);
  const dataStart = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw bad(`${entry.name} is cut short`);
  return data;
}

const beyondDeclared = (entry: ZipEntry) => bad(`${entry.name} unpacks to more than the ${entry.uncompressedSize} bytes it declares`);

/**
 * One entry's text, inflated a chunk at a time (UTF-8 decoded across chunk
 * boundaries): the reader keeps only what it has not parsed yet, and the
 * inflating stops at the first byte beyond the declared size, or when the
 * reader stops asking.
 */
export async function* zipEntryText(zip: Buffer, entry: ZipEntry): AsyncGenerator<string> {
  const data = compressedData(zip, entry);
  if (entry.method === 0) {
    if (data.length !== entry.uncompressedSize) throw bad(`${entry.name} is ${data.length} bytes, not the ${entry.uncompressedSize} it declares`);
    yield data.toString('utf8');
    return;
  }
  const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
  const decoder = new StringDecoder('utf8');
  let total = 0;
  inflater.end(data);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > entry.uncompressedSize) throw beyondDeclared(entry);
      yield decoder.write(chunk);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'DomainError') throw error;
    throw bad(`${entry.name} cannot be inflated (${(error as Error).message})`);
  } finally {
    inflater.destroy();
  }
  if (total !== entry.uncompressedSize) throw bad(`${entry.name} unpacks to ${total} bytes, not the ${entry.uncompressedSize} it declares`);
  const rest = decoder.end();
  if (rest) yield rest;
}

/** One entry's content, never more than the size the directory declared for it. */
export function zipEntryContent(zip: Buffer, entry: ZipEntry): Buffer {
  const data = compressedData(zip, entry);
  let content: Buffer;
  if (entry.method === 0) content = data;
  else if (entry.method === 8) {
    try {
      // maxOutputLength stops inflating at the declared size: a bomb cannot grow past what was checked.
      content = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw beyondDeclared(entry);
      throw bad(`${entry.name} cannot be inflated (${(error as Error).message})`);
    }
  } else throw bad(`${entry.name} uses compression method ${entry.method}`);
  if (content.length !== entry.uncompressedSize) throw bad(`${entry.name} unpacks to ${content.length} bytes, not the ${entry.uncompressedSize} it declares`);
  return content;
}
