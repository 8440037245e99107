import { PRIVACY_LEVELS } from '@memory-context/protocol';
import { z } from 'zod';
import type { EntityKind, PatternKind } from '../index.js';

/** Zod pieces the tools share; the MCP SDK turns them into the JSON Schemas clients see. */

const PATTERN_KINDS = ['SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'] as const satisfies readonly PatternKind[];
// Fails to compile when the schema gains a kind this list lacks.
const everyKind: Exclude<PatternKind, (typeof PATTERN_KINDS)[number]> extends never ? true : never = true;
void everyKind;

const ENTITY_KINDS = ['session', 'pattern', 'checkpoint'] as const satisfies readonly EntityKind[];

export const privacyLevel = z
  .enum(PRIVACY_LEVELS)
  .describe(
    'Who may read it. PUBLIC: everyone; TEAM: every submodule of the team (default); PRIVATE: this submodule only; ' +
      'EPHEMERAL: kept in the local cache of this machine only, never sent. PII and secrets are redacted before anything is stored or queued.',
  );

export const entityKind = z.enum(ENTITY_KINDS);

export const patternKind = z
  .enum(PATTERN_KINDS)
  .describe('SOLUTION: a way to solve a recurring problem; ERROR_FIX: an error and the fix; CONVENTION: a rule the code base follows; WORKFLOW: steps that work; ANTI_PATTERN: something that looked right and was not.');

export const id = z.string().trim().min(1).max(200);

export const tags = z.array(z.string().trim().min(1).max(100)).max(50);

/** Where a read's answer came from. */
export const readSource = {
  source: z.enum(['network', 'cache']).describe('network: the gateway answered; cache: the local cache did'),
  stale: z.boolean().describe('true when the gateway could not be reached and the cache answered: it holds only what was synced, read or written on this machine'),
};

/** What became of a write. */
export const delivery = z.object({
  state: z
    .enum(['sent', 'queued', 'local-only', 'rejected', 'conflict'])
    .describe('sent: the gateway has it; queued: safe in the local outbox, sent when the gateway answers (nothing to do); local-only: EPHEMERAL, never sent; rejected / conflict: the gateway refused it (see reason)'),
  online: z.boolean().describe('whether the gateway could be asked'),
  reason: z.string().nullable().describe('why it was not sent, if it was not'),
});
export type Delivery = z.infer<typeof delivery>;
