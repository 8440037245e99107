import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { rawRows, type Db } from '@memory-context/db';

export const AUDIT_ARCHIVE_FORMAT = 'memory-context-audit-archive';
export const AUDIT_ARCHIVE_VERSION = 1;

/** Any constant: archivers of several processes take turns. */
const ARCHIVE_LOCK = 727_002;

export interface AuditArchiveHeader {
  format: typeof AUDIT_ARCHIVE_FORMAT;
  version: number;
  /** Every event in the file is older than this (the retention's cut-off when it was written). */
  archivedBefore: string;
  fromSeq: number;
  toSeq: number;
  rows: number;
  /** sha256 of the row lines, each followed by `\n`. */
  sha256: string;
  createdAt: string;
}

export interface AuditArchiveOptions {
  retentionSeconds: number;
  directory: string;
  /** Events per file (and per transaction). */
  batchSize?: number;
  /** Who the audit event of the archiving names. */
  actor?: string;
}

export interface AuditArchiveResult {
  files: string[];
  archived: number;
}

/**
 * Moves audit events past their retention out of the database: each batch is
 * written to a gzip file (header line, then each event as Postgres's
 * row_to_json text, timestamps in UTC), fsynced, read back and checked, and
 * only then removed through `audit.archive_events` in the same transaction.
 * A failure anywhere leaves the events in the table; the next pass writes
 * them again (the file name holds the seq range, so the same batch lands in
 * the same file).
 */
export async function archiveAuditEvents(db: Db, options: AuditArchiveOptions): Promise<AuditArchiveResult> {
  const batchSize = options.batchSize ?? 10_000;
  const result: AuditArchiveResult = { files: [], archived: 0 };
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ARCHIVE_LOCK})`);
      await tx.execute(sql.raw(`set local timezone = 'UTC'`));
      const [cut] = await rawRows<{ before: string; now: string }>(
        tx,
        sql`select to_json(now() - make_interval(secs => ${options.retentionSeconds}))#>>'{}' as before, to_json(now())#>>'{}' as now`,
      );
      const before = cut!.before;
      const rows = await rawRows<{ seq: string | number; line: string }>(
        tx,
        sql`select e.seq, row_to_json(e)::text as line from audit.events e where e.at < ${before}::timestamptz order by e.seq limit ${batchSize}`,
      );
      if (rows.length === 0) return { rows: 0 };
      const lines = rows.map((r) => r.line);
      const header: AuditArchiveHeader = {
        format: AUDIT_ARCHIVE_FORMAT,
        version: AUDIT_ARCHIVE_VERSION,
        archivedBefore: before,
        fromSeq: Number(rows[0]!.seq),
        toSeq: Number(rows.at(-1)!.seq),
        rows: rows.length,
        sha256: digest(lines),
        createdAt: cut!.now,
      };
      const file = await writeArchive(options.directory, header, lines);
      const [removed] = await rawRows<{ n: number }>(
        tx,
        sql`select audit.archive_events(${header.toSeq}, ${before}::timestamptz, ${file}, ${options.actor ?? 'system:audit-archive'}) as n`,
      );
      if (Number(removed?.n) !== rows.length) {
        throw new Error(`audit archive: ${String(removed?.n)} events removed, ${rows.length} archived in ${file}; rolled back`);
      }
      return { rows: rows.length, file };
    });
    if (batch.rows === 0 || !batch.file) return result;
    result.files.push(batch.file);
    result.archived += batch.rows;
    if (batch.rows < batchSize) return result;
  }
}

function digest(lines: readonly string[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}

export function auditArchiveFileName(header: Pick<AuditArchiveHeader, 'fromSeq' | 'toSeq'>): string {
  const pad = (n: number) => String(n).padStart(12, '0');
  return `audit-${pad(header.fromSeq)}-${pad(header.toSeq)}.jsonl.gz`;
}

/** Writes FILE.partial, fsyncs it, renames it into place, and reads it back. Returns the path. */
async function writeArchive(directory: string, header: AuditArchiveHeader, lines: readonly string[]): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, auditArchiveFileName(header));
  const partial = `${path}.partial`;
  const body = gzipSync(`${JSON.stringify(header)}\n${lines.map((l) => `${l}\n`).join('')}`);
  const handle = await open(partial, 'w', 0o600);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } catch {
    // Some platforms cannot fsync a directory; the file itself is synced.
  } finally {
    await dir.close();
  }
  const back = await readAuditArchive(path).catch(async (error: unknown) => {
    await rm(path, { force: true });
    throw error;
  });
  if (back.header.sha256 !== header.sha256 || back.events.length !== lines.length) throw new Error(`audit archive: ${path} does not read back as written`);
  return path;
}

/** Reads an archive file and checks it against its header: count and checksum. */
export async function readAuditArchive(path: string): Promise<{ header: AuditArchiveHeader; events: Array<Record<string, unknown>> }> {
  const text = gunzipSync(await readFile(path)).toString('utf8');
  const [first, ...rest] = text.split('\n');
  const header = JSON.parse(first ?? '') as AuditArchiveHeader;
  if (header.format !== AUDIT_ARCHIVE_FORMAT || header.version !== AUDIT_ARCHIVE_VERSION) throw new Error(`${path} is not an audit archive this release reads`);
  const lines = rest.slice(0, -1);
  if (lines.length !== header.rows || digest(lines) !== header.sha256) throw new Error(`${path} is incomplete or altered: its rows do not match its header`);
  return { header, events: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
