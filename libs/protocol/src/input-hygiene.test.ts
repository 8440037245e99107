import { describe, expect, it } from '@jest/globals';
import { findArgumentsProblem, findInputProblem } from './input-hygiene.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('input hygiene', () => {
  it('accepts ordinary text, emoji (surrogate pairs) and moderate nesting', () => {
    expect(findArgumentsProblem({ input: { title: 'fix 🚀 bug', content: [{ text: 'ok\ttab\nline' }], body: nested(40) } })).toBeNull();
  });

  it('names the argument path of a NUL character', () => {
    expect(findArgumentsProblem({ input: { content: [{ text: 'a' }, { text: 'b' }, { text: 'x\u0000y' }] } })).toMatchObject({
      path: 'input.content[2].text',
      reason: 'nul',
    });
  });

  it('finds lone high and low surrogates but not pairs', () => {
    expect(findInputProblem('a\uD83D', 'q')).toMatchObject({ path: 'q', reason: 'lone-surrogate' });
    expect(findInputProblem('\uDE80b', 'q')).toMatchObject({ reason: 'lone-surrogate' });
    expect(findInputProblem('\uD83D\uDE80', 'q')).toBeNull();
  });

  it('checks object keys too', () => {
    expect(findInputProblem({ body: { 'k\u0000': 1 } }, 'input')).toMatchObject({ path: 'input.body["k?"]', reason: 'nul' });
  });

  it('rejects nesting past the limit without overflowing the stack', () => {
    expect(findInputProblem({ body: nested(5000) }, 'input')).toMatchObject({ reason: 'too-deep' });
    expect(findInputProblem(nested(10), 'input', 8)?.path).toBe('input.a.a.a.a.a.a.a.a');
    expect(findInputProblem(nested(8), 'input', 8)).toBeNull();
  });

  it('reports the first problem in document order', () => {
    expect(findArgumentsProblem({ input: { tags: ['ok', 'b\u0000'], title: 'c\u0000' } })?.path).toBe('input.tags[1]');
  });
});
