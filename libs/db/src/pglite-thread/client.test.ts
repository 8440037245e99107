import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { openDatabase } from '../open.js';
import { rawRows } from '../mechanisms/raw-rows.js';

/** The Postgres error under drizzle's wrapper. */
const cause = (error: unknown): Record<string, unknown> => {
  let current = error as { cause?: unknown };
  while (current?.cause) current = current.cause as { cause?: unknown };
  return current as Record<string, unknown>;
};

describe('PGlite on a thread of its own', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true, thread: true });
    await database.db.execute(sql`create table t (id int primary key, body text, at timestamptz, raw bytea, doc jsonb, big int8, tags text[])`);
  });
  afterAll(async () => database?.close());

  it('answers statements through drizzle with every type as on one thread', async () => {
    const at = '2026-12-03 10:00:00+00';
    await database.db.execute(sql`insert into t values (1, ${'é\u{1F600}'}, ${at}, ${new Uint8Array([0, 1, 255])}, ${JSON.stringify({ a: [1, 2] })}, ${'9007199254740993'}, ${'{x,y}'})`);
    const [row] = await rawRows<Record<string, unknown>>(database.db, sql`select * from t where id = 1`);
    expect(row).toMatchObject({ id: 1, body: 'é\u{1F600}', doc: { a: [1, 2] }, tags: ['x', 'y'] });
    expect(String(row!.at)).toMatch(/^2026-12-03 10:00:00\+00/); // drizzle's parsers keep timestamps as text
    expect(Array.from(row!.raw as Uint8Array)).toEqual([0, 1, 255]);
    expect(BigInt(row!.big as bigint)).toBe(9007199254740993n);
  });

  it('keeps a Postgres error code and constraint across the thread', async () => {
    const error = await database.db.execute(sql`insert into t (id) values (1)`).then(() => undefined, (e: unknown) => e);
    expect(cause(error)).toMatchObject({ code: '23505', constraint: 't_pkey' });
  });

  it('commits a transaction, rolls one back that throws, and rolls a savepoint back alone', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id) values (10)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into t (id) values (11)`);
          throw new Error('inner fails');
        })
        .catch(() => {});
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t (id) values (12)`);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    const ids = (await rawRows<{ id: number }>(database.db, sql`select id from t where id >= 10 order by id`)).map((r) => r.id);
    expect(ids).toEqual([10]);
  });

  it('makes a statement outside an open transaction wait for its end, as one thread does', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = database.db.transaction(async (t) => {
      await t.execute(sql`insert into t (id) values (20)`);
      order.push('tx wrote');
      await held;
      order.push('tx ends');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from t where id = 20`).then((r) => {
      order.push('outside read');
      return r[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await tx;
    expect(await outside).toBe(1);
    expect(order).toEqual(['tx wrote', 'tx ends', 'outside read']);
  });

  it('a failed COMMIT rejects the transaction', async () => {
    await database.db.execute(sql`create table d (id int primary key, parent int references t(id) deferrable initially deferred)`);
    await expect(database.db.transaction(async (tx) => void (await tx.execute(sql`insert into d values (1, 999)`)))).rejects.toThrow();
    expect(await rawRows(database.db, sql`select * from d`)).toHaveLength(0);
  });

  it('delivers NOTIFY to listeners until they stop', async () => {
    const got: string[] = [];
    const stop = await database.listen('chan', (payload) => got.push(payload));
    await database.db.execute(sql`select pg_notify('chan', 'one')`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stop();
    await database.db.execute(sql`select pg_notify('chan', 'two')`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['one']);
  });
});

describe('PGlite on a thread, in a data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memctx-pglite-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what it wrote across a close and an open on one thread, and refuses calls once closed', async () => {
    const first = await openDatabase({ databaseUrl: undefined, dataDir: dir, thread: true });
    await first.db.execute(sql`create table kept (v text)`);
    await first.db.execute(sql`insert into kept values ('written on the thread')`);
    await first.close();
    const refused = await first.db.execute(sql`select 1`).then(() => undefined, (e: unknown) => e);
    expect(String(cause(refused).message)).toMatch(/PGlite is closed/);
    const second = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      expect(await rawRows<{ v: string }>(second.db, sql`select v from kept`)).toEqual([{ v: 'written on the thread' }]);
    } finally {
      await second.close();
    }
  });

  it('reports a damaged cluster as PGlite does on one thread', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'memctx-pglite-damaged-'));
    try {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(join(damaged, 'pgdata'), { recursive: true });
      writeFileSync(join(damaged, 'pgdata', 'PG_VERSION'), 'not a version\n');
      const error = await openDatabase({ databaseUrl: undefined, dataDir: damaged, thread: true }).then(
        async (db) => (await db.close(), undefined),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });
});
