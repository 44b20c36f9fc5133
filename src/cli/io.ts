/** The CLI's edges: reading standard input, printing, and the exit-code convention. */
import { DomainError } from '../domain/errors.ts';
import { MoneyError } from '../domain/money.ts';
import { PolicyError } from '../domain/policy/compile.ts';
import { DatabaseConnectionError } from '../store/connection-error.ts';
import { EmbeddedDatabaseError } from '../store/embedded/binaries.ts';

export const EXIT_OK = 0;
/** Bad input: one line on stderr, nothing changed. */
export const EXIT_BAD_INPUT = 2;
export const EXIT_FAILURE = 1;

export interface Io {
  stdin: () => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
}

// `sanbao report … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

export const processIo: Io = {
  stdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A usage or input error the CLI reports on one line with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Maps any error to its exit code and one line for stderr. */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof UsageError || error instanceof MoneyError) {
    io.err(`sanbao: ${error.message}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof DomainError) {
    io.err(`sanbao: ${error.code}: ${error.message}`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof PolicyError) {
    // One line per problem: the file and field are in each.
    io.err(error.message);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof EmbeddedDatabaseError || error instanceof DatabaseConnectionError) {
    io.err(`sanbao: ${error.message}`);
    return EXIT_FAILURE;
  }
  io.err(`sanbao: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  return EXIT_FAILURE;
}

export function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') throw new UsageError(`${what}: no input (pipe a JSON document to standard input)`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what}: not valid JSON: ${(error as Error).message}`);
  }
}
