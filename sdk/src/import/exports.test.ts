import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readExports } from './exports.js';

describe('readExports', () => {
  it('turns a transcript into user/assistant messages, keeps other text whole, reads JSON exports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exports-'));
    mkdirSync(join(dir, 'exports'));
    writeFileSync(join(dir, 'exports', 'a.txt'), 'Context first.\n\nHuman: one\ntwo\n\n**Assistant:** three\n## User\nfour');
    writeFileSync(join(dir, 'exports', 'b.txt'), 'User stories are discussed here, but nobody speaks.');
    writeFileSync(join(dir, 'exports', 'c.json'), JSON.stringify({ messages: [{ role: 'assistant', text: 'hello' }] }));
    const items = readExports(dir, 'TEAM').outcomes.map((o) => ('item' in o ? o.item.input : o));
    expect(items).toEqual([
      expect.objectContaining({
        title: 'a',
        tags: ['export'],
        content: [
          { role: 'system', text: 'Context first.' },
          { role: 'user', text: 'one\ntwo' },
          { role: 'assistant', text: 'three' },
          { role: 'user', text: 'four' },
        ],
      }),
      expect.objectContaining({ content: [{ role: 'transcript', text: 'User stories are discussed here, but nobody speaks.' }] }),
      expect.objectContaining({ content: [{ role: 'assistant', text: 'hello' }] }),
    ]);
  });
});
