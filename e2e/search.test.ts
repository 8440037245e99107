import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEmbeddingProvider, type EmbeddingProvider } from '@memory-context/embeddings';
import { DocumentIndexForTests, Indexer } from '@memory-context/search-service/testing';
import { createVectorStore, type VectorStore } from '@memory-context/vectors';
import { codes, CREATE_SESSION, DELETE_SESSION, graphql, ok, startTestStack, UPDATE_SESSION, type TestStack } from './src/index.js';

const SEARCH = `query Search($query: String!, $filter: SearchFilter, $limit: Int, $mode: SearchMode) {
  search(query: $query, filter: $filter, limit: $limit, mode: $mode) {
    mode
    hits { score kind snippet entity { __typename ... on Session { id title submoduleId } ... on Pattern { id name } ... on Checkpoint { id title } } }
  }
}`;

let stack: TestStack;
let a: string;
let b: string;
const ids: Record<string, string> = {};

async function createSession(token: string, input: Record<string, unknown>): Promise<string> {
  return ok(await graphql(stack.gatewayUrl, CREATE_SESSION, { input }, token)).createSession.id;
}

async function search(token: string, query: string, extra: Record<string, unknown> = {}) {
  return graphql(stack.gatewayUrl, SEARCH, { query, ...extra }, token);
}

function hitIds(response: Awaited<ReturnType<typeof search>>): string[] {
  return ok(response).search.hits.map((h: { entity: { id: string } }) => h.entity.id);
}

beforeAll(async () => {
  stack = await startTestStack();
  a = await stack.token('search-a');
  b = await stack.token('search-b');
  ids.auth = await createSession(a, {
    privacyLevel: 'TEAM',
    title: 'OAuth callback rejected after identity provider upgrade',
    tags: ['sso'],
    content: [{ role: 'user', text: 'The SSO redirect fails: token validation rejects the signature since the provider rotated keys.' }],
  });
  ids.db = await createSession(a, {
    privacyLevel: 'TEAM',
    title: 'Slow SQL query on orders table',
    tags: ['postgres'],
    content: [{ role: 'user', text: 'Added a composite index on orders(customer_id, created_at); the query plan now uses an index scan.' }],
  });
  ids.secret = await createSession(a, {
    privacyLevel: 'PRIVATE',
    title: 'Private notes about OAuth callback secrets',
    content: [{ role: 'user', text: 'OAuth callback internals only we should see.' }],
  });
  ids.pattern = ok(
    await graphql(stack.gatewayUrl, `mutation { recordPattern(input: { kind: ERROR_FIX, name: "Retry database deadlocks", privacyLevel: TEAM, body: { fix: "retry the transaction with jitter" } }) { pattern { id } } }`, {}, b),
  ).recordPattern.pattern.id;
  await stack.search.indexer.catchUp();
});
afterAll(async () => stack?.stop());

describe('search through the gateway', () => {
  it('finds by words (LEXICAL) with highlighted snippets and resolves the entity', async () => {
    const res = ok(await search(b, 'composite index', { mode: 'LEXICAL' })).search;
    expect(res.mode).toBe('LEXICAL');
    expect(res.hits[0]).toMatchObject({ kind: 'SESSION', entity: { __typename: 'Session', id: ids.db, title: 'Slow SQL query on orders table' } });
    expect(res.hits[0].snippet).toMatch(/\*\*(composite|index)\*\*/i);
  });

  it('resolves a hit\'s content when the query asks for it (and only then reads it)', async () => {
    const query = `query($q: String!) { search(query: $q, mode: LEXICAL, limit: 1) { hits { entity { ... on Session { id title content { role text } } } } } }`;
    const hit = ok(await graphql(stack.gatewayUrl, query, { q: 'composite index' }, b)).search.hits[0];
    expect(hit.entity).toMatchObject({ id: ids.db, content: [{ role: 'user', text: expect.stringContaining('composite index') }] });
  });

  it('finds by meaning (SEMANTIC) what shares no word with the query', async () => {
    const hits = hitIds(await search(b, 'login', { mode: 'SEMANTIC', limit: 3 }));
    expect(hits[0]).toBe(ids.auth);
  });

  it('HYBRID fuses both and filters by kind', async () => {
    expect(hitIds(await search(b, 'sign-in trouble with the identity provider'))[0]).toBe(ids.auth);
    const patternsOnly = ok(await search(b, 'deadlock', { filter: { kinds: ['PATTERN'] } })).search.hits;
    expect(patternsOnly.map((h: { kind: string }) => h.kind)).toEqual(['PATTERN']);
    expect(patternsOnly[0].entity).toMatchObject({ __typename: 'Pattern', id: ids.pattern, name: 'Retry database deadlocks' });
  });

  it('never shows another submodule\'s PRIVATE entity, even for its exact words', async () => {
    for (const mode of ['HYBRID', 'LEXICAL', 'SEMANTIC']) {
      const res = ok(await search(b, 'Private notes about OAuth callback secrets', { mode, limit: 50 })).search;
      expect(res.hits.map((h: { entity: { id: string } }) => h.entity.id)).not.toContain(ids.secret);
      expect(JSON.stringify(res)).not.toContain('Private notes');
    }
    expect(hitIds(await search(a, 'Private notes about OAuth callback secrets', { mode: 'LEXICAL' }))[0]).toBe(ids.secret);
  });

  it('drops a GDPR-deleted session from results at once, and from the index after the next pass', async () => {
    const id = await createSession(a, { privacyLevel: 'TEAM', title: 'Kafka consumer lag spike during backfill' });
    await stack.search.indexer.catchUp();
    expect(hitIds(await search(b, 'kafka backfill', { mode: 'LEXICAL' }))).toContain(id);
    ok(await graphql(stack.gatewayUrl, DELETE_SESSION, { id, gdpr: true, reason: 'erasure' }, a));
    expect(hitIds(await search(b, 'kafka backfill', { mode: 'LEXICAL' }))).not.toContain(id);
    await stack.search.indexer.catchUp();
    const status = ok(await graphql(stack.gatewayUrl, '{ indexStatus { documents vectors model feeds { feed lag } } }', {}, b)).indexStatus;
    expect(status.feeds.every((f: { lag: number }) => f.lag === 0)).toBe(true);
    expect(status.documents).toBe(status.vectors);
  });

  it('follows a privacy change: a session made PRIVATE leaves other submodules\' results', async () => {
    const id = await createSession(a, { privacyLevel: 'TEAM', title: 'Helm chart rollback procedure' });
    await stack.search.indexer.catchUp();
    expect(hitIds(await search(b, 'helm rollback', { mode: 'LEXICAL' }))).toContain(id);
    ok(await graphql(stack.gatewayUrl, UPDATE_SESSION, { id, baseVersion: 1, input: { privacyLevel: 'PRIVATE' } }, a));
    expect(hitIds(await search(b, 'helm rollback', { mode: 'LEXICAL' }))).not.toContain(id);
  });

  it('answers odd queries with a clear error or nothing, never a 500', async () => {
    expect(codes(await search(b, '   '))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await search(b, 'x'.repeat(1001)))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await search(b, 'index', { limit: 0 }))).toEqual(['BAD_USER_INPUT']);
    for (const odd of ['?!...;;', "'); drop table search.documents; --", 'a & | !b:* <-> (', '🔥🚀', '認証のエラー', 'SELECT * FROM sessions', '"unclosed']) {
      const res = await search(b, odd);
      expect(res.status, odd).toBe(200);
      expect(res.errors, odd).toBeUndefined();
    }
    expect(ok(await search(b, '?!...;;')).search.hits).toEqual([]);
  });

  it('gives related memory of a session, ranked like search and never another submodule\'s PRIVATE entity', async () => {
    const RELATED = `query R($id: ID!) { session(id: $id) { related(limit: 3) { kind explanation { rank matchedTerms similarity } entity { ... on Session { id } ... on Pattern { id } } } } }`;
    const related = ok(await graphql(stack.gatewayUrl, RELATED, { id: ids.db }, b)).session.related;
    expect(related.length).toBeGreaterThan(0);
    expect(related.map((r: { entity: { id: string } }) => r.entity.id)).not.toContain(ids.db);
    expect(related.map((r: { entity: { id: string } }) => r.entity.id)).not.toContain(ids.secret);
    // The PRIVATE session shares the auth session's words and meaning: its owner sees it first, others never.
    const ofAuth = (token: string) => graphql(stack.gatewayUrl, RELATED, { id: ids.auth }, token);
    const own = ok(await ofAuth(a)).session.related;
    expect(own[0]).toMatchObject({ entity: { id: ids.secret }, explanation: { rank: 1, matchedTerms: expect.arrayContaining(['oauth', 'callback']) } });
    expect(ok(await ofAuth(b)).session.related.map((r: { entity: { id: string } }) => r.entity.id)).not.toContain(ids.secret);
  });
});

describe('ranking', () => {
  const EXPLAINED = `query Search($query: String!, $filter: SearchFilter, $mode: SearchMode) {
    search(query: $query, filter: $filter, mode: $mode) {
      hits { score explanation { rank matchedTerms expandedTerms lexicalScore similarity lexicalRank semanticRank } entity { ... on Session { id title } ... on Pattern { id } ... on Checkpoint { id title } } }
    }
  }`;

  it('explains each hit: words matched, similarity, ranks before combining', async () => {
    const hits = ok(await graphql(stack.gatewayUrl, EXPLAINED, { query: 'login fails since the identity provider change' }, b)).search.hits;
    expect(hits[0].entity.id).toBe(ids.auth);
    expect(hits.map((h: { explanation: { rank: number } }) => h.explanation.rank)).toEqual(hits.map((_: unknown, i: number) => i + 1));
    const top = hits[0].explanation;
    expect(top.matchedTerms).toEqual(expect.arrayContaining(['ident', 'provid']));
    expect(top.expandedTerms).toContain('sso');
    expect(top.lexicalScore).toBeGreaterThan(0);
    expect(top.similarity).toBeGreaterThan(0.3);
    expect(top.lexicalRank).toBe(1);
    expect(top.semanticRank).toBe(1);
    const lexical = ok(await graphql(stack.gatewayUrl, EXPLAINED, { query: 'composite index', mode: 'LEXICAL' }, b)).search.hits[0];
    expect(lexical.explanation).toMatchObject({ rank: 1, matchedTerms: expect.arrayContaining(['composit', 'index']), similarity: null, semanticRank: null, lexicalRank: 1 });
  });

  it('ranks the session about sign-in above an empty automatic checkpoint for the seed\'s question', async () => {
    const c = await stack.token('search-c');
    const empty = ok(await graphql(stack.gatewayUrl, `mutation { createCheckpoint(input: { auto: true, privacyLevel: TEAM }) { id title summary content } }`, {}, c)).createCheckpoint;
    await stack.search.indexer.catchUp();
    const hits = ok(await graphql(stack.gatewayUrl, EXPLAINED, { query: 'Show me all sessions about authentication implementation' }, b)).search.hits;
    expect(hits[0].entity.id).toBe(ids.auth);
    expect(hits.map((h: { entity: { id: string } }) => h.entity.id).indexOf(empty.id)).not.toBe(0);
  });

  it('leaves out what matches neither the words nor the meaning of the question', async () => {
    const second = await createSession(a, { privacyLevel: 'TEAM', title: 'Second' });
    const third = await createSession(a, { privacyLevel: 'TEAM', title: 'Third' });
    const ci = await createSession(a, { privacyLevel: 'TEAM', title: 'Integration job killed by the CI timeout after 60 minutes', tags: ['ci'] });
    await stack.search.indexer.catchUp();
    const found = hitIds(await search(b, 'CI timeout'));
    expect(found[0]).toBe(ci);
    expect(found).not.toContain(second);
    expect(found).not.toContain(third);
    expect(found).not.toContain(ids.pattern);
  });
});

describe('the indexer', () => {
  it('survives a crash mid-batch without losing or duplicating work', async () => {
    const { database } = stack.deps;
    const before = ok(await graphql(stack.gatewayUrl, '{ indexStatus { documents } }', {}, a)).indexStatus.documents;
    await stack.search.indexer.stop();
    for (let i = 0; i < 12; i++) await createSession(a, { privacyLevel: 'TEAM', title: `crash test session ${i}` });
    const embeddings = await createEmbeddingProvider(stack.config);
    const vectors = await createVectorStore(stack.config, database);
    let upserts = 0;
    const failing: VectorStore = Object.assign(Object.create(vectors) as VectorStore, {
      async upsert(records: Parameters<VectorStore['upsert']>[0]) {
        await vectors.upsert(records);
        if (++upserts === 2) throw new Error('simulated crash after writing vectors, before the batch commits');
      },
    });
    const crashing = new Indexer({ database, documents: new DocumentIndexForTests(database.db), vectors: failing, embeddings, batchSize: 5, pollIntervalMs: 60_000, logger: stack.deps.logger });
    await crashing.start();
    await crashing.catchUp().catch(() => undefined);
    await crashing.stop();
    const restarted = new Indexer({ database, documents: new DocumentIndexForTests(database.db), vectors, embeddings, batchSize: 5, pollIntervalMs: 60_000, logger: stack.deps.logger });
    await restarted.start();
    await restarted.catchUp();
    const status = ok(await graphql(stack.gatewayUrl, '{ indexStatus { documents vectors feeds { lag } } }', {}, a)).indexStatus;
    expect(status.documents).toBe(before + 12);
    expect(status.vectors).toBe(status.documents);
    expect(status.feeds.every((f: { lag: number }) => f.lag === 0)).toBe(true);
    await restarted.stop();
  });

  it('reindexes everything when the embedding model changes', async () => {
    const { database } = stack.deps;
    const base = await createEmbeddingProvider(stack.config);
    const other: EmbeddingProvider = {
      modelId: `${base.modelId}-other`,
      dimensions: base.dimensions,
      embed: (texts) => base.embed(texts),
    };
    const vectors = await createVectorStore(stack.config, database);
    const indexer = new Indexer({ database, documents: new DocumentIndexForTests(database.db), vectors, embeddings: other, batchSize: 50, pollIntervalMs: 60_000, logger: stack.deps.logger });
    await indexer.start();
    // The service that meets a new model is the one restarted with it: count through the new store.
    const status = ok(await graphql(stack.gatewayUrl, '{ indexStatus { documents } }', {}, a)).indexStatus;
    expect(await vectors.count()).toBe(status.documents);
    expect(await vectors.init(other.modelId, other.dimensions)).toBe(true);
    expect(await vectors.init(base.modelId, base.dimensions)).toBe(false);
    await indexer.stop();
  });
});
