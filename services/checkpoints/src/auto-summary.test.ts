import { describe, expect, it } from '@jest/globals';
import { autoMarker, describeSessions, parseAutoMarker } from './auto-summary.js';
import { decodeCheckpointCursor, encodeCheckpointCursor } from './checkpoint-cursor.js';
import { encodePageCursor } from '@memory-context/server-kit';

const takenAt = new Date('2026-11-24T09:30:00.000Z');
const digest = (title: string, tags: string[], messages: number) => ({
  id: title,
  title,
  tags,
  privacyLevel: 'TEAM',
  createdAt: takenAt,
  messages,
});

describe('describeSessions', () => {
  it('lists titles, tags and counts, with totals', () => {
    const { title, summary } = describeSessions(
      [digest('Title A', ['auth', 'api'], 12), digest('Title B', [], 1), digest('Title C', ['auth'], 0)],
      new Date('2026-11-20T08:00:00.000Z'),
      takenAt,
    );
    expect(title).toBe('Checkpoint: 3 sessions (2026-11-24)');
    expect(summary.split('\n')).toEqual([
      '3 sessions since 2026-11-20T08:00:00.000Z, 13 messages in all:',
      '• Title A [auth, api] (12 messages)',
      '• Title B (1 message)',
      '• Title C [auth] (0 messages)',
      'Totals: 3 sessions, 13 messages, 2 distinct tags.',
      'Tags: auth (2), api (1)',
    ]);
  });

  it('says so when there is nothing to include', () => {
    expect(describeSessions([], null, takenAt)).toEqual({ title: 'Checkpoint: 0 sessions (2026-11-24)', summary: 'No sessions so far.' });
    expect(describeSessions([], takenAt, takenAt).summary).toBe('No sessions since 2026-11-24T09:30:00.000Z.');
  });

  it('clips long titles and notes a truncated list', () => {
    const { title, summary } = describeSessions([digest('x'.repeat(300), [], 1)], null, takenAt, true);
    expect(title).toBe('Checkpoint: 1 session (2026-11-24)');
    expect(summary).toContain(`• ${'x'.repeat(199)}… (1 message)`);
    expect(summary).toContain('Only the 500 most recent sessions are included.');
  });
});

describe('the stored auto marker (the digest itself is never stored)', () => {
  it('round-trips the window, with or without a lead summary', () => {
    const since = new Date('2026-11-20T08:00:00.000Z');
    expect(autoMarker(since, false)).toBe('Linked sessions since 2026-11-20T08:00:00.000Z.');
    expect(parseAutoMarker(autoMarker(since, true))).toEqual({ lead: null, since, truncated: true });
    expect(parseAutoMarker(`Sprint 12.\n\n${autoMarker(null, false)}`)).toEqual({ lead: 'Sprint 12.', since: null, truncated: false });
  });

  it('leaves summaries written by hand alone', () => {
    expect(parseAutoMarker('Release notes.')).toBeUndefined();
    expect(parseAutoMarker(null)).toBeUndefined();
    expect(parseAutoMarker('Linked sessions since yesterday.')).toBeUndefined();
  });
});

describe('checkpoint page cursor', () => {
  it('round-trips a (takenAt, id) position', () => {
    const position = { takenAt: takenAt, id: '01937f3a-1c2b-7d4e-8f90-123456789abc' };
    expect(decodeCheckpointCursor(encodeCheckpointCursor(position))).toEqual(position);
    expect(decodeCheckpointCursor(null)).toBeUndefined();
    expect(decodeCheckpointCursor('')).toBeUndefined();
  });

  it('refuses garbage and the cursor of another list', () => {
    expect(() => decodeCheckpointCursor('garbage')).toThrow(/Invalid `after` cursor/);
    expect(() => decodeCheckpointCursor(encodePageCursor({ createdAt: takenAt, id: 'x' }))).toThrow(/Invalid `after` cursor/);
  });
});
