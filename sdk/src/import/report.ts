import type { ImportFailure, ImportKind, NotImported } from './item.js';

export interface KindCounts {
  /** Written (with --dry-run: would be written). */
  imported: number;
  /** Already in the cache or on the server (an earlier run). */
  skipped: number;
  failed: number;
}

export interface ImportReport {
  dir: string;
  submoduleId: string;
  dryRun: boolean;
  counts: Record<ImportKind, KindCounts>;
  /** Every item or source that was not imported, with a stable code and the reason. */
  failures: ImportFailure[];
  /** Tables and files the importer does not map, with row/file counts. */
  notImported: NotImported[];
  /** The final flush: writes sent, and those still queued (sent by the next `memctx sync`). */
  flush: { sent: number; remaining: number; online: boolean; stoppedBy: string | null } | null;
}

export function emptyReport(dir: string, submoduleId: string, dryRun: boolean): ImportReport {
  const zero = (): KindCounts => ({ imported: 0, skipped: 0, failed: 0 });
  return { dir, submoduleId, dryRun, counts: { session: zero(), pattern: zero(), checkpoint: zero() }, failures: [], notImported: [], flush: null };
}

export function addFailure(report: ImportReport, f: ImportFailure): void {
  report.failures.push(f);
  if (f.kind !== 'source') report.counts[f.kind].failed += 1;
}

/** The report as text for people. */
export function formatReport(report: ImportReport): string {
  const verb = report.dryRun ? 'would import' : 'imported';
  const lines = (['session', 'pattern', 'checkpoint'] as const).map((k) => {
    const c = report.counts[k];
    return `${`${k}s:`.padEnd(13)}${verb} ${c.imported}, skipped ${c.skipped} (already present), failed ${c.failed}`;
  });
  for (const f of report.failures) lines.push(`failed  ${f.source}: ${f.code}: ${f.reason}`);
  for (const n of report.notImported) lines.push(`not imported  ${n.source} (${n.count}): ${n.reason}`);
  if (report.flush && report.flush.remaining > 0) lines.push(`${report.flush.remaining} write(s) still queued${report.flush.stoppedBy ? ` (${report.flush.stoppedBy})` : ''}; \`memctx sync\` sends them.`);
  return lines.join('\n');
}
