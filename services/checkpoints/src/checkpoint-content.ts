import { createHash } from 'node:crypto';
import { mergeSummaries, type Redactor, type RedactionSummary } from '@memory-context/privacy';
import { MemctxError, type StoredPrivacyLevel } from '@memory-context/protocol';

export interface RedactedCheckpoint {
  title: string;
  summary: string | null;
  content: string | null;
  /** Counts per kind of what was removed or masked, never the values. */
  redaction: RedactionSummary;
}

/**
 * Redacts every free-text field of a checkpoint for its level (ARCHITECTURE §5),
 * as the SDK already did before upload: the subgraph's pass is authoritative.
 */
export function redactCheckpoint(
  redactor: Redactor,
  level: StoredPrivacyLevel,
  fields: { title: string; summary: string | null; content: string | null },
): RedactedCheckpoint {
  const title = redactor.redactText(fields.title, level);
  const summary = fields.summary === null ? null : redactor.redactText(fields.summary, level);
  const content = fields.content === null ? null : redactor.redactText(fields.content, level);
  return {
    title: title.text,
    summary: summary?.text ?? null,
    content: content?.text ?? null,
    redaction: mergeSummaries(title.summary, ...(summary ? [summary.summary] : []), ...(content ? [content.summary] : [])),
  };
}

export function contentSize(content: string | null): number {
  return content === null ? 0 : Buffer.byteLength(content, 'utf8');
}

export function assertContentSize(bytes: number, limit: number): void {
  if (bytes > limit) {
    throw new MemctxError('PAYLOAD_TOO_LARGE', `Checkpoint content is ${bytes} bytes; the limit is ${limit} bytes.`, { limit, size: bytes });
  }
}

export function contentHash(content: string | null): string | null {
  return content === null ? null : createHash('sha256').update(content, 'utf8').digest('hex');
}
