import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { graphql, ok, startTestStack, type GraphQLResponse, type TestStack } from './src/index.js';

/**
 * The read rule holds on every entity reference: a subgraph asked for an
 * entity the caller may not read, directly on its port with any valid token
 * or through the gateway, resolves it to null and lists nothing through it.
 */

const SESSION_REFS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id } } }`;

let stack: TestStack;
let owner: string;
let other: string;
let admin: string;

/** What submodule `ea-owner` wrote: every link runs through its PRIVATE session. */
const ids = {} as {
  privateSession: string;
  teamSession: string;
  teamPattern: string;
  privatePattern: string;
  teamCheckpoint: string;
  privateCheckpoint: string;
};

async function create(token: string, mutation: string, input: Record<string, unknown>): Promise<string> {
  const data = ok(await graphql(stack.gatewayUrl, mutation, { input }, token)) as Record<string, { id?: string; pattern?: { id: string } }>;
  const payload = Object.values(data)[0]!;
  return (payload.pattern?.id ?? payload.id)!;
}

const CREATE_SESSION = `mutation($input: CreateSessionInput!) { createSession(input: $input) { id } }`;
const RECORD_PATTERN = `mutation($input: RecordPatternInput!) { recordPattern(input: $input) { pattern { id } } }`;
const CREATE_CHECKPOINT = `mutation($input: CreateCheckpointInput!) { createCheckpoint(input: $input) { id } }`;

const KUBERNETES = [{ role: 'user', text: 'Roll back the kubernetes deployment when the canary fails its health probe.', at: '2026-11-01T10:00:00Z' }];

beforeAll(async () => {
  stack = await startTestStack();
  owner = await stack.token('ea-owner');
  other = await stack.token('ea-other');
  admin = await stack.token('ea-ops', ['memory:read', 'memory:write', 'memory:admin']);
  ids.privateSession = await create(owner, CREATE_SESSION, { privacyLevel: 'PRIVATE', title: 'Kubernetes canary rollback', content: KUBERNETES });
  ids.teamSession = await create(owner, CREATE_SESSION, { privacyLevel: 'TEAM', title: 'Kubernetes canary rollback plan', content: KUBERNETES });
  ids.teamPattern = await create(owner, RECORD_PATTERN, {
    privacyLevel: 'TEAM',
    kind: 'WORKFLOW',
    name: 'Roll back a failed kubernetes canary',
    sourceSessionIds: [ids.privateSession],
  });
  ids.privatePattern = await create(owner, RECORD_PATTERN, { privacyLevel: 'PRIVATE', kind: 'SOLUTION', name: 'Kubernetes canary probe timeout', sourceSessionIds: [ids.teamSession] });
  ids.teamCheckpoint = await create(owner, CREATE_CHECKPOINT, { privacyLevel: 'TEAM', title: 'Canary rollback done', sessionIds: [ids.privateSession, ids.teamSession] });
  ids.privateCheckpoint = await create(owner, CREATE_CHECKPOINT, { privacyLevel: 'PRIVATE', title: 'Private canary notes', sessionIds: [ids.teamSession] });
  await stack.search.indexer.catchUp();
});
afterAll(async () => stack?.stop());

function entities(url: string, query: string, representations: Array<{ __typename: string; id: string }>, token: string) {
  return graphql<{ _entities: Array<Record<string, unknown> | null> }>(url, query, { r: representations }, token);
}

const session = (id: string) => ({ __typename: 'Session', id });
const pattern = (id: string) => ({ __typename: 'Pattern', id });
const checkpoint = (id: string) => ({ __typename: 'Checkpoint', id });

describe('entity references on each subgraph port, with another submodule’s token', () => {
  it('sessions: a PRIVATE session of another submodule resolves to null', async () => {
    const refs = [session(ids.privateSession), session(ids.teamSession)];
    expect(ok(await entities(stack.subgraphUrls.sessions, SESSION_REFS, refs, other))._entities).toEqual([null, { id: ids.teamSession }]);
    expect(ok(await entities(stack.subgraphUrls.sessions, SESSION_REFS, refs, owner))._entities).toEqual([{ id: ids.privateSession }, { id: ids.teamSession }]);
  });

  it('search: Session.related and Pattern.related of an entity the caller cannot read reveal nothing', async () => {
    const related = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Session { id related(limit: 3) { score snippet entity { ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } } }
      ... on Pattern { id related(limit: 3) { score snippet } }
    } }`;
    const refs = [session(ids.privateSession), pattern(ids.privatePattern), session(ids.teamSession)];
    const seen = ok(await entities(stack.subgraphUrls.search, related, refs, other))._entities;
    expect(seen.slice(0, 2)).toEqual([null, null]);
    // The readable session still has neighbours, none of them the owner's private ones.
    const neighbours = (seen[2]?.related as Array<{ entity: { id: string } }>).map((h) => h.entity.id);
    expect(neighbours).toContain(ids.teamPattern);
    expect(neighbours).not.toContain(ids.privateSession);

    const mine = ok(await entities(stack.subgraphUrls.search, related, refs, owner))._entities;
    expect((mine[0]?.related as unknown[]).length).toBeGreaterThan(0);
    expect((mine[1]?.related as unknown[]).length).toBeGreaterThan(0);
  });

  it('patterns: Session.patterns of a PRIVATE session, a PRIVATE pattern and its sources stay hidden', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Session { id patterns { id } }
      ... on Pattern { id sourceSessions { id } }
    } }`;
    const refs = [session(ids.privateSession), pattern(ids.privatePattern), pattern(ids.teamPattern), session(ids.teamSession)];
    expect(ok(await entities(stack.subgraphUrls.patterns, query, refs, other))._entities).toEqual([
      null,
      null,
      { id: ids.teamPattern, sourceSessions: [] },
      { id: ids.teamSession, patterns: [] },
    ]);
    expect(ok(await entities(stack.subgraphUrls.patterns, query, refs, owner))._entities).toEqual([
      { id: ids.privateSession, patterns: [{ id: ids.teamPattern }] },
      { id: ids.privatePattern, sourceSessions: [{ id: ids.teamSession }] },
      { id: ids.teamPattern, sourceSessions: [{ id: ids.privateSession }] },
      { id: ids.teamSession, patterns: [{ id: ids.privatePattern }] },
    ]);
  });

  it('checkpoints: Session.checkpoints of a PRIVATE session, a PRIVATE checkpoint and Checkpoint.sessions stay hidden', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Session { id checkpoints { id } }
      ... on Checkpoint { id sessions { id } }
    } }`;
    const refs = [session(ids.privateSession), checkpoint(ids.privateCheckpoint), checkpoint(ids.teamCheckpoint)];
    expect(ok(await entities(stack.subgraphUrls.checkpoints, query, refs, other))._entities).toEqual([
      null,
      null,
      { id: ids.teamCheckpoint, sessions: [{ id: ids.teamSession }] },
    ]);
    const mine = ok(await entities(stack.subgraphUrls.checkpoints, query, refs, owner))._entities;
    expect(mine[0]).toEqual({ id: ids.privateSession, checkpoints: [{ id: ids.teamCheckpoint }] });
    expect(mine[1]).toEqual({ id: ids.privateCheckpoint, sessions: [{ id: ids.teamSession }] });
  });

  it('a reference whose id is not a UUID resolves to null on every subgraph', async () => {
    const bogus = 'not-a-uuid';
    const cases = [
      { url: stack.subgraphUrls.sessions, query: SESSION_REFS },
      { url: stack.subgraphUrls.patterns, query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id patterns { id } } } }` },
      { url: stack.subgraphUrls.checkpoints, query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id checkpoints { id } } } }` },
      { url: stack.subgraphUrls.search, query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id related { score } } } }` },
    ];
    for (const c of cases) expect(ok(await entities(c.url, c.query, [session(bogus), session(ids.teamSession)], other))._entities[0]).toBeNull();
  });

  it('an admin token resolves every reference', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id patterns { id } } ... on Pattern { id sourceSessions { id } } } }`;
    expect(ok(await entities(stack.subgraphUrls.patterns, query, [session(ids.privateSession), pattern(ids.privatePattern)], admin))._entities).toEqual([
      { id: ids.privateSession, patterns: [{ id: ids.teamPattern }] },
      { id: ids.privatePattern, sourceSessions: [{ id: ids.teamSession }] },
    ]);
    const related = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id related(limit: 1) { score } } } }`;
    const [seen] = ok(await entities(stack.subgraphUrls.search, related, [session(ids.privateSession)], admin))._entities;
    expect((seen?.related as unknown[]).length).toBe(1);
  });
});

describe('the same walks through the gateway', () => {
  it('does not offer _entities at all', async () => {
    const res = await entities(stack.gatewayUrl, SESSION_REFS, [session(ids.privateSession)], other);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res)).not.toContain('Kubernetes');
  });

  it('a readable session shows only what the caller may read behind it', async () => {
    const res = await graphql(
      stack.gatewayUrl,
      `query($id: ID!) { session(id: $id) {
        id patterns { id sourceSessions { id } } checkpoints { id sessions { id } } related(limit: 10) { entity { ... on Session { id } ... on Pattern { id } ... on Checkpoint { id } } }
      } }`,
      { id: ids.teamSession },
      other,
    );
    const seen = ok(res).session;
    expect(seen.patterns).toEqual([]);
    expect(seen.checkpoints).toEqual([{ id: ids.teamCheckpoint, sessions: [{ id: ids.teamSession }] }]);
    const text = JSON.stringify(seen);
    for (const hidden of [ids.privateSession, ids.privatePattern, ids.privateCheckpoint]) expect(text).not.toContain(hidden);
  });

  it('a TEAM pattern learned from a PRIVATE session lists no source, and the private ids read as NOT_FOUND', async () => {
    const seen = ok(await graphql(stack.gatewayUrl, `query($id: ID!) { pattern(id: $id) { id sourceSessions { id } related(limit: 10) { entity { ... on Session { id } } } } }`, { id: ids.teamPattern }, other)).pattern;
    expect(seen.sourceSessions).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain(ids.privateSession);
    const hidden = await graphql(stack.gatewayUrl, `query($id: ID!) { session(id: $id) { id } }`, { id: ids.privateSession }, other);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('reads by many ids (sessionsByIds, patternsByIds, checkpointsByIds)', () => {
  const cases = [
    { field: 'sessionsByIds', hidden: () => ids.privateSession, readable: () => ids.teamSession },
    { field: 'patternsByIds', hidden: () => ids.privatePattern, readable: () => ids.teamPattern },
    { field: 'checkpointsByIds', hidden: () => ids.privateCheckpoint, readable: () => ids.teamCheckpoint },
  ];
  const read = (field: string, list: unknown, token: string) => graphql<Record<string, Array<{ id: string } | null>>>(stack.gatewayUrl, `query($ids: [ID!]!) { ${field}(ids: $ids) { id } }`, { ids: list }, token);

  for (const c of cases) {
    it(`${c.field} answers in the order asked, null where the single read is NOT_FOUND`, async () => {
      const unknown = uuidv7();
      const asked = [c.hidden(), unknown, c.readable(), c.hidden(), c.readable()];
      expect(ok(await read(c.field, asked, other))[c.field]).toEqual([null, null, { id: c.readable() }, null, { id: c.readable() }]);
      expect(ok(await read(c.field, asked, owner))[c.field]).toEqual([{ id: c.hidden() }, null, { id: c.readable() }, { id: c.hidden() }, { id: c.readable() }]);
      expect(ok(await read(c.field, [], other))[c.field]).toEqual([]);
    });

    it(`${c.field} refuses a malformed id and more than 100 ids with BAD_USER_INPUT`, async () => {
      for (const list of [['not-a-uuid'], Array.from({ length: 101 }, () => uuidv7())]) {
        const res = await read(c.field, list, other);
        expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(res.data?.[c.field] ?? null).toBeNull();
      }
      expect(ok(await read(c.field, Array.from({ length: 100 }, () => uuidv7()), other))[c.field]).toHaveLength(100);
    });
  }
});

/** The error of a response with the given id replaced, so answers about different ids compare equal. */
function answer(res: GraphQLResponse<unknown>, id: string) {
  const [error] = res.errors ?? [];
  return { message: error?.message.replaceAll(id, '<id>'), extensions: error?.extensions };
}

describe('an id the caller cannot see answers as any id it cannot have', () => {
  const cases = [
    { kind: 'session', create: CREATE_SESSION, input: { privacyLevel: 'TEAM', title: 'mine now' }, hidden: () => ids.privateSession, readable: () => ids.teamSession, read: 'session' },
    { kind: 'pattern', create: RECORD_PATTERN, input: { privacyLevel: 'TEAM', kind: 'SOLUTION', name: 'a fresh lesson' }, hidden: () => ids.privatePattern, readable: () => ids.teamPattern, read: 'pattern' },
    { kind: 'checkpoint', create: CREATE_CHECKPOINT, input: { privacyLevel: 'TEAM', title: 'mine now' }, hidden: () => ids.privateCheckpoint, readable: () => ids.teamCheckpoint, read: 'checkpoint' },
  ];

  for (const c of cases) {
    it(`creating a ${c.kind} with a taken id gives one CONFLICT whoever holds it, and reading it one NOT_FOUND`, async () => {
      const attempt = async (id: string) => graphql(stack.gatewayUrl, c.create, { input: { ...c.input, id } }, other);
      const hidden = await attempt(c.hidden());
      const readable = await attempt(c.readable());
      expect(hidden.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(answer(hidden, c.hidden())).toEqual(answer(readable, c.readable()));
      expect(hidden.errors?.[0]?.message).not.toMatch(/ea-owner|PRIVATE|private/);

      const read = (id: string) => graphql(stack.gatewayUrl, `query($id: ID!) { ${c.read}(id: $id) { id } }`, { id }, other);
      const unknown = uuidv7();
      const notVisible = await read(c.hidden());
      expect(notVisible.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(answer(notVisible, c.hidden())).toEqual(answer(await read(unknown), unknown));
    });
  }
});
