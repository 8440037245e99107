import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { SdkError } from './errors.js';

/**
 * The seed's `cache.config.json` (seed §5.2.3): where it is looked for, and
 * how its keys are read. Which key sets which client option is declared in
 * the option table (config.ts, `file`).
 */

/**
 * Looked for under the working directory, in the seed's shared framework
 * folder (each submodule's `.coditect` may be a symlink to it): beside the
 * cache, as §5.2.3 names it, or in the `config/` folder of Appendix C.
 */
export const CACHE_CONFIG_LOCATIONS = [join('.coditect', 'MEMORY-CONTEXT', 'cache.config.json'), join('.coditect', 'MEMORY-CONTEXT', 'config', 'cache.config.json')] as const;

/** The `version`s this SDK reads (the seed writes "1.0"). */
const VERSION = /^1(\.\d+)*$/;

export interface FileKeySpec {
  /** Dotted key, such as `cache_policy.max_sessions`. */
  key: string;
  /** The JSON value as written in the file (no strings for numbers), mapped to the option's value. */
  schema: z.ZodType<unknown>;
  /** What a valid value looks like, for the error message. */
  expected: string;
}

export interface CacheConfigFile {
  path: string;
  /** Option name → value, for the keys the file sets. */
  values: Record<string, unknown>;
}

/**
 * The file to read: `explicit` (cacheConfigPath / MEMCTX_CACHE_CONFIG) must
 * exist; otherwise the first of CACHE_CONFIG_LOCATIONS under `cwd`, none
 * being fine. Two default locations both present is ambiguous: INVALID_OPTIONS.
 */
export function findCacheConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new SdkError('INVALID_OPTIONS', `cacheConfigPath: ${path} does not exist. Create it, or unset cacheConfigPath / MEMCTX_CACHE_CONFIG.`, { path });
    return path;
  }
  const found = CACHE_CONFIG_LOCATIONS.map((l) => resolve(cwd, l)).filter((p) => existsSync(p));
  if (found.length > 1) {
    throw new SdkError('INVALID_OPTIONS', `Two cache.config.json files: ${found.join(' and ')}. Keep one of them (or choose with MEMCTX_CACHE_CONFIG).`, { paths: found });
  }
  return found[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and checks the file against the option table's keys (`keys`: option
 * name → its key in the file). Every unknown key, wrong type or bad version
 * is reported at once, each with its key and the fix.
 */
export function readCacheConfigFile(path: string, keys: Record<string, FileKeySpec>): CacheConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SdkError('INVALID_OPTIONS', `${path} is not valid JSON (${(err as Error).message}). Fix the file, or point MEMCTX_CACHE_CONFIG elsewhere.`, { path }, { cause: err });
  }
  const byKey = new Map(Object.entries(keys).map(([option, spec]) => [spec.key, { option, spec }]));
  const sections = new Set([...byKey.keys()].map((k) => k.split('.')[0]!));
  const known = ['version', ...byKey.keys()].join(', ');
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  if (!isObject(json)) {
    throw new SdkError('INVALID_OPTIONS', `${path} must hold a JSON object with the keys ${known}.`, { path });
  }
  for (const [name, value] of Object.entries(json)) {
    if (name === 'version') {
      if (typeof value !== 'string' || !VERSION.test(value)) problems.push(`version: this SDK reads version "1.x" (the seed's "1.0"), got ${JSON.stringify(value)}`);
      continue;
    }
    if (!sections.has(name)) {
      problems.push(`${name}: unknown key; remove it (known keys: ${known})`);
      continue;
    }
    if (!isObject(value)) {
      problems.push(`${name}: expected an object of settings, got ${JSON.stringify(value)}`);
      continue;
    }
    for (const [inner, raw] of Object.entries(value)) {
      const key = `${name}.${inner}`;
      const entry = byKey.get(key);
      if (!entry) {
        problems.push(`${key}: unknown key; remove it (known keys: ${known})`);
        continue;
      }
      const parsed = entry.spec.schema.safeParse(raw);
      if (parsed.success) values[entry.option] = parsed.data;
      else problems.push(`${key}: expected ${entry.spec.expected}, got ${JSON.stringify(raw)}`);
    }
  }
  if (problems.length > 0) {
    throw new SdkError('INVALID_OPTIONS', `Invalid cache.config.json ${path}:\n  ${problems.join('\n  ')}`, { path, problems });
  }
  return { path, values };
}
