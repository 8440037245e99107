import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readCheckpointFiles } from './checkpoint-files.js';
import { stampOf } from './folder-files.js';

describe('readCheckpointFiles', () => {
  it('takes each document at the date-time of its name; a name without one fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-files-'));
    mkdirSync(join(dir, 'checkpoints'));
    writeFileSync(join(dir, 'checkpoints', '2025-11-16T15:23:00Z-release.md'), '# Release\n\nbody');
    writeFileSync(join(dir, 'checkpoints', 'notes.md'), '# Notes');
    writeFileSync(join(dir, 'checkpoints', 'image.png'), 'x');
    const { outcomes, notImported } = readCheckpointFiles(dir, 'PRIVATE');
    expect(outcomes).toEqual([
      { item: expect.objectContaining({ kind: 'checkpoint', input: { title: 'Release', takenAt: '2025-11-16T15:23:00.000Z', content: '# Release\n\nbody', privacyLevel: 'PRIVATE' } }) },
      { failure: expect.objectContaining({ source: 'checkpoints/notes.md', code: 'BAD_TIMESTAMP' }) },
    ]);
    expect(notImported).toEqual([expect.objectContaining({ source: 'checkpoints/image.png' })]);
  });
});

describe('stampOf', () => {
  it('reads the seed stamps', () => {
    expect(stampOf('2025-11-16T1523-RESTORE-CONTEXT.txt')).toBe('2025-11-16T15:23:00.000Z');
    expect(stampOf('x/2025-11-16T15-23-07Z-a.md')).toBe('2025-11-16T15:23:07.000Z');
    expect(stampOf('2025-11-17-EXPORT.txt')).toBe('2025-11-17T00:00:00.000Z');
    expect(stampOf('2025-13-45-bad.md')).toBeNull();
    expect(stampOf('plain.md')).toBeNull();
  });
});
