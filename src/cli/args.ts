/** Command-line arguments: the few helpers every command uses, so each parses the same way. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.ts';

/** Removes `name VALUE` from args and returns VALUE; a missing value is a usage error. */
export function takeOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

/** Removes a flag from args and tells whether it was there. */
export function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

/** Parses options strictly: an unknown or valueless option is a usage error (exit 2). */
export function options<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], spec: T, usage: string) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: ${usage})`);
  }
}

export function required(value: string | boolean | undefined, name: string, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required (usage: ${usage})`);
  return value;
}

export function yearOf(value: string | boolean | undefined, usage: string): number {
  const text = required(value, 'year', usage);
  if (!/^\d{4}$/.test(text)) throw new UsageError(`--year must be a year such as 2025, not "${text}"`);
  return Number(text);
}

export function divisionOf(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{6}(\d{3}(\d{3})?)?$/.test(value)) throw new UsageError(`--division must be a 6, 9 or 12-digit division code`);
  return value;
}

