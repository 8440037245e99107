import { z } from 'zod';
import { MAX_IDS_PER_READ, MemctxError } from '@memory-context/protocol';

/** Validates against a schema, turning zod issues into one BAD_USER_INPUT that names each field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`);
  throw new MemctxError('BAD_USER_INPUT', `Invalid input — ${problems.join('; ')}`, { fields: problems });
}

const uuidSchema = z.string().uuid('must be a UUID');

/** An entity id argument: a UUID, or BAD_USER_INPUT. */
export function parseId(id: unknown): string {
  return parseInput(uuidSchema, id, 'id');
}

const idsSchema = z.array(uuidSchema).max(MAX_IDS_PER_READ, `at most ${MAX_IDS_PER_READ} ids per request`);

/** An `ids` list argument: at most MAX_IDS_PER_READ UUIDs, or BAD_USER_INPUT. */
export function parseIds(ids: unknown): string[] {
  return parseInput(idsSchema, ids, 'ids');
}
