import type { PrivacyLevel } from '@memory-context/protocol';

export type { PrivacyLevel };

/** What a detector finds, grouped the way the per-level policy speaks about it. */
export const DETECTOR_CATEGORIES = ['secret', 'credential', 'government_id', 'financial', 'contact', 'network'] as const;
export type DetectorCategory = (typeof DETECTOR_CATEGORIES)[number];

/** One kind per detector; it names the detector, the `[REDACTED:<kind>]` marker and the summary key. */
export const REDACTION_KINDS = [
  // secret
  'aws_key',
  'aws_secret_key',
  'github_token',
  'slack_token',
  'stripe_key',
  'openai_key',
  'huggingface_token',
  'jwt',
  'bearer_token',
  'api_key',
  // credential
  'password',
  'private_key',
  'connection_password',
  // government_id
  'ssn',
  // financial
  'credit_card',
  // contact
  'email',
  'phone',
  // network
  'ip_address',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** What happens to a match: replaced by `[REDACTED:<kind>]` (cards: last-4 mask), format-keeping mask, or left as is. */
export const REDACTION_ACTIONS = ['redact', 'mask', 'keep'] as const;
export type RedactionAction = (typeof REDACTION_ACTIONS)[number];

/** Counts of replacements per kind. Never holds the values themselves. */
export type RedactionSummary = Partial<Record<RedactionKind, number>>;

export interface DetectorConfig {
  readonly kind: RedactionKind;
  readonly category: DetectorCategory;
  readonly enabled: boolean;
}

export type LevelPolicy = Readonly<Record<DetectorCategory, RedactionAction>>;

export interface PrivacyConfig {
  readonly version: 1;
  readonly detectors: readonly DetectorConfig[];
  readonly levels: Readonly<Record<PrivacyLevel, LevelPolicy>>;
}

/** A detected span of text (UTF-16 offsets, end exclusive). */
export interface DetectedSpan {
  readonly kind: RedactionKind;
  readonly category: DetectorCategory;
  readonly start: number;
  readonly end: number;
}
