import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivacyLevel } from '../generated/graphql.js';
import { readCheckpointFiles } from './checkpoint-files.js';
import { splitConversation } from './conversation.js';
import { readExports } from './exports.js';
import { failure, ItemError, itemId, type ImportFailure, type ImportItem, type NotImported, type ReadOutcome } from './item.js';
import { readSessionFiles } from './session-files.js';
import { readSeedDatabase } from './sqlite-reader.js';
import { checkText } from './text-check.js';

export interface PlannedItem {
  id: string;
  item: ImportItem;
}

export interface ImportPlan {
  items: PlannedItem[];
  failures: ImportFailure[];
  notImported: NotImported[];
}

export interface PlanOptions {
  submoduleId: string;
  privacy: PrivacyLevel;
  /** The server's content limit (MEMCTX_MAX_CONTENT_BYTES, default 5 MiB). */
  maxContentBytes: number;
}

/** The database files of a folder: the seed's `memory-context.db` (other *.db files are not seed databases). */
export const SEED_DATABASE = 'memory-context.db';

// The server's field limits (services/*/src/*-input.ts), checked here so an item fails whole before anything is written.
const MAX_TITLE = 500;
const MAX_PATTERN_NAME = 300;
const MAX_DESCRIPTION = 10_000;
const MAX_SUMMARY = 20_000;
const MAX_TAG = 64;
const MAX_TAGS = 50;
// Room for redaction masks, which may be longer than what they replace.
const SPLIT_MARGIN = 0.9;

function checkLimits(item: ImportItem): void {
  const [label, title, max] = item.kind === 'pattern' ? ['name', item.input.name, MAX_PATTERN_NAME] : ['title', item.input.title ?? '', MAX_TITLE];
  if (title.length > max) throw new ItemError('TOO_LARGE', `the ${label} is ${title.length} characters; the limit is ${max}.`);
  const description = item.kind === 'checkpoint' ? null : item.input.description;
  if ((description?.length ?? 0) > MAX_DESCRIPTION) throw new ItemError('TOO_LARGE', `the description is over ${MAX_DESCRIPTION} characters.`);
  if (item.kind === 'checkpoint' && (item.input.summary?.length ?? 0) > MAX_SUMMARY) throw new ItemError('TOO_LARGE', `the summary is over ${MAX_SUMMARY} characters.`);
  const tags = item.kind === 'checkpoint' ? [] : (item.input.tags ?? []);
  if (tags.length > MAX_TAGS || tags.some((t) => t.trim().length === 0 || t.length > MAX_TAG)) throw new ItemError('BAD_INPUT', `tags must be at most ${MAX_TAGS}, each 1–${MAX_TAG} characters.`);
  if (item.input.privacyLevel === 'EPHEMERAL') throw new ItemError('EPHEMERAL_NOT_PERSISTED', 'EPHEMERAL items are never stored centrally, so there is nothing to import.');
}

/** A session too large for the server becomes numbered parts ("title (part 2 of 3)"); every character is kept. */
function sized(item: ImportItem, maxContentBytes: number): ImportItem[] {
  if (item.kind === 'checkpoint') {
    const bytes = Buffer.byteLength(item.input.content ?? '', 'utf8');
    if (bytes > maxContentBytes * SPLIT_MARGIN) throw new ItemError('TOO_LARGE', `the document is ${bytes} bytes; checkpoints are immutable and are not split, and the server takes ${maxContentBytes}.`);
    return [item];
  }
  if (item.kind !== 'session') return [item];
  const parts = splitConversation(item.input.content ?? [], Math.floor(maxContentBytes * SPLIT_MARGIN));
  if (parts.length === 1) return [item];
  return parts.map((content, i) => ({
    ...item,
    sourceKey: `${item.sourceKey}#part-${i + 1}`,
    input: { ...item.input, title: `${item.input.title.slice(0, MAX_TITLE - 24)} (part ${i + 1} of ${parts.length})`, content },
  }));
}

/**
 * Reads every source of a MEMORY-CONTEXT folder into the items to write, each
 * with its derived id, and the failures. An item whose source key was seen
 * before fails as DUPLICATE_ID (the first one wins; the order is fixed).
 */
export function planImport(dir: string, options: PlanOptions): ImportPlan {
  const reads = [
    ...(existsSync(join(dir, SEED_DATABASE)) ? [readSeedDatabase(join(dir, SEED_DATABASE), SEED_DATABASE, options.privacy)] : []),
    readSessionFiles(dir, options.privacy),
    readExports(dir, options.privacy),
    readCheckpointFiles(dir, options.privacy),
  ];
  const plan: ImportPlan = { items: [], failures: [], notImported: reads.flatMap((r) => r.notImported) };
  const seen = new Map<string, string>();
  const outcomes: ReadOutcome[] = reads.flatMap((r) => r.outcomes);
  for (const outcome of outcomes) {
    if ('failure' in outcome) {
      plan.failures.push(outcome.failure);
      continue;
    }
    const { item } = outcome;
    try {
      checkText(item.input, item.source);
      checkLimits(item);
      const key = `${item.kind}:${item.sourceKey}`;
      const first = seen.get(key);
      if (first !== undefined) throw new ItemError('DUPLICATE_ID', `${item.sourceKey.replace(/^\w+:/, '')} is already taken by ${first}; this copy is left out.`);
      seen.set(key, item.source);
      for (const part of sized(item, options.maxContentBytes)) plan.items.push({ id: itemId(options.submoduleId, part), item: part });
    } catch (err) {
      plan.failures.push(failure(item.kind, item.source, err).failure);
    }
  }
  return plan;
}
