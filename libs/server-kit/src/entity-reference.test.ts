import { describe, expect, it } from '@jest/globals';
import type { RequestContext } from './context.js';
import { readableReference } from './entity-reference.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';

/** Only `loaders` is read by readableReference. */
function request(): RequestContext {
  return { loaders: new Map() } as unknown as RequestContext;
}

describe('readableReference', () => {
  it('checks the references of one request in one call and resolves the unreadable ones to null', async () => {
    const calls: string[][] = [];
    const readable = async (ids: readonly string[]) => {
      calls.push([...ids]);
      return new Set(ids.filter((id) => id !== B));
    };
    const context = request();
    const refs = [A, B, C, 'not-a-uuid'].map((id) => ({ __typename: 'Session', id }));
    const resolved = await Promise.all(refs.map((ref) => readableReference(context, 'Session', readable, ref)));
    expect(resolved).toEqual([refs[0], null, refs[2], null]);
    // One batch, without the id that cannot be an entity id (it would fail the whole SQL statement).
    expect(calls).toEqual([[A, B, C]]);
  });

  it('keeps one batch per type and per request', async () => {
    let calls = 0;
    const readable = async (ids: readonly string[]) => {
      calls++;
      return new Set(ids);
    };
    const context = request();
    await Promise.all([readableReference(context, 'Session', readable, { id: A }), readableReference(context, 'Pattern', readable, { id: A })]);
    expect(calls).toBe(2);
    await readableReference(request(), 'Session', readable, { id: A });
    expect(calls).toBe(3);
  });
});
