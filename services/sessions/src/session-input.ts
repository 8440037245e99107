import { z } from 'zod';

const uuid = z.string().uuid('must be a UUID');
const dateTime = z.coerce.date();
const storedLevel = z.enum(['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL']);

export const messageSchema = z.object({
  role: z.string().trim().min(1).max(32),
  text: z.string(),
  at: dateTime.nullish(),
});

const fields = {
  privacyLevel: storedLevel,
  title: z.string().trim().min(1, 'must not be empty').max(500),
  description: z.string().max(10_000).nullish(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).nullish(),
  startedAt: dateTime.nullish(),
  endedAt: dateTime.nullish(),
  content: z.array(messageSchema).max(100_000).nullish(),
  idempotencyKey: z.string().nullish(),
};

export const createSessionSchema = z.object({
  id: uuid.nullish(),
  submoduleId: z.string().nullish(),
  ...fields,
});

export const updateSessionSchema = z.object({
  privacyLevel: fields.privacyLevel.nullish(),
  title: fields.title.nullish(),
  description: fields.description,
  tags: fields.tags,
  startedAt: fields.startedAt,
  endedAt: fields.endedAt,
  content: fields.content,
  idempotencyKey: fields.idempotencyKey,
});

export type CreateSessionInput = z.infer<typeof createSessionSchema>;
export type UpdateSessionInput = z.infer<typeof updateSessionSchema>;
export type MessageInput = z.infer<typeof messageSchema>;

export { parseInput, parseId } from '@memory-context/server-kit';
