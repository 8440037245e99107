import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { ItemError } from './item.js';
import { decodeUtf8 } from './text-check.js';

/** Files under `root/sub` (recursive, sorted, so every run sees the same order), as paths relative to `root`. */
export function listFiles(root: string, sub: string): string[] {
  const dir = join(root, sub);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(root, path).split(sep).join('/'))
    .sort();
}

/** A file's text; UNREADABLE or INVALID_UTF8 as an item error. */
export function readText(root: string, rel: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(root, rel));
  } catch (err) {
    throw new ItemError('UNREADABLE', `${rel} cannot be read: ${(err as Error).message}`);
  }
  return decodeUtf8(bytes, rel);
}

export function extension(rel: string): string {
  return extname(rel).toLowerCase();
}

/** The file name without folder and extension: the fallback title. */
export function baseTitle(rel: string): string {
  const name = rel.split('/').at(-1) ?? rel;
  return name.slice(0, name.length - extname(name).length);
}

/** The first markdown heading, if any. */
export function firstHeading(text: string): string | null {
  const match = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(text);
  return match?.[1]?.trim() || null;
}

/**
 * The ISO date-time a seed file name starts with or contains:
 * `2025-11-16T1523`, `2025-11-16T15-23-00Z`, `2025-11-16T15:23:00`, or a bare date (midnight UTC).
 */
export function stampOf(rel: string): string | null {
  const name = rel.split('/').at(-1) ?? rel;
  const m = /(\d{4})-(\d{2})-(\d{2})(?:[T_ ](\d{2})[:-]?(\d{2})(?:[:-]?(\d{2}))?(Z)?)?/.exec(name);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
