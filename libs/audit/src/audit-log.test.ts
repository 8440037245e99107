import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rawRows, type Db } from '@memory-context/db';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { sql } from 'drizzle-orm';
import { AuditLog } from './audit-log.js';
import type { AuditEvent } from './event.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => test?.close());

/** The real database, whose statements fail while `down` is set (the database cannot be reached); counts the failed attempts. */
function flakyDb(): { db: Db; setDown(down: boolean): void; failedAttempts(): number } {
  let down = false;
  let failed = 0;
  const db = new Proxy(test.database.db, {
    get(target, property, receiver) {
      if (property === 'execute' && down) {
        return async () => {
          failed++;
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { db, setDown: (value) => (down = value), failedAttempts: () => failed };
}

function event(resourceId: string): AuditEvent {
  return { actor: 'audit-log-test', action: 'session.read', resourceType: 'session', resourceId, outcome: 'SUCCESS' };
}

async function stored(prefix: string): Promise<string[]> {
  const rows = await rawRows<{ resource_id: string }>(test.database.db, sql`select resource_id from audit.events where resource_id like ${`${prefix}%`} order by seq`);
  return rows.map((r) => r.resource_id);
}

/** Longer than the log's retry interval (2 s). */
const RETRY_WAIT_MS = 2_500;

describe('AuditLog', () => {
  it('writes appended events together after the interval', async () => {
    const log = new AuditLog(test.database.db, { flushIntervalMs: 20 });
    log.append(event('batch-1'));
    log.append(event('batch-2'));
    expect(await stored('batch-')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stored('batch-')).toEqual(['batch-1', 'batch-2']);
    await log.close();
  });

  it('keeps the events of a failed write and writes them once the database is back', async () => {
    const { db, setDown } = flakyDb();
    const errors: unknown[] = [];
    const log = new AuditLog(db, { onError: (error) => errors.push(error) });
    setDown(true);
    log.append(event('outage-1'));
    await log.flush();
    expect(errors).toHaveLength(1);
    setDown(false);
    log.append(event('outage-2'));
    await log.flush();
    expect(await stored('outage-')).toEqual(['outage-1', 'outage-2']);
    await log.close();
  });

  it('closed while the database cannot be reached: tries once more, hands the events over, and leaves no retry behind', async () => {
    const { db, setDown, failedAttempts } = flakyDb();
    const unwritten: string[] = [];
    const log = new AuditLog(db, { onUnwritten: (events) => unwritten.push(...events.map((e) => e.resourceId ?? '')) });
    setDown(true);
    log.append(event('closing-1'));
    await log.flush();
    await new Promise((resolve) => setTimeout(resolve, RETRY_WAIT_MS));
    expect(failedAttempts()).toBe(2); // the write, and its retry
    log.append(event('closing-2'));
    await log.close();
    expect(failedAttempts()).toBe(3); // one more try at close
    expect(unwritten).toEqual(['closing-1', 'closing-2']);
    // Appended after close (a request that ended late): written at once, or handed over.
    log.append(event('closing-3'));
    await log.flush();
    expect(unwritten).toEqual(['closing-1', 'closing-2', 'closing-3']);
    // Nothing is retried after close: a retry would keep the process alive and keep failing.
    await new Promise((resolve) => setTimeout(resolve, RETRY_WAIT_MS));
    expect(failedAttempts()).toBe(4);
    setDown(false);
    log.append(event('closing-4'));
    await log.flush();
    expect(await stored('closing-')).toEqual(['closing-4']);
  });
});
