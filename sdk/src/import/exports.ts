import type { PrivacyLevel } from '../generated/graphql.js';
import { conversationFrom, parseJson, transcriptTurns } from './conversation.js';
import { baseTitle, extension, listFiles, readText, stampOf } from './folder-files.js';
import { failure, type ReadOutcome, type SourceRead } from './item.js';

/**
 * `exports/`: conversation exports (large text) become sessions tagged
 * `export`: JSON through the conversation reader, text as user/assistant turns
 * where lines open them, else kept whole as one `transcript` message. Size
 * limits are the planner's concern (it splits).
 */
export function readExports(root: string, fallback: PrivacyLevel): SourceRead {
  const outcomes: ReadOutcome[] = [];
  for (const rel of listFiles(root, 'exports')) {
    try {
      const text = readText(root, rel);
      const content = extension(rel) === '.json' ? conversationFrom(parseJson(text, rel), rel) : (transcriptTurns(text) ?? [{ role: 'transcript', text }]);
      outcomes.push({
        item: { kind: 'session', sourceKey: `file:${rel}`, source: rel, input: { title: baseTitle(rel), privacyLevel: fallback, tags: ['export'], startedAt: stampOf(rel), content } },
      });
    } catch (err) {
      outcomes.push(failure('session', rel, err));
    }
  }
  return { outcomes, notImported: [] };
}
