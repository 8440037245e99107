import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readSessionFiles } from './session-files.js';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'session-files-'));
  mkdirSync(join(dir, 'sessions', 'nested'), { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'sessions', name), body);
  return dir;
}

describe('readSessionFiles', () => {
  it('reads markdown turns, seed JSON, message arrays and nested folders; reports other files', () => {
    const dir = folder({
      'a.md': '# Title A\n\nUser: question\nAssistant: answer\n',
      'b.md': 'No turns here, just notes.',
      'c.json': JSON.stringify({ session_id: 42, title: 'C', privacy_level: 'public', tags: 'x, y', messages: [{ speaker: 'user', content: [{ type: 'text', text: 'hi' }] }] }),
      'nested/2025-11-02-d.json': JSON.stringify([{ role: 'user', text: 'd' }]),
      'e.png': 'not text',
    });
    const { outcomes, notImported } = readSessionFiles(dir, 'TEAM');
    expect(outcomes.map((o) => ('item' in o ? [o.item.sourceKey, o.item.input] : o))).toEqual([
      ['file:sessions/a.md', expect.objectContaining({ title: 'Title A', content: [{ role: 'system', text: '# Title A' }, { role: 'user', text: 'question' }, { role: 'assistant', text: 'answer' }] })],
      ['file:sessions/b.md', expect.objectContaining({ title: 'b', content: [{ role: 'document', text: 'No turns here, just notes.' }] })],
      ['session:42', expect.objectContaining({ title: 'C', privacyLevel: 'PUBLIC', tags: ['x', 'y'], content: [{ role: 'user', text: 'hi' }] })],
      ['file:sessions/nested/2025-11-02-d.json', expect.objectContaining({ title: '2025-11-02-d', startedAt: '2025-11-02T00:00:00.000Z' })],
    ]);
    expect(notImported).toEqual([expect.objectContaining({ source: 'sessions/e.png' })]);
  });

  it('fails an item for bad JSON, invalid UTF-8, an unknown level or a message without text', () => {
    const dir = folder({
      'bad.json': '{',
      'latin1.md': Buffer.from([0x43, 0x61, 0x66, 0xe9]),
      'level.json': JSON.stringify({ title: 'L', privacy_level: 'CONFIDENTIAL' }),
      'shape.json': JSON.stringify({ title: 'S', messages: [{ role: 'user' }] }),
    });
    const codes = readSessionFiles(dir, 'TEAM').outcomes.map((o) => ('failure' in o ? o.failure.code : 'item'));
    expect(codes).toEqual(['BAD_JSON', 'INVALID_UTF8', 'UNKNOWN_PRIVACY_LEVEL', 'BAD_INPUT']);
  });
});
