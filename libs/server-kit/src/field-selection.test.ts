import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from '@jest/globals';
import { selectsField } from './field-selection.js';

const schema = buildSchema(`
  type Message { text: String }
  type Session { id: ID, content: [Message], submodule: Submodule }
  type Submodule { id: ID, content: String }
  type SessionConnection { nodes: [Session] }
  type Query { sessions: SessionConnection }
`);

/** Runs `query` and reports whether `sessions` saw `nodes { content }` selected. */
async function asksForContent(query: string): Promise<boolean> {
  let seen: boolean | undefined;
  const rootValue = {
    sessions: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      seen = selectsField(info, ['nodes', 'content']);
      return { nodes: [] };
    },
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  return seen ?? false;
}

describe('selectsField', () => {
  it('finds a field selected directly or under an alias', async () => {
    expect(await asksForContent('{ sessions { nodes { id content { text } } } }')).toBe(true);
    expect(await asksForContent('{ sessions { items: nodes { messages: content { text } } } }')).toBe(true);
  });

  it('finds a field inside named and inline fragments', async () => {
    expect(await asksForContent('{ sessions { ...Page } } fragment Page on SessionConnection { nodes { ...Full } } fragment Full on Session { content { text } }')).toBe(true);
    expect(await asksForContent('{ sessions { nodes { ... on Session { content { text } } } } }')).toBe(true);
  });

  it('counts a field under @include or @skip, which only reads more', async () => {
    expect(await asksForContent('{ sessions { nodes { id content @include(if: false) { text } } } }')).toBe(true);
  });

  it('is false when the field is absent or only appears elsewhere', async () => {
    expect(await asksForContent('{ sessions { nodes { id } } }')).toBe(false);
    expect(await asksForContent('{ sessions { nodes { submodule { content } } } }')).toBe(false);
  });
});
