import type {
  CheckpointFieldsFragment,
  CreateCheckpointInput,
  CreateSessionInput,
  PatternFieldsFragment,
  RecordPatternInput,
  SessionFieldsFragment,
  UpdateSessionInput,
} from './generated/graphql.js';

/** The entities as the SDK selects them: the generated fragment types, never re-declared. */
export type Session = SessionFieldsFragment;
export type Pattern = PatternFieldsFragment;
export type Checkpoint = CheckpointFieldsFragment;

export type EntityKind = 'session' | 'pattern' | 'checkpoint';
export const ENTITY_KINDS: readonly EntityKind[] = ['session', 'pattern', 'checkpoint'];

export interface EntityOf {
  session: Session;
  pattern: Pattern;
  checkpoint: Checkpoint;
}
export type AnyEntity = EntityOf[EntityKind];

/** What callers pass to create or change an entity; the SDK adds the id and the idempotency key. */
export type NewSession = Omit<CreateSessionInput, 'idempotencyKey'>;
export type SessionPatch = Omit<UpdateSessionInput, 'idempotencyKey'>;
export type NewPattern = Omit<RecordPatternInput, 'idempotencyKey'>;
export type NewCheckpoint = Omit<CreateCheckpointInput, 'idempotencyKey'>;

export interface DeleteOptions {
  /** A GDPR erasure request: the server purges the archived copy after the retention window. Needs `reason`. */
  gdprRequest?: boolean;
  reason?: string;
}

/** Where each kind lives in the cache and which column orders its lists (newest first). */
export const TABLE: Record<EntityKind, { table: string; fts: string; sortField: string }> = {
  session: { table: 'sessions', fts: 'sessions_fts', sortField: 'createdAt' },
  pattern: { table: 'patterns', fts: 'patterns_fts', sortField: 'lastSeenAt' },
  checkpoint: { table: 'checkpoints', fts: 'checkpoints_fts', sortField: 'takenAt' },
};
