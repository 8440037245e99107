import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../database.js';
import { exportSnapshot } from './writer.js';

const BACKUP_FILE = /^memctx-backup-\d{8}T\d{9}Z\.jsonl\.gz$/;

/** `memctx-backup-20261202T194554123Z.jsonl.gz`: names sort by time. */
export function backupFileName(at: Date): string {
  return `memctx-backup-${at.toISOString().replace(/[-:.]/g, '')}.jsonl.gz`;
}

/** The complete backups in `dir`, newest first (files still being written end in `.partial`). */
export async function listBackups(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => BACKUP_FILE.test(name))
    .sort()
    .reverse()
    .map((name) => join(dir, name));
}

/** A backup is an export file in `dir`; afterwards only the newest `keep` are kept. */
export async function takeBackup(database: Database, dir: string, keep: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, backupFileName(new Date()));
  await exportSnapshot(database, path);
  for (const old of (await listBackups(dir)).slice(keep)) await rm(old, { force: true });
  return path;
}
