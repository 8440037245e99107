import { describe, expect, it } from '@jest/globals';
import { addFailure, emptyReport, formatReport } from './report.js';

describe('formatReport', () => {
  it('counts per kind, lists every failure and what was not imported, and says what is still queued', () => {
    const report = emptyReport('/x', 'team', false);
    report.counts.session.imported = 2;
    addFailure(report, { kind: 'session', source: 'sessions/a.json', code: 'BAD_JSON', reason: 'no' });
    addFailure(report, { kind: 'source', source: 'memory-context.db', code: 'NOT_A_DATABASE', reason: 'damaged' });
    report.notImported.push({ source: 'memory-context.db#privacy_audit', count: 3, reason: 'audit' });
    report.flush = { sent: 0, remaining: 2, online: false, stoppedBy: 'offline' };
    expect(report.counts.session).toEqual({ imported: 2, skipped: 0, failed: 1 });
    expect(formatReport(report).split('\n')).toEqual([
      'sessions:    imported 2, skipped 0 (already present), failed 1',
      'patterns:    imported 0, skipped 0 (already present), failed 0',
      'checkpoints: imported 0, skipped 0 (already present), failed 0',
      'failed  sessions/a.json: BAD_JSON: no',
      'failed  memory-context.db: NOT_A_DATABASE: damaged',
      'not imported  memory-context.db#privacy_audit (3): audit',
      '2 write(s) still queued (offline); `memctx sync` sends them.',
    ]);
    expect(formatReport({ ...report, dryRun: true, flush: null })).toContain('would import 2');
  });
});
