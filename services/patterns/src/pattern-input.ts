import { z } from 'zod';
import { PATTERN_KINDS } from '@memory-context/db';

const uuid = z.string().uuid('must be a UUID');

export const recordPatternSchema = z.object({
  id: uuid.nullish(),
  submoduleId: z.string().nullish(),
  kind: z.enum(PATTERN_KINDS),
  name: z.string().trim().min(1, 'must not be empty').max(300),
  description: z.string().max(10_000).nullish(),
  // JSON literals arrive as null-prototype objects; the database driver wants plain ones.
  body: z.unknown().nullish().transform((value) => (value === null || value === undefined ? value : (JSON.parse(JSON.stringify(value)) as unknown))),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).nullish(),
  privacyLevel: z.enum(['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL']),
  sourceSessionIds: z.array(uuid).max(100).nullish(),
  idempotencyKey: z.string().nullish(),
});

export type RecordPatternInput = z.infer<typeof recordPatternSchema>;

export const patternFilterSchema = z.object({
  kinds: z.array(z.enum(PATTERN_KINDS)).nullish(),
  submodules: z.array(z.string()).nullish(),
  privacyLevels: z.array(z.enum(['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'])).nullish(),
  tags: z.array(z.string()).nullish(),
  minOccurrences: z.number().int().min(1).nullish(),
});

export type PatternFilter = z.infer<typeof patternFilterSchema>;
