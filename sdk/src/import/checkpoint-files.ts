import type { PrivacyLevel } from '../generated/graphql.js';
import { baseTitle, extension, firstHeading, listFiles, readText, stampOf } from './folder-files.js';
import { failure, ItemError, type ReadOutcome, type SourceRead } from './item.js';

/**
 * `checkpoints/`: ISO-datetime-stamped markdown documents, each an immutable
 * checkpoint taken at its stamp, with the document as content. A name without
 * a stamp fails (BAD_TIMESTAMP): the import never invents when a checkpoint was taken.
 */
export function readCheckpointFiles(root: string, fallback: PrivacyLevel): SourceRead {
  const outcomes: ReadOutcome[] = [];
  const ignored: string[] = [];
  for (const rel of listFiles(root, 'checkpoints')) {
    if (!['.md', '.markdown', '.txt'].includes(extension(rel))) {
      ignored.push(rel);
      continue;
    }
    try {
      const takenAt = stampOf(rel);
      if (!takenAt) throw new ItemError('BAD_TIMESTAMP', `${rel} has no ISO date-time in its name (such as 2025-11-16T15-23-00Z-title.md).`);
      const content = readText(root, rel);
      outcomes.push({
        item: { kind: 'checkpoint', sourceKey: `file:${rel}`, source: rel, input: { title: firstHeading(content) ?? baseTitle(rel), takenAt, content, privacyLevel: fallback } },
      });
    } catch (err) {
      outcomes.push(failure('checkpoint', rel, err));
    }
  }
  return { outcomes, notImported: ignored.map((rel) => ({ source: rel, count: 1, reason: 'not a markdown checkpoint document' })) };
}
