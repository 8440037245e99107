import { describe, expect, it } from '@jest/globals';
import { expansionWords, topicOf } from './query-text.js';

describe('topicOf', () => {
  it('drops the request phrasing and keeps what the question is about', () => {
    expect(topicOf('Show me all sessions about authentication implementation')).toBe('authentication implementation');
    expect(topicOf('find patterns related to database migrations')).toBe('database migrations');
    expect(topicOf('what have we learned about error handling in Rust')).toBe('error handling Rust');
    expect(topicOf('memory keeps growing until the pod is killed')).toBe('memory keeps growing until pod killed');
  });

  it('keeps a question made only of request words, and websearch syntax as written', () => {
    expect(topicOf('show me all sessions')).toBe('show me all sessions');
    expect(topicOf('"session cookie" -jwt')).toBe('"session cookie" -jwt');
  });
});

describe('expansionWords', () => {
  it('adds the other single words of the concepts a word belongs to', () => {
    const words = expansionWords('login problems');
    expect(words).toEqual(expect.arrayContaining(['sso', 'oauth', 'authentication']));
    expect(words).not.toContain('login');
  });

  it('adds nothing for words outside the table', () => {
    expect(expansionWords('kumquat marmalade')).toEqual([]);
  });
});
