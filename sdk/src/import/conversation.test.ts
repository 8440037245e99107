import { describe, expect, it } from '@jest/globals';
import { splitConversation } from './conversation.js';

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

describe('splitConversation', () => {
  it('keeps a conversation that fits as one part', () => {
    const messages = [{ role: 'user', text: 'short' }];
    expect(splitConversation(messages, 1000)).toEqual([messages]);
  });

  it('splits into parts under the limit and keeps every character, also of one huge message with multi-byte text', () => {
    const huge = Array.from({ length: 3000 }, (_, i) => `line ${i} — ünïcödé 🙂`).join('\n');
    const messages = [{ role: 'user', text: 'before' }, { role: 'transcript', text: huge }, { role: 'assistant', text: 'after' }];
    const parts = splitConversation(messages, 20_000);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(size(part)).toBeLessThanOrEqual(20_000);
    const flat = parts.flat();
    expect(flat[0]).toEqual({ role: 'user', text: 'before' });
    expect(flat.at(-1)).toEqual({ role: 'assistant', text: 'after' });
    expect(flat.slice(1, -1).map((m) => m.text).join('')).toBe(huge);
    expect(flat.slice(1, -1).every((m) => m.role === 'transcript')).toBe(true);
  });
});
