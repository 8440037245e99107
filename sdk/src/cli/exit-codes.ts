import { CommanderError } from 'commander';
import { isSdkError } from '../errors.js';

/** memctx's exit statuses. Scripts rely on them: never renumber, only add. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unavailable: 3,
  cacheUnusable: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the operation failed: the gateway refused it (NOT_FOUND, FORBIDDEN, CONFLICT, …),
     or cache rebuild could not recover every queued write
  2  usage error: a bad command, option or input file, or bad settings (INVALID_OPTIONS,
     such as an unknown key in cache.config.json); nothing was changed
  3  the gateway could not be reached, is busy (RATE_LIMITED) or is not configured (writes stay queued)
  4  the cache file cannot be used (CACHE_CORRUPT, CACHE_FOREIGN, CACHE_TOO_NEW, CACHE_UNUSABLE)`;

const USAGE_CODES = new Set(['BAD_USER_INPUT', 'INVALID_OPTIONS']);
const UNAVAILABLE_CODES = new Set(['NETWORK_ERROR', 'NOT_CONFIGURED', 'NOT_CACHED', 'RATE_LIMITED']);
const CACHE_CODES = new Set(['CACHE_CORRUPT', 'CACHE_FOREIGN', 'CACHE_TOO_NEW', 'CACHE_UNUSABLE']);

/** The exit status for an error a command ended with. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (!isSdkError(error)) return EXIT.failed;
  if (USAGE_CODES.has(error.code)) return EXIT.usage;
  if (UNAVAILABLE_CODES.has(error.code)) return EXIT.unavailable;
  if (CACHE_CODES.has(error.code)) return EXIT.cacheUnusable;
  return EXIT.failed;
}
