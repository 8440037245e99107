import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { EXPECTED, MALFORMED, writeSeedFolder } from '../../test-fixtures/memory-context-folder.js';
import { planImport } from './plan.js';

const options = { submoduleId: 'team-a', privacy: 'TEAM' as const, maxContentBytes: 5 * 1024 * 1024 };

describe('planImport', () => {
  it('plans the seed folder: stable ids, the malformed items as failures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    writeSeedFolder(dir, { exportBytes: 10_000 });
    const first = planImport(dir, options);
    expect(first.items).toHaveLength(EXPECTED.sessions.length + EXPECTED.patterns.length + EXPECTED.checkpoints.length);
    expect(first.failures.map((f) => ({ source: f.source, code: f.code }))).toEqual(MALFORMED);
    expect(planImport(dir, options).items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
    // Another submodule gets other ids: the same seed imported twice into two submodules does not collide.
    const other = planImport(dir, { ...options, submoduleId: 'team-b' }).items.map((i) => i.id);
    expect(other.filter((id) => first.items.some((i) => i.id === id))).toEqual([]);
  });

  it('refuses NUL and unpaired surrogates instead of stripping them, and EPHEMERAL items', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    mkdirSync(join(dir, 'sessions'));
    writeFileSync(join(dir, 'sessions', 'nul.md'), '# NUL\n\na\u0000b');
    writeFileSync(join(dir, 'sessions', 'surrogate.json'), '{"title": "S", "messages": [{"role": "user", "text": "x\\ud800y"}]}');
    writeFileSync(join(dir, 'sessions', 'ephemeral.json'), JSON.stringify({ title: 'E', privacy_level: 'EPHEMERAL' }));
    writeFileSync(join(dir, 'sessions', 'long.json'), JSON.stringify({ title: 'x'.repeat(501) }));
    const plan = planImport(dir, options);
    expect(plan.items).toEqual([]);
    expect(plan.failures.map((f) => [f.source, f.code])).toEqual([
      ['sessions/ephemeral.json', 'EPHEMERAL_NOT_PERSISTED'],
      ['sessions/long.json', 'TOO_LARGE'],
      ['sessions/nul.md', 'INVALID_TEXT'],
      ['sessions/surrogate.json', 'INVALID_TEXT'],
    ]);
  });

  it('splits a session over the content limit into numbered parts, and refuses an oversized checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    mkdirSync(join(dir, 'exports'));
    mkdirSync(join(dir, 'checkpoints'));
    writeFileSync(join(dir, 'exports', 'big.txt'), 'x'.repeat(25_000));
    writeFileSync(join(dir, 'checkpoints', '2025-01-01-big.md'), 'y'.repeat(25_000));
    const plan = planImport(dir, { ...options, maxContentBytes: 10_000 });
    expect(plan.items.map((i) => i.item.kind === 'session' && i.item.input.title)).toEqual(['big (part 1 of 3)', 'big (part 2 of 3)', 'big (part 3 of 3)']);
    expect(new Set(plan.items.map((i) => i.id)).size).toBe(3);
    expect(plan.failures).toEqual([expect.objectContaining({ source: 'checkpoints/2025-01-01-big.md', code: 'TOO_LARGE' })]);
  });
});
