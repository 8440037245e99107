import type { MessageInput } from '../generated/graphql.js';
import { ItemError, timestamp } from './item.js';

/** Longest role the server accepts. */
const MAX_ROLE = 32;

function messageText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Chat exports often hold content as parts: [{ type: 'text', text }].
  if (Array.isArray(value)) {
    const parts = value.map((p) => (typeof p === 'string' ? p : typeof (p as { text?: unknown })?.text === 'string' ? (p as { text: string }).text : undefined));
    if (parts.every((p) => p !== undefined)) return parts.join('\n');
  }
  return undefined;
}

/**
 * The messages of a seed conversation: an array of `{ role, text | content }`
 * (also `speaker`/`author`, `message`), or an object holding one under
 * `messages`, `conversation` or `content`.
 */
export function conversationFrom(value: unknown, where: string): MessageInput[] {
  const holder = value as Record<string, unknown> | null;
  const list = Array.isArray(value) ? value : (holder?.messages ?? holder?.conversation ?? holder?.content);
  if (!Array.isArray(list)) throw new ItemError('BAD_INPUT', `${where}: expected an array of messages, or an object with "messages".`);
  return list.map((raw, i) => {
    const m = (raw ?? {}) as Record<string, unknown>;
    const role = m.role ?? m.speaker ?? m.author;
    const text = messageText(m.text ?? m.content ?? m.message);
    if (typeof role !== 'string' || !role.trim() || text === undefined) throw new ItemError('BAD_INPUT', `${where}: message ${i} needs a string "role" and "text" (or "content").`);
    if (role.length > MAX_ROLE) throw new ItemError('BAD_INPUT', `${where}: message ${i} has a role longer than ${MAX_ROLE} characters.`);
    const at = timestamp(m.at ?? m.timestamp ?? null);
    return at ? { role: role.trim(), text, at } : { role: role.trim(), text };
  });
}

/** Parses JSON text, failing the item with BAD_JSON. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ItemError('BAD_JSON', `${where} is not valid JSON: ${(err as Error).message}`);
  }
}

// Lines that open a turn: "User: text", "**Assistant:**", or a heading "## Human".
const TURN_COLON = /^\**(user|human|assistant|claude|system)\**\s*:\**\s?(.*)$/i;
const TURN_HEADING = /^#{1,6}\s+\**(user|human|assistant|claude|system)\**\s*:?\s*$/i;
const ROLE: Record<string, string> = { user: 'user', human: 'user', assistant: 'assistant', claude: 'assistant', system: 'system' };

/**
 * User/assistant turns of a transcript, when lines open them ("User:",
 * "## Assistant"); null when the text shows no turns (then the caller keeps it
 * as one message). Text before the first turn becomes a `system` message, so nothing is dropped.
 */
export function transcriptTurns(text: string): MessageInput[] | null {
  const turns: Array<{ role: string; lines: string[] }> = [];
  const preamble: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = TURN_COLON.exec(line) ?? TURN_HEADING.exec(line);
    if (match) turns.push({ role: ROLE[match[1]!.toLowerCase()]!, lines: match[2] ? [match[2]] : [] });
    else if (turns.length) turns.at(-1)!.lines.push(line);
    else preamble.push(line);
  }
  const roles = new Set(turns.map((t) => t.role));
  if (!roles.has('user') || !roles.has('assistant')) return null;
  const messages: MessageInput[] = [];
  const before = preamble.join('\n').trim();
  if (before) messages.push({ role: 'system', text: before });
  for (const t of turns) messages.push({ role: t.role, text: t.lines.join('\n').trim() });
  return messages;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Cuts one text into pieces of at most `max` UTF-8 bytes of JSON, at line ends where it can. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (bytes(rest) > max) {
    // Binary search the longest prefix that fits, then back up to a line end.
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (bytes(rest.slice(0, mid)) <= max) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    const newline = rest.lastIndexOf('\n', cut - 1);
    if (newline > cut / 2) cut = newline + 1;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Splits a conversation into parts whose content JSON stays under `maxBytes`
 * (the server's content limit, with room for redaction masks). Messages stay
 * whole where they fit; a larger one is cut at line ends into several messages.
 * Joined in order, the parts hold every character of the input.
 */
export function splitConversation(messages: MessageInput[], maxBytes: number): MessageInput[][] {
  const overhead = 64;
  const pieces = messages.flatMap((m) => (bytes([m]) <= maxBytes ? [m] : splitText(m.text, maxBytes - overhead - bytes(m.role)).map((text) => ({ ...m, text }))));
  const parts: MessageInput[][] = [];
  let current: MessageInput[] = [];
  let size = 2;
  for (const piece of pieces) {
    const add = bytes(piece) + 1;
    if (current.length && size + add > maxBytes) {
      parts.push(current);
      current = [];
      size = 2;
    }
    current.push(piece);
    size += add;
  }
  if (current.length || parts.length === 0) parts.push(current);
  return parts;
}
