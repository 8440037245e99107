import { InvalidArgumentError } from 'commander';
import { parseDuration } from './duration.js';

/**
 * Parsers for commander's argParser: a bad value fails while the command line
 * is read, so commander names the option and memctx exits 2 before doing anything.
 */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('Use a whole number of at least 1.');
  }
  return Number(value);
}

/** A TCP port to listen on; 0 lets the system pick a free one. */
export function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('Use a port number from 0 to 65535 (0: any free port).');
  return Number(value);
}

export function duration(value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new Error('Use a duration above zero, such as 30s or 15m.');
    return ms;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** One of `allowed`, in any letter case; returns the spelling of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!found) throw new InvalidArgumentError(`Allowed: ${allowed.join(', ')}.`);
    return found;
  };
}
