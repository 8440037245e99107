import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ImportLedger } from './ledger.js';

describe('ImportLedger', () => {
  it('remembers imported items across opens, beside the cache, and forgets refused ones', () => {
    const cachePath = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'cache', 'memory-cache.db');
    const first = ImportLedger.beside(cachePath);
    first.record('a', 'session', 'sessions/a.md');
    first.record('b', 'pattern', 'memory-context.db#patterns/p');
    first.record('a', 'session', 'sessions/a.md');
    first.forget('b');
    first.close();
    const again = ImportLedger.beside(cachePath);
    expect([again.has('a'), again.has('b'), again.has('c')]).toEqual([true, false, false]);
    again.close();
  });
});
