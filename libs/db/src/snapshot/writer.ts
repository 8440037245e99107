import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Database, DbOrTx } from '../database.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotHeader } from './format.js';
import { appliedMigration } from './migration.js';
import { digestTable, tableRows, useUtc } from './rows.js';
import { SNAPSHOT_TABLES } from './tables.js';

/**
 * Writes a snapshot of every live entity to `path`: one REPEATABLE READ
 * transaction, so the header's counts and checksums (first pass) and the rows
 * (second pass) describe the same moment while writes go on. The file appears
 * under its name only once complete (written beside it, then renamed).
 */
export async function exportSnapshot(database: Database, path: string): Promise<SnapshotHeader> {
  const partial = `${path}.partial`;
  try {
    const header = await database.db.transaction(
      async (tx) => {
        await useUtc(tx);
        const header: SnapshotHeader = {
          format: SNAPSHOT_FORMAT,
          version: SNAPSHOT_VERSION,
          migration: await appliedMigration(tx),
          createdAt: new Date().toISOString(),
          source: database.kind,
          tables: [],
        };
        for (const table of SNAPSHOT_TABLES) header.tables.push({ name: table.name, ...(await digestTable(tx, table)) });
        await pipeline(Readable.from(lines(tx, header)), createGzip(), createWriteStream(partial, { mode: 0o600 }));
        return header;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    await rename(partial, path);
    return header;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function* lines(tx: DbOrTx, header: SnapshotHeader): AsyncGenerator<string> {
  yield `${JSON.stringify(header)}\n`;
  for (const table of SNAPSHOT_TABLES) {
    yield `${JSON.stringify({ table: table.name })}\n`;
    for await (const row of tableRows(tx, table)) yield `${row}\n`;
  }
}

