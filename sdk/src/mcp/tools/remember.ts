import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SdkError, type MessageInput, type Session } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { deliver } from '../delivery.js';
import { delivery, id, privacyLevel, tags } from '../schemas.js';
import { guarded } from '../tool-results.js';

const message = z.object({
  role: z.string().trim().min(1).max(50).describe('who said it: user, assistant, tool, …'),
  text: z.string().min(1).max(200_000),
});

const input = {
  text: z.string().min(1).max(200_000).optional().describe('What to remember, as one message (role "assistant" unless `role` says otherwise). Give this or `messages`.'),
  role: z.string().trim().min(1).max(50).optional().describe('Role of `text` (default "assistant").'),
  messages: z.array(message).min(1).max(500).optional().describe('Several messages of the conversation, oldest first. Give this or `text`.'),
  title: z.string().trim().min(1).max(300).optional().describe('A short title for a new session (default: the start of the first message). Ignored when appending.'),
  description: z.string().max(2000).optional().describe('One or two sentences on what the session was about.'),
  tags: tags.optional().describe('Labels to find it by later (e.g. "ci", "auth").'),
  privacy: privacyLevel.optional(),
  append: z.boolean().optional().describe('true: add the messages to the current session (the last one remembered through this connection) instead of starting a new one.'),
  sessionId: id.optional().describe('Append to this session instead (an id from `remember` or `recall`).'),
};

const output = {
  session: z.object({ id: z.string(), title: z.string(), privacyLevel: z.string(), messages: z.number().int(), redacted: z.number().int().describe('values masked as PII or secrets'), version: z.number().int() }),
  appended: z.boolean().describe('true: added to an existing session; false: a new session'),
  delivery,
};

function titleFrom(messages: MessageInput[]): string {
  const first = messages[0]?.text.replace(/\s+/g, ' ').trim() ?? '';
  return first.length > 80 ? `${first.slice(0, 79)}…` : first || 'Untitled session';
}

function messagesOf(args: { text?: string | undefined; role?: string | undefined; messages?: MessageInput[] | undefined }): MessageInput[] {
  if (args.text !== undefined && args.messages !== undefined) throw new SdkError('BAD_USER_INPUT', 'Give either `text` or `messages`, not both.');
  if (args.messages) return args.messages;
  if (args.text !== undefined) return [{ role: args.role ?? 'assistant', text: args.text }];
  throw new SdkError('BAD_USER_INPUT', 'Nothing to remember: give `text` (one message) or `messages`.');
}

export function registerRemember(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'remember',
    {
      title: 'Remember',
      description:
        'Record what happened in this work session so later sessions (yours, or agents in other repositories) can recall it: the problem, what was tried, ' +
        'what worked, decisions and their reasons. Call it after finishing a piece of work, or during long work with `append: true` to add to the same session. ' +
        'Works offline: the write is kept in the local cache and queued, and `delivery.state` says whether it reached the gateway ("sent") or waits ("queued", nothing to do). ' +
        'PII and secrets are redacted before anything is stored or queued.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx.log, 'remember', async (args) => {
      const since = new Date();
      const messages = messagesOf(args);
      const target = args.sessionId ?? (args.append ? ctx.currentSessionId : undefined);
      let session: Session;
      if (target) {
        const current = await ctx.client.sessions.get(target);
        if (!current.data) throw new SdkError('NOT_FOUND', `Session ${target} was not found${current.stale ? ' in the local cache (the gateway could not be reached)' : ''}.`);
        const stamped = messages.map((m) => ({ ...m, at: m.at ?? new Date().toISOString() }));
        const previous = current.data.content.map(({ role, text, at }) => ({ role, text, at }));
        session = await ctx.client.sessions.update(target, {
          content: [...previous, ...stamped],
          ...(args.tags ? { tags: [...new Set([...current.data.tags, ...args.tags])] } : {}),
          ...(args.description !== undefined ? { description: args.description } : {}),
          ...(args.privacy ? { privacyLevel: args.privacy } : {}),
        });
      } else {
        const now = new Date().toISOString();
        session = await ctx.client.sessions.create({
          title: args.title ?? titleFrom(messages),
          privacyLevel: args.privacy ?? 'TEAM',
          content: messages.map((m) => ({ ...m, at: m.at ?? now })),
          startedAt: now,
          ...(args.description !== undefined ? { description: args.description } : {}),
          ...(args.tags ? { tags: args.tags } : {}),
        });
      }
      ctx.currentSessionId = session.id;
      return {
        session: { id: session.id, title: session.title, privacyLevel: session.privacyLevel, messages: session.content.length, redacted: session.redaction.total, version: session.version },
        appended: target !== undefined,
        delivery: await deliver(ctx.client, { kind: 'session', id: session.id, since, localOnly: session.privacyLevel === 'EPHEMERAL' }),
      };
    }),
  );
}
