import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { SdkError } from '../errors.js';
import { Output } from './output.js';

function capture(json: boolean) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (text.out += c.toString()));
  stderr.on('data', (c: Buffer) => (text.err += c.toString()));
  return { out: new Output(json, stdout, stderr), text };
}

describe('Output', () => {
  it('puts data on stdout and notes, warnings and errors on stderr', () => {
    const { out, text } = capture(false);
    out.result({ n: 1 }, () => 'row 1');
    out.note('(from the cache)');
    out.warn('PENDING_ALERT', '120 writes are queued');
    out.error(new SdkError('NOT_FOUND', 'no such conflict'));
    expect(text.out).toBe('row 1\n');
    expect(text.err).toBe('(from the cache)\nmemctx: warning: PENDING_ALERT: 120 writes are queued\nmemctx: NOT_FOUND: no such conflict\n');
  });

  it('prints nothing on stdout for empty data, and says so on stderr', () => {
    const { out, text } = capture(false);
    out.result([], () => '', 'No hits.');
    expect(text).toEqual({ out: '', err: 'No hits.\n' });
  });

  it('with --json: one document on stdout, one JSON line per warning or error, no notes', () => {
    const { out, text } = capture(true);
    out.result([], () => '', 'No hits.');
    out.note('(searched the gateway)');
    out.warn('PENDING_ALERT', 'queued');
    out.error(new SdkError('NETWORK_ERROR', 'down'));
    expect(JSON.parse(text.out)).toEqual([]);
    expect(text.err.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { warning: { code: 'PENDING_ALERT', message: 'queued' } },
      { error: { code: 'NETWORK_ERROR', message: 'down' } },
    ]);
  });
});
