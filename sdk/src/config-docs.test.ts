import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from '@jest/globals';
import { CLIENT_OPTIONS } from './config.js';

const DOC = fileURLToPath(new URL('../../docs/sdk.md', import.meta.url));

it("docs/sdk.md's configuration table lists every option with its variable and cache.config.json key", () => {
  const section = readFileSync(DOC, 'utf8').split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, { env: string; file: string }>();
  for (const line of section.split('\n')) {
    const cells = /^\| `(\w+)` \| `(MEMCTX_\w+)` \|([^|]*)\|/.exec(line);
    if (cells) rows.set(cells[1]!, { env: cells[2]!, file: /`([\w.]+)`/.exec(cells[3]!)?.[1] ?? '' });
  }
  const expected = Object.entries(CLIENT_OPTIONS).map(([name, spec]) => [name, { env: spec.env, file: 'file' in spec ? spec.file.key : '' }] as const);
  expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
});
