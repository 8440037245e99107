import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { ask, canPrompt } from './prompt.js';

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { input, output, shown: () => shown };
}

describe('ask', () => {
  it('shows the question and resolves with the trimmed answer', async () => {
    const io = streams();
    const answer = ask('Gateway URL: ', io);
    io.input.write('  http://127.0.0.1:4000/graphql \n');
    expect(await answer).toBe('http://127.0.0.1:4000/graphql');
    expect(io.shown()).toContain('Gateway URL: ');
  });

  it('does not show a secret answer', async () => {
    const io = streams();
    const answer = ask('Token: ', io, { secret: true });
    io.input.write('s3cret-token\n');
    expect(await answer).toBe('s3cret-token');
    expect(io.shown()).not.toContain('s3cret-token');
  });

  it('fails with INVALID_OPTIONS when the input ends before an answer', async () => {
    const io = streams();
    const answer = ask('Token: ', io);
    io.input.end();
    await expect(answer).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('canPrompt', () => {
  it('asks only when both the input and the output are a terminal', () => {
    expect(canPrompt({ input: { isTTY: true }, output: { isTTY: true } })).toBe(true);
    expect(canPrompt({ input: {}, output: { isTTY: true } })).toBe(false);
    expect(canPrompt({ input: { isTTY: true }, output: {} })).toBe(false);
  });
});
