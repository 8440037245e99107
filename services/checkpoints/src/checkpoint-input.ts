import { z } from 'zod';
import { SUBMODULE_ID } from '@memory-context/auth';

const uuid = z.string().uuid('must be a UUID');
const dateTime = z.coerce.date();

/** Most sessions one checkpoint may name in `sessionIds`. */
export const MAX_LINKED_SESSIONS = 500;

export const createCheckpointSchema = z
  .object({
    id: uuid.nullish(),
    submoduleId: z.string().regex(SUBMODULE_ID, 'must be a submodule slug').nullish(),
    title: z.string().trim().min(1, 'must not be empty').max(500).nullish(),
    takenAt: dateTime.nullish(),
    gitRef: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(255)
      .regex(/^[^\s\p{Cc}]+$/u, 'must be a commit SHA or a ref name, without spaces')
      .nullish(),
    summary: z.string().max(20_000).nullish(),
    // No length rule here: its size is checked after redaction (PAYLOAD_TOO_LARGE).
    content: z.string().nullish(),
    privacyLevel: z.enum(['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL']),
    sessionIds: z.array(uuid).max(MAX_LINKED_SESSIONS).nullish(),
    auto: z.boolean().nullish(),
    since: dateTime.nullish(),
    idempotencyKey: z.string().nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.auto !== true && (input.title === null || input.title === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required unless auto is true' });
    }
    if (input.auto !== true && input.since !== null && input.since !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'applies only with auto: true' });
    }
  });

export type CreateCheckpointInput = z.infer<typeof createCheckpointSchema>;
