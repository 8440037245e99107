import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { rawRows } from '@memory-context/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SearchDocument } from './document.js';
import { DocumentIndex } from './document-index.js';

const reader = { actor: { submoduleId: 'reader', admin: false } };
const ids = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

function doc(n: number, title: string, body: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return { entityId: ids(n), kind: 'SESSION', submoduleId: 'writer', privacyLevel: 'TEAM', tags: [], title, body, version: 1, createdAt: new Date(Date.UTC(2026, 0, 1) + n * 1000), ...extra };
}

/**
 * 1,200 documents: every one mentions "deploy", every third "release",
 * five mention "kafka". With a candidate budget of 100 the index behaves as a
 * large one would: common words no longer select candidates.
 */
describe('DocumentIndex: lexical candidates from rare words', () => {
  let test: TestDatabase;
  let small: DocumentIndex;
  let large: DocumentIndex;

  beforeAll(async () => {
    test = await createTestDatabase();
    small = new DocumentIndex(test.database.db);
    large = new DocumentIndex(test.database.db, 100);
    const docs: SearchDocument[] = [];
    for (let n = 1; n <= 1200; n++) {
      const words = [`deploy number ${n}`];
      if (n % 3 === 0) words.push('the release train');
      if (n % 240 === 0) words.push('the kafka consumer lagged');
      docs.push(doc(n, n % 240 === 0 && n % 480 === 0 ? 'kafka deploy' : `note ${n}`, words.join('. ')));
    }
    for (let i = 0; i < docs.length; i += 300) await test.database.db.transaction((tx) => large.upsert(tx, docs.slice(i, i + 300)));
    expect(await large.maintain()).toEqual({ merged: true, analysed: true });
  }, 120_000);

  afterAll(() => test?.close());

  it('records how common each word is after ANALYZE', async () => {
    const stats = await large.stats.frequencies();
    expect(stats?.documents).toBe(1200);
    expect(stats?.share.get('deploy')).toBeCloseTo(1, 1);
    expect(stats?.share.get('releas')).toBeCloseTo(1 / 3, 1);
    // Nothing written since: nothing to merge, statistics not due.
    expect(await large.maintain()).toEqual({ merged: false, analysed: false });
  });

  it('keeps the full-text index\'s pending list short', async () => {
    const [row] = await rawRows<{ options: string[] | string }>(test.database.db, sql`select reloptions as options from pg_class where oid = 'search.documents_tsv'::regclass`);
    expect(String(row?.options)).toContain('gin_pending_list_limit=256');
  });

  it('ranks only documents holding the rare word, the common word still counting in the score', async () => {
    const hits = await large.search('kafka deploy', reader, 20);
    expect(hits.map((h) => h.id).sort()).toEqual([240, 480, 720, 960, 1200].map(ids).sort());
    // 480 and 960 say "kafka deploy" in their title too.
    expect(hits.slice(0, 2).map((h) => h.id).sort()).toEqual([ids(480), ids(960)]);
  });

  it('ranks every match while the index is within the budget', async () => {
    const hits = await small.search('kafka deploy', reader, 20);
    expect(hits).toHaveLength(20);
    expect(hits.slice(0, 5).map((h) => h.id).sort()).toEqual([240, 480, 720, 960, 1200].map(ids).sort());
  });

  it('asks for all the common words together when none is rare', async () => {
    const hits = await large.search('deploy release', reader, 50);
    expect(hits).toHaveLength(50);
    expect(hits.every((h) => Number.parseInt(h.id.slice(-12), 16) % 3 === 0)).toBe(true);
  });

  it('plans odd queries without an error (quotes, backslashes, tsquery and SQL syntax, other scripts)', async () => {
    for (const odd of ["it's kafka o'clock deploy", 'back\\slash kafka deploy', 'a & | !b:* <-> ( kafka deploy', "'); drop table search.documents; -- kafka", '🔥🚀 kafka deploy', '認証のエラー kafka deploy', 'kafka:* deploy:A']) {
      await expect(large.search(odd, reader, 10), odd).resolves.toBeInstanceOf(Array);
    }
    expect((await large.search("'); drop table search.documents; -- kafka", reader, 10)).map((h) => h.id).sort()).toEqual([240, 480, 720, 960, 1200].map(ids).sort());
  });

  it('takes websearch syntax as written', async () => {
    const phrase = await large.search('"kafka consumer" or number', reader, 50);
    expect(phrase).toHaveLength(50);
  });

  it('writes a batch in one statement: the last version of an id wins, a known id is updated', async () => {
    await test.database.db.transaction((tx) =>
      large.upsert(tx, [doc(5000, 'first', 'zookeeper one'), doc(5000, 'second', 'zookeeper two', { version: 2 }), doc(240, 'kafka rewritten', 'nothing else', { version: 3 })]),
    );
    const rows = await rawRows<{ title: string; version: number; matches: boolean }>(
      test.database.db,
      sql`select title, version, tsv @@ to_tsquery('english', 'zookeeper') as matches from search.documents where entity_id in (${ids(5000)}, ${ids(240)}) order by title`,
    );
    expect(rows).toEqual([
      { title: 'kafka rewritten', version: 3, matches: false },
      { title: 'second', version: 2, matches: true },
    ]);
    expect((await large.search('zookeeper two', reader, 5)).map((h) => h.id)).toEqual([ids(5000)]);
  });
});
