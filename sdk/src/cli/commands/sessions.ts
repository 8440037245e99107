import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SdkError } from '../../errors.js';
import type { MessageInput, PrivacyLevel } from '../../generated/graphql.js';
import { CliContext } from '../context.js';
import { oneOf, positiveInt } from '../option-parsers.js';
import { table } from '../output.js';

const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'] as const satisfies readonly PrivacyLevel[];

/** A conversation file: an array of messages, or an object with `messages` or `content`. */
export function readConversation(file: string): MessageInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SdkError('BAD_USER_INPUT', `${file} is not readable JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : ((parsed as { messages?: unknown }).messages ?? (parsed as { content?: unknown }).content);
  if (!Array.isArray(list)) throw new SdkError('BAD_USER_INPUT', `${file} must hold an array of messages ({ role, text, at? }), or an object with "messages".`);
  return list.map((m: unknown, i) => {
    const { role, text, content, at } = (m ?? {}) as Record<string, unknown>;
    const body = text ?? content;
    if (typeof role !== 'string' || typeof body !== 'string') throw new SdkError('BAD_USER_INPUT', `${file}: message ${i} needs a string "role" and "text".`);
    return typeof at === 'string' ? { role, text: body, at } : { role, text: body };
  });
}

export function registerSessions(program: Command): void {
  const session = program.command('session').description('work with one session');
  session
    .command('create')
    .description('record a session: cached and queued at once, sent now if the gateway answers')
    .requiredOption('--title <title>', 'title')
    .option('--file <conversation.json>', 'the conversation: a JSON array of { role, text, at? }')
    .option('--privacy <level>', 'PUBLIC, TEAM, PRIVATE or EPHEMERAL (cache only)', oneOf(LEVELS), 'TEAM' as PrivacyLevel)
    .option('--description <text>', 'description')
    .option('--tags <tags>', 'comma-separated tags')
    .action(async (options: { title: string; file?: string; privacy: PrivacyLevel; description?: string; tags?: string }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const created = await client.sessions.create({
          title: options.title,
          privacyLevel: options.privacy,
          ...(options.description ? { description: options.description } : {}),
          ...(options.tags ? { tags: options.tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
          ...(options.file ? { content: readConversation(options.file) } : {}),
        });
        const pushed = created.privacyLevel === 'EPHEMERAL' ? null : await client.flush();
        const state = (await client.sessions.get(created.id, { fetchPolicy: 'cache-only' })).syncState;
        ctx.out.result({ session: created, syncState: state, pushed }, () =>
          state === 'synced' ? `${created.id} created` : state === 'local' ? `${created.id} kept in the cache only (EPHEMERAL)` : `${created.id} queued; it is sent when the gateway answers (memctx sync)`,
        );
      } finally {
        await client.close();
      }
    });

  program
    .command('sessions')
    .description('list sessions, newest first')
    .option('--first <n>', 'how many', positiveInt, 20)
    .option('--tag <tag>', 'only sessions with this tag')
    .option('--offline', 'read the cache only')
    .action(async (options: { first: number; tag?: string; offline?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const list = await client.sessions.list(options.tag ? { tags: [options.tag] } : null, {
          first: options.first,
          fetchPolicy: options.offline ? 'cache-only' : 'network-first',
        });
        if (list.source === 'cache') ctx.out.note(`(from the cache${list.stale ? ': the gateway could not be reached' : ''})`);
        ctx.out.result(list, () => table(list.nodes.map((s) => [s.id, s.privacyLevel, s.submoduleId, `v${s.version}`, s.createdAt.slice(0, 16), s.title])), 'No sessions.');
      } finally {
        await client.close();
      }
    });
}
