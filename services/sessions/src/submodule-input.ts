import { z } from 'zod';
import { SUBMODULE_ID } from '@memory-context/auth';

export const registerSubmoduleSchema = z.object({
  id: z.string().regex(SUBMODULE_ID, 'must be a slug of lowercase letters, digits, ".", "_" or "-"'),
  name: z.string().trim().min(1).max(200),
  gitUrl: z.string().max(2000).nullish(),
  syncStatus: z.enum(['ACTIVE', 'PAUSED', 'OFFLINE']).nullish(),
});

export type RegisterSubmoduleInput = z.infer<typeof registerSubmoduleSchema>;
