/** Reading a file named on the command line: one line naming the file and the reason when it cannot be read (exit 2). */
import { readFileSync } from 'node:fs';
import { UsageError } from './io.ts';

export function readInputFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
