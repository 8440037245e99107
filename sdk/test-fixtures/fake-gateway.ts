/**
 * An in-memory stand-in for the gateway, for the SDK's unit tests: enough of
 * sessions, patterns and the change feed to drive the outbox and the pull,
 * and switches to fail the way a real network does. The e2e suites use the
 * real stack.
 */
import type { Pattern, Session } from '../src/entities.js';

class GqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly path?: string[],
  ) {
    super(message);
  }
}

/** `pass`: this call goes through (to fail a later one). */
type Failure = { type: 'network' } | { type: 'status'; status: number } | { type: 'code'; code: string } | { type: 'pass' };

export interface FakeGateway {
  fetch: typeof fetch;
  sessions: Map<string, Session>;
  patterns: Map<string, Pattern>;
  /** Operation names in the order they arrived; a batched push adds the single mutation of each of its writes, in order. */
  calls: string[];
  /** The number of writes of each batched push (PushWrites), in order. */
  pushes: number[];
  down: boolean;
  /** Failures for the next calls of an operation (by name), used up in order. */
  failNext(operation: string, ...failures: Failure[]): void;
  /** Another client's edit: bumps the version. */
  editOnServer(id: string, title: string): Session;
  deleteOnServer(id: string): void;
  /**
   * Compacts the sessions feed as the server's retention does: tombstones and
   * superseded entries go, and a cursor older than now gets CURSOR_EXPIRED.
   */
  compactFeed(): void;
  /** Makes recordPattern merge any pattern with this name into `id`. */
  mergeName(name: string, id: string): void;
}

export function fakeGateway(): FakeGateway {
  const sessions = new Map<string, Session>();
  const patterns = new Map<string, Pattern>();
  const replies = new Map<string, unknown>();
  const feed: Array<{ id: string; op: 'UPSERT' | 'DELETE'; version: number; compacted?: boolean }> = [];
  let horizon = 0;
  const failures = new Map<string, Failure[]>();
  const merges = new Map<string, string>();
  const calls: string[] = [];
  const pushes: number[] = [];
  /** A failure injected for one write of a batch that fails the whole request, as a real server's would. */
  class Forced extends Error {
    constructor(readonly failure: Failure) {
      super('forced');
    }
  }
  /** Codes a real server answers per write (REJECTED) rather than for the whole request. */
  const perWrite = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'EPHEMERAL_NOT_PERSISTED', 'PAYLOAD_TOO_LARGE']);
  /** One write of a batch, through the single mutation's handler (`pick` takes the entity from its answer). */
  const batchWrite = (op: string, key: string, vars: Record<string, any>, pick: (data: any) => unknown, id?: string) => {
    const failure = failures.get(op)?.shift();
    if (failure && failure.type !== 'pass') {
      if (failure.type === 'code' && perWrite.has(failure.code)) return { idempotencyKey: key, status: 'REJECTED', code: failure.code, message: `forced ${failure.code}`, entity: null };
      throw new Forced(failure);
    }
    calls.push(op);
    try {
      return { idempotencyKey: key, status: 'APPLIED', entity: pick(handlers[op]!(vars)) ?? null, code: null, message: null, currentVersion: null };
    } catch (err) {
      if (!(err instanceof GqlError)) throw err;
      if (err.code === 'CONFLICT') {
        return { idempotencyKey: key, status: 'CONFLICT', entity: (id && sessions.get(id)) ?? null, currentVersion: err.extensions.currentVersion ?? null, code: 'CONFLICT', message: err.message };
      }
      return { idempotencyKey: key, status: 'REJECTED', entity: null, currentVersion: null, code: err.code, message: err.message };
    }
  };
  const now = () => new Date().toISOString();

  const session = (id: string): Session => {
    const s = sessions.get(id);
    if (!s) throw new GqlError('NOT_FOUND', `Session ${id} not found.`);
    return s;
  };
  const idempotent = (key: unknown, run: () => unknown) => {
    if (typeof key === 'string' && replies.has(key)) return replies.get(key);
    const result = run();
    if (typeof key === 'string') replies.set(key, result);
    return result;
  };
  const write = (s: Session, op: 'UPSERT' | 'DELETE' = 'UPSERT') => {
    if (op === 'UPSERT') sessions.set(s.id, s);
    feed.push({ id: s.id, op, version: s.version });
    return s;
  };

  const handlers: Record<string, (v: Record<string, any>) => unknown> = {
    CreateSession: ({ input }) => ({
      createSession: idempotent(input.idempotencyKey, () => {
        if (input.privacyLevel === 'EPHEMERAL') throw new GqlError('EPHEMERAL_NOT_PERSISTED', 'EPHEMERAL is never stored.');
        if (!String(input.title).trim()) throw new GqlError('BAD_USER_INPUT', 'input.title must not be empty');
        if (sessions.has(input.id)) throw new GqlError('CONFLICT', `A session with id ${input.id} already exists.`);
        const at = now();
        return write({
          id: input.id,
          submoduleId: 'unit',
          privacyLevel: input.privacyLevel,
          title: input.title,
          description: input.description ?? null,
          tags: input.tags ?? [],
          startedAt: null,
          endedAt: null,
          content: (input.content ?? []).map((m: { role: string; text: string }) => ({ role: m.role, text: m.text, at: null })),
          contentHash: 'hash',
          contentBytes: 0,
          redaction: { total: 0, counts: [] },
          version: 1,
          createdAt: at,
          updatedAt: at,
        });
      }),
    }),
    UpdateSession: ({ id, baseVersion, input }) => ({
      updateSession: idempotent(input.idempotencyKey, () => {
        const current = session(id);
        if (current.version !== baseVersion) throw new GqlError('CONFLICT', `Session ${id} is at version ${current.version}`, { currentVersion: current.version });
        const { idempotencyKey: _key, ...patch } = input;
        return write({ ...current, ...patch, version: current.version + 1, updatedAt: now() });
      }),
    }),
    DeleteSession: ({ id, idempotencyKey }) => ({
      deleteSession: idempotent(idempotencyKey, () => {
        const current = session(id);
        sessions.delete(id);
        write({ ...current, version: current.version + 1 }, 'DELETE');
        return { id, deleted: true, purgeAfter: now() };
      }),
    }),
    GetSession: ({ id }) => ({ session: session(id) }),
    GetSessions: ({ ids }) => ({ sessionsByIds: (ids as string[]).map((id) => sessions.get(id) ?? null) }),
    GetPatterns: ({ ids }) => ({ patternsByIds: (ids as string[]).map((id) => patterns.get(id) ?? null) }),
    // This stand-in keeps no checkpoints.
    GetCheckpoints: ({ ids }) => ({ checkpointsByIds: (ids as string[]).map(() => null) }),
    ListSessions: ({ first }) => {
      const nodes = [...sessions.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, first ?? 20);
      return { sessions: { nodes, pageInfo: { endCursor: null, hasNextPage: false } } };
    },
    RecordPattern: ({ input }) => ({
      recordPattern: idempotent(input.idempotencyKey, () => {
        const into = merges.get(input.name);
        const existing = into ? patterns.get(into) : undefined;
        if (existing) {
          const merged = { ...existing, occurrences: existing.occurrences + 1, version: existing.version + 1 };
          patterns.set(merged.id, merged);
          return { outcome: 'MERGED', pattern: merged };
        }
        const at = now();
        const created: Pattern = {
          id: input.id,
          kind: input.kind,
          name: input.name,
          description: input.description ?? null,
          body: input.body ?? null,
          tags: input.tags ?? [],
          privacyLevel: input.privacyLevel,
          submoduleId: 'unit',
          occurrences: 1,
          usageCount: 0,
          firstSeenAt: at,
          lastSeenAt: at,
          version: 1,
          createdAt: at,
          updatedAt: at,
        };
        patterns.set(created.id, created);
        return { outcome: 'CREATED', pattern: created };
      }),
    }),
    UsePattern: ({ id, idempotencyKey }) => ({
      usePattern: idempotent(idempotencyKey, () => {
        const p = patterns.get(id);
        if (!p) throw new GqlError('NOT_FOUND', `Pattern ${id} not found.`);
        const used = { ...p, usageCount: p.usageCount + 1, version: p.version + 1 };
        patterns.set(id, used);
        return used;
      }),
    }),
    GetPattern: ({ id }) => {
      const p = patterns.get(id);
      if (!p) throw new GqlError('NOT_FOUND', `Pattern ${id} not found.`);
      return { pattern: p };
    },
    PushWrites: (v) => {
      pushes.push(v.sessionWrites.length + v.patternWrites.length + v.checkpointWrites.length);
      const withKey = (input: Record<string, unknown>, key: string) => ({ ...input, idempotencyKey: key });
      const sessionResults = (v.sessionWrites as any[]).map((w) => {
        const k = w.idempotencyKey;
        if (w.create) return batchWrite('CreateSession', k, { input: withKey(w.create, k) }, (d) => d.createSession, w.create.id);
        if (w.update) return batchWrite('UpdateSession', k, { id: w.update.id, baseVersion: w.update.baseVersion, input: withKey(w.update.input, k) }, (d) => d.updateSession, w.update.id);
        return batchWrite('DeleteSession', k, { ...w.delete, idempotencyKey: k }, () => null, w.delete.id);
      });
      const patternResults = (v.patternWrites as any[]).map((w) => {
        const k = w.idempotencyKey;
        if (w.record) return batchWrite('RecordPattern', k, { input: withKey(w.record, k) }, (d) => d.recordPattern.pattern);
        if (w.use) return batchWrite('UsePattern', k, { id: w.use.id, idempotencyKey: k }, (d) => d.usePattern);
        return batchWrite('DeletePattern', k, { ...w.delete, idempotencyKey: k }, () => null);
      });
      const rename = (results: Array<Record<string, unknown>>, field: string) => results.map(({ entity, ...r }) => ({ ...r, [field]: entity }));
      return {
        ...(v.withSessions ? { applySessionWrites: rename(sessionResults, 'session') } : {}),
        ...(v.withPatterns ? { applyPatternWrites: rename(patternResults, 'pattern').map((r) => ({ ...r, merged: false })) } : {}),
        ...(v.withCheckpoints ? { applyCheckpointWrites: [] } : {}),
      };
    },
    PullChanges: (v) => {
      const page = (after: string | null, limit: number) => {
        // A cursor is `seq` or, while a read from the beginning is below the horizon, `seq:floor` (as the server's).
        const [start, floor] = after ? after.split(':').map(Number) : [0, horizon];
        if (start! > 0 && horizon > Math.max(start!, floor ?? 0)) throw new GqlError('CURSOR_EXPIRED', 'compacted past this cursor', { feed: 'sessionChanges', resync: 'omit-after' });
        const entries = feed.slice(start, start! + limit).filter((e) => !e.compacted);
        return {
          changes: entries.map((e) => {
            const entity = sessions.get(e.id) ?? null;
            return { op: entity ? 'UPSERT' : 'DELETE', id: e.id, version: entity?.version ?? e.version, at: now(), entity };
          }),
          cursor: start! + limit < feed.length ? `${start! + limit}:${floor ?? 0}` : String(feed.length),
          hasMore: start! + limit < feed.length,
        };
      };
      const empty = { changes: [], cursor: 'end', hasMore: false };
      return {
        ...(v.withSessions ? { sessionChanges: page(v.sessionsAfter, v.limit) } : {}),
        ...(v.withPatterns ? { patternChanges: empty } : {}),
        ...(v.withCheckpoints ? { checkpointChanges: empty } : {}),
      };
    },
  };

  const gateway: FakeGateway = {
    sessions,
    patterns,
    calls,
    pushes,
    down: false,
    failNext(operation, ...list) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...list]);
    },
    editOnServer(id, title) {
      const current = session(id);
      return write({ ...current, title, version: current.version + 1 });
    },
    deleteOnServer(id) {
      const current = session(id);
      sessions.delete(id);
      write({ ...current, version: current.version + 1 }, 'DELETE');
    },
    compactFeed() {
      feed.forEach((entry, i) => {
        if (entry.op === 'DELETE' || feed.some((later, j) => j > i && later.id === entry.id)) entry.compacted = true;
      });
      horizon = feed.length;
    },
    mergeName(name, id) {
      merges.set(name, id);
    },
    fetch: (async (_url: string | URL | Request, init?: RequestInit) => {
      if (gateway.down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      const { query, variables } = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
      const name = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
      if (name !== 'PushWrites') calls.push(name);
      const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      const fail = (failure: Failure | undefined): Response | undefined => {
        if (failure?.type === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        if (failure?.type === 'status') return new Response('<html>Bad gateway</html>', { status: failure.status });
        if (failure?.type === 'code') return reply({ data: null, errors: [{ message: `forced ${failure.code}`, extensions: { code: failure.code } }] }, failure.code === 'UNAUTHENTICATED' ? 401 : 200);
        return undefined;
      };
      const failed = fail(failures.get(name)?.shift());
      if (failed) return failed;
      const handler = handlers[name];
      if (!handler) return reply({ errors: [{ message: `fake gateway has no ${name}`, extensions: { code: 'BAD_USER_INPUT' } }] }, 400);
      try {
        return reply({ data: handler(variables) });
      } catch (err) {
        if (err instanceof Forced) return fail(err.failure)!;
        if (err instanceof GqlError) return reply({ data: null, errors: [{ message: err.message, ...(err.path ? { path: err.path } : {}), extensions: { code: err.code, ...err.extensions } }] });
        throw err;
      }
    }) as typeof fetch,
  };
  return gateway;
}

/** A JWT-shaped token for submodule `sub` (the fake gateway does not check it). */
export function fakeToken(sub = 'unit'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub, scope: 'memory:read memory:write' })}.x`;
}
