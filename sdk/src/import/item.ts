import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { NewCheckpoint, NewPattern, NewSession } from '../entities.js';
import type { PrivacyLevel } from '../generated/graphql.js';

export type ImportKind = 'session' | 'pattern' | 'checkpoint';
export const IMPORT_KINDS: readonly ImportKind[] = ['session', 'pattern', 'checkpoint'];

/** Why an item (or a whole source) was not imported: a stable code and a sentence. */
export type FailureCode =
  | 'UNREADABLE'
  | 'INVALID_UTF8'
  | 'INVALID_TEXT'
  | 'BAD_JSON'
  | 'BAD_TIMESTAMP'
  | 'UNKNOWN_PRIVACY_LEVEL'
  | 'UNKNOWN_PATTERN_KIND'
  | 'DUPLICATE_ID'
  | 'TOO_LARGE'
  | 'BAD_INPUT'
  | 'EPHEMERAL_NOT_PERSISTED'
  | 'NOT_A_DATABASE'
  | 'NOT_MEMORY_CONTEXT'
  | 'WRITE_FAILED'
  | 'REJECTED';

export interface ImportFailure {
  /** `source` when a whole file or database could not be read. */
  kind: ImportKind | 'source';
  /** Where it came from: a path relative to the folder, with `#table/id` for database rows. */
  source: string;
  code: FailureCode;
  reason: string;
}

interface ItemBase {
  /** Names the item across runs: the seed's id when it has one, else its path. Duplicates are refused. */
  sourceKey: string;
  source: string;
}
export type ImportItem =
  | (ItemBase & { kind: 'session'; input: Omit<NewSession, 'id'> })
  | (ItemBase & { kind: 'pattern'; input: Omit<NewPattern, 'id'> })
  | (ItemBase & { kind: 'checkpoint'; input: Omit<NewCheckpoint, 'id'> });

/** What a reader yields per item: the item to write, or why it cannot be. */
export type ReadOutcome = { item: ImportItem } | { failure: ImportFailure };

/** A table or file the importer does not bring in, and why (reported, never silently dropped). */
export interface NotImported {
  source: string;
  count: number;
  reason: string;
}

export interface SourceRead {
  outcomes: ReadOutcome[];
  notImported: NotImported[];
}

export class ItemError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

export function failure(kind: ImportFailure['kind'], source: string, err: unknown): { failure: ImportFailure } {
  if (err instanceof ItemError) return { failure: { kind, source, code: err.code, reason: err.message } };
  return { failure: { kind, source, code: 'BAD_INPUT', reason: err instanceof Error ? err.message : String(err) } };
}

// Fixed namespace for imported ids: the same item gets the same UUID on every run and machine.
const IMPORT_NAMESPACE = '5b0c7a3e-6f0d-4c1e-9a57-3c2f1d9e8b40';

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** UUIDv5 over sha256(submodule, kind, source key, content): a rerun derives the same id and finds it present. */
export function itemId(submoduleId: string, item: ImportItem): string {
  return uuidv5(`${submoduleId}\n${item.kind}\n${item.sourceKey}\n${contentHash(item.input)}`, IMPORT_NAMESPACE);
}

const LEVELS: readonly PrivacyLevel[] = ['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'];

/** The seed's privacy level (any case), the default when absent, an error when unknown. */
export function privacyLevel(value: unknown, fallback: PrivacyLevel): PrivacyLevel {
  if (value === null || value === undefined || value === '') return fallback;
  const upper = String(value).trim().toUpperCase();
  if ((LEVELS as readonly string[]).includes(upper)) return upper as PrivacyLevel;
  throw new ItemError('UNKNOWN_PRIVACY_LEVEL', `Unknown privacy level "${String(value)}"; expected one of ${LEVELS.join(', ')}.`);
}

/**
 * An ISO or SQLite datetime ("2025-11-16 15:23:00", taken as UTC), or an
 * epoch in seconds/milliseconds, as ISO 8601. Null when absent.
 */
export function timestamp(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  let date: Date;
  if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
  else {
    const text = String(value).trim();
    const sqlite = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
    date = new Date(sqlite);
  }
  if (Number.isNaN(date.getTime())) throw new ItemError('BAD_TIMESTAMP', `"${String(value)}" is not a date and time.`);
  return date.toISOString();
}
