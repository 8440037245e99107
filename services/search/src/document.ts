import { checkpoints, patterns, sessions } from '@memory-context/db';
import type { DocumentKind } from '@memory-context/vectors';

type SessionRow = typeof sessions.$inferSelect;
type PatternRow = typeof patterns.$inferSelect;
type CheckpointRow = typeof checkpoints.$inferSelect;

/** What one entity contributes to the index. */
export interface SearchDocument {
  entityId: string;
  kind: DocumentKind;
  submoduleId: string;
  privacyLevel: 'PUBLIC' | 'TEAM' | 'PRIVATE';
  tags: string[];
  title: string;
  /** Everything else worth finding: description and the text of the content. */
  body: string;
  version: number;
  createdAt: Date;
}

/** Longest body kept per document; beyond it the text adds cost, not findability. */
const MAX_BODY = 20_000;

function clip(text: string): string {
  return text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text;
}

/** Strings found anywhere in a JSON value, keys included (they often name the idea: "fix", "steps"). */
function jsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(jsonText).filter(Boolean).join('\n');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${jsonText(v)}`)
    .join('\n');
}

export function sessionDocument(row: SessionRow): SearchDocument {
  const messages = (row.content ?? []).map((m) => m.text).join('\n');
  return {
    entityId: row.id,
    kind: 'SESSION',
    submoduleId: row.submoduleId,
    privacyLevel: row.privacyLevel,
    tags: row.tags,
    title: row.title,
    body: clip([row.description ?? '', messages].filter(Boolean).join('\n')),
    version: row.version,
    createdAt: row.createdAt,
  };
}

export function patternDocument(row: PatternRow): SearchDocument {
  return {
    entityId: row.id,
    kind: 'PATTERN',
    submoduleId: row.submoduleId,
    privacyLevel: row.privacyLevel,
    tags: row.tags,
    title: row.name,
    body: clip([row.kind.toLowerCase().replace('_', ' '), row.description ?? '', jsonText(row.body)].filter(Boolean).join('\n')),
    version: row.version,
    createdAt: row.createdAt,
  };
}

export function checkpointDocument(row: CheckpointRow): SearchDocument {
  return {
    entityId: row.id,
    kind: 'CHECKPOINT',
    submoduleId: row.submoduleId,
    privacyLevel: row.privacyLevel,
    tags: [],
    title: row.title,
    body: clip([row.summary ?? '', row.content ?? '', row.gitRef ?? ''].filter(Boolean).join('\n')),
    version: row.version,
    createdAt: row.createdAt,
  };
}

/** The text that is embedded: the title counts most, so it leads. */
export function embeddingText(doc: SearchDocument): string {
  return `${doc.title}\n${doc.tags.join(' ')}\n${doc.body}`.slice(0, 4_000);
}
