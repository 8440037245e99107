import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests only: an in-process stand-in for the part of Qdrant's REST API
 * the QdrantStore uses (collections, payload indexes, points upsert / delete
 * / retrieve / count / query with filters), scanning exactly. It follows
 * Qdrant's documented semantics — must / should / must_not, match value/any
 * (any element of an array payload), datetime range, has_id — so the
 * adapter's requests and filters are exercised without a server. The real
 * server runs the same contract suite when MEMCTX_QDRANT_URL is set.
 */
interface Point {
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

interface Collection {
  size: number;
  distance: string;
  points: Map<string, Point>;
  indexes: Map<string, unknown>;
}

type Json = Record<string, unknown>;

export class FakeQdrant {
  readonly collections = new Map<string, Collection>();
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Json;
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, body });
    const send = (status: number, result: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { result, status: 'ok', time: 0 } : { status: { error: result }, time: 0 }));
    };
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return send(404, `Not found: ${url.pathname}`);
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const collection = this.collections.get(name);
    const missing = () => send(404, `Not found: Collection \`${name}\` doesn't exist!`);
    const completed = { operation_id: this.requests.length, status: 'completed' };

    if (rest === '/exists' && method === 'GET') return send(200, { exists: Boolean(collection) });
    if (rest === '' && method === 'PUT') {
      if (collection) return send(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = body.vectors as { size: number; distance: string };
      if (vectors.distance !== 'Cosine') return send(400, 'fake supports Cosine only');
      this.collections.set(name, { size: vectors.size, distance: vectors.distance, points: new Map(), indexes: new Map() });
      return send(200, true);
    }
    if (rest === '' && method === 'DELETE') {
      this.collections.delete(name);
      return send(200, true);
    }
    if (!collection) return missing();
    if (rest === '' && method === 'GET') {
      return send(200, {
        status: 'green',
        points_count: collection.points.size,
        config: { params: { vectors: { size: collection.size, distance: collection.distance } } },
        payload_schema: Object.fromEntries(collection.indexes),
      });
    }
    if (rest === '/index' && method === 'PUT') {
      collection.indexes.set(String(body.field_name), body.field_schema);
      return send(200, completed);
    }
    if (rest === '/points' && method === 'PUT') {
      for (const p of body.points as Array<{ id: string; vector: number[]; payload?: Json }>) {
        if (p.vector.length !== collection.size) return send(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${p.vector.length}`);
        collection.points.set(String(p.id).toLowerCase(), { id: String(p.id).toLowerCase(), vector: normalize(p.vector), payload: p.payload ?? {} });
      }
      return send(200, completed);
    }
    if (rest === '/points/delete' && method === 'POST') {
      for (const id of body.points as string[]) collection.points.delete(String(id).toLowerCase());
      return send(200, completed);
    }
    if (rest === '/points' && method === 'POST') {
      const ids = (body.ids as string[]).map((id) => String(id).toLowerCase());
      const out = ids
        .map((id) => collection.points.get(id))
        .filter((p): p is Point => p !== undefined)
        .map((p) => ({ id: p.id, ...(body.with_payload === false ? {} : { payload: p.payload }), ...(body.with_vector ? { vector: p.vector } : {}) }));
      return send(200, out);
    }
    if (rest === '/points/count' && method === 'POST') {
      const filter = body.filter as Json | undefined;
      return send(200, { count: [...collection.points.values()].filter((p) => !filter || matches(p, filter)).length });
    }
    if (rest === '/points/query' && method === 'POST') {
      const query = normalize(body.query as number[]);
      if (query.length !== collection.size) return send(400, 'Wrong input: Vector dimension error');
      const filter = body.filter as Json | undefined;
      const limit = Number(body.limit ?? 10);
      const fields = body.with_payload as string[] | boolean | undefined;
      const points = [...collection.points.values()]
        .filter((p) => !filter || matches(p, filter))
        .map((p) => ({ p, score: p.vector.reduce((s, x, k) => s + x * query[k]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map(({ p, score }) => ({
          id: p.id,
          version: 0,
          score,
          payload: Array.isArray(fields) ? Object.fromEntries(fields.map((f) => [f, p.payload[f]])) : fields ? p.payload : undefined,
        }));
      return send(200, { points });
    }
    return send(404, `fake qdrant does not implement ${method} ${url.pathname}`);
  }
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n === 0 ? v : v.map((x) => x / n);
}

function matches(point: Point, filter: Json): boolean {
  const must = (filter.must as Json[] | undefined) ?? [];
  const should = (filter.should as Json[] | undefined) ?? [];
  const mustNot = (filter.must_not as Json[] | undefined) ?? [];
  if (!must.every((c) => condition(point, c))) return false;
  if (should.length > 0 && !should.some((c) => condition(point, c))) return false;
  if (mustNot.some((c) => condition(point, c))) return false;
  return true;
}

function condition(point: Point, c: Json): boolean {
  if ('must' in c || 'should' in c || 'must_not' in c) return matches(point, c);
  if ('has_id' in c) return (c.has_id as string[]).map((id) => id.toLowerCase()).includes(point.id);
  const key = String(c.key);
  const raw = point.payload[key];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if ('match' in c) {
    const match = c.match as { value?: unknown; any?: unknown[] };
    if ('value' in match) return values.includes(match.value);
    if ('any' in match) return values.some((v) => match.any!.includes(v));
    throw new Error(`fake qdrant: unsupported match ${JSON.stringify(match)}`);
  }
  if ('range' in c) {
    const range = c.range as { gte?: string; gt?: string; lt?: string; lte?: string };
    return values.some((v) => {
      const t = Date.parse(String(v));
      if (range.gte !== undefined && !(t >= Date.parse(range.gte))) return false;
      if (range.gt !== undefined && !(t > Date.parse(range.gt))) return false;
      if (range.lt !== undefined && !(t < Date.parse(range.lt))) return false;
      if (range.lte !== undefined && !(t <= Date.parse(range.lte))) return false;
      return true;
    });
  }
  throw new Error(`fake qdrant: unsupported condition ${JSON.stringify(c)}`);
}
