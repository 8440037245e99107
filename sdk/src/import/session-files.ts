import type { PrivacyLevel } from '../generated/graphql.js';
import { conversationFrom, parseJson, transcriptTurns } from './conversation.js';
import { baseTitle, extension, firstHeading, listFiles, readText, stampOf } from './folder-files.js';
import { failure, ItemError, privacyLevel, timestamp, type ImportItem, type ReadOutcome, type SourceRead } from './item.js';

type SessionItem = Extract<ImportItem, { kind: 'session' }>;

/** A seed session JSON: the seed's columns as keys, or just the messages. */
function fromJson(rel: string, text: string, fallback: PrivacyLevel): SessionItem {
  const value = parseJson(text, rel);
  if (Array.isArray(value)) {
    return { kind: 'session', sourceKey: `file:${rel}`, source: rel, input: { title: baseTitle(rel), privacyLevel: fallback, startedAt: stampOf(rel), content: conversationFrom(value, rel) } };
  }
  if (value === null || typeof value !== 'object') throw new ItemError('BAD_INPUT', `${rel}: expected a session object or an array of messages.`);
  const o = value as Record<string, unknown>;
  const conversation = o.conversation_json ?? o.messages ?? o.conversation ?? o.content ?? null;
  const parsed = typeof conversation === 'string' ? parseJson(conversation, `${rel} conversation_json`) : conversation;
  const id = o.session_id ?? o.id;
  const tags = Array.isArray(o.tags) ? o.tags.map(String) : typeof o.tags === 'string' ? o.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
  return {
    kind: 'session',
    // A session id names the session wherever it appears, so the same id in the database and a file is one session.
    sourceKey: typeof id === 'string' || typeof id === 'number' ? `session:${id}` : `file:${rel}`,
    source: rel,
    input: {
      title: (typeof o.title === 'string' && o.title.trim()) || baseTitle(rel),
      description: typeof o.description === 'string' ? o.description : null,
      privacyLevel: privacyLevel(o.privacy_level ?? o.privacyLevel, fallback),
      tags,
      startedAt: timestamp(o.timestamp ?? o.started_at ?? o.startedAt ?? null) ?? stampOf(rel),
      endedAt: timestamp(o.ended_at ?? o.endedAt ?? null),
      content: parsed === null ? [] : conversationFrom(parsed, rel),
    },
  };
}

/** A markdown session: title from its first heading; turns where lines open them, else the document as one message. */
function fromMarkdown(rel: string, text: string, fallback: PrivacyLevel): SessionItem {
  return {
    kind: 'session',
    sourceKey: `file:${rel}`,
    source: rel,
    input: {
      title: firstHeading(text) ?? baseTitle(rel),
      privacyLevel: fallback,
      startedAt: stampOf(rel),
      content: transcriptTurns(text) ?? [{ role: 'document', text }],
    },
  };
}

/** `sessions/`: *.json and *.md (also *.markdown, *.txt) files, one session each; others are reported. */
export function readSessionFiles(root: string, fallback: PrivacyLevel): SourceRead {
  const outcomes: ReadOutcome[] = [];
  const ignored: string[] = [];
  for (const rel of listFiles(root, 'sessions')) {
    const ext = extension(rel);
    if (!['.json', '.md', '.markdown', '.txt'].includes(ext)) {
      ignored.push(rel);
      continue;
    }
    try {
      const text = readText(root, rel);
      outcomes.push({ item: ext === '.json' ? fromJson(rel, text, fallback) : fromMarkdown(rel, text, fallback) });
    } catch (err) {
      outcomes.push(failure('session', rel, err));
    }
  }
  return { outcomes, notImported: ignored.map((rel) => ({ source: rel, count: 1, reason: 'not a .json or .md session file' })) };
}
