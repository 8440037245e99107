import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { inspectCachePath } from './cache-path.js';
import { CACHE_APPLICATION_ID } from './migrations.js';
import { openCache } from './open-cache.js';

const temp = () => join(mkdtempSync(join(tmpdir(), 'memctx-path-')), 'cache.db');

describe('inspectCachePath', () => {
  it('tells a missing path, an empty file and an SQLite file apart', () => {
    const path = temp();
    expect(inspectCachePath(path)).toEqual({ kind: 'missing' });
    writeFileSync(path, '');
    expect(inspectCachePath(path)).toEqual({ kind: 'empty' });
  });

  it("reads a cache's page size, page count and marker from its header", () => {
    const path = temp();
    const db = openCache(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const state = inspectCachePath(path);
    expect(state).toMatchObject({ kind: 'sqlite', size: pages * 8192, header: { pageSize: 8192, pageCount: pages, applicationId: CACHE_APPLICATION_ID } });
  });

  it('calls a file that is not SQLite foreign, and a directory unusable', () => {
    const path = temp();
    writeFileSync(path, 'SQLite format 2, honestly');
    expect(() => inspectCachePath(path)).toThrow(expect.objectContaining({ code: 'CACHE_FOREIGN' }));
    expect(() => inspectCachePath(join(path, '..'))).toThrow(expect.objectContaining({ code: 'CACHE_UNUSABLE' }));
  });
});
