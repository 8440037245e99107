import { createHash } from 'node:crypto';
import type { SessionMessage } from '@memory-context/db';
import { mergeSummaries, type Redactor, type RedactionSummary } from '@memory-context/privacy';
import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';
import type { MessageInput } from './session-input.js';

export interface RedactedFields {
  title: string;
  description: string | null;
  tags: string[];
  content: SessionMessage[];
  summary: RedactionSummary;
}

/**
 * Redacts every free-text field of a session for its level (ARCHITECTURE §5).
 * Redaction is idempotent, so stored text can be redacted again when its
 * level is raised.
 */
export function redactSession(
  redactor: Redactor,
  level: StoredPrivacyLevel,
  fields: { title: string; description: string | null; tags: string[]; content: MessageInput[] | SessionMessage[] },
): RedactedFields {
  const title = redactor.redactText(fields.title, level);
  const description = fields.description === null ? null : redactor.redactText(fields.description, level);
  const tags = fields.tags.map((tag) => redactor.redactText(tag, level));
  const summaries = [title.summary, ...(description ? [description.summary] : []), ...tags.map((t) => t.summary)];
  const content = fields.content.map((message) => {
    const text = redactor.redactText(message.text, level);
    summaries.push(text.summary);
    const at = message.at instanceof Date ? message.at.toISOString() : (message.at ?? undefined);
    return at === undefined ? { role: message.role, text: text.text } : { role: message.role, text: text.text, at };
  });
  return {
    title: title.text,
    description: description?.text ?? null,
    tags: [...new Set(tags.map((t) => t.text))],
    content,
    summary: mergeSummaries(...summaries),
  };
}

export function contentSize(content: SessionMessage[]): number {
  return Buffer.byteLength(JSON.stringify(content), 'utf8');
}

export function assertContentSize(bytes: number, limit: number): void {
  if (bytes > limit) {
    throw new MemctxError('PAYLOAD_TOO_LARGE', `Session content is ${bytes} bytes; the limit is ${limit} bytes.`, { limit, size: bytes });
  }
}

export function contentHash(content: SessionMessage[]): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
