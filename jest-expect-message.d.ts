// Types for jest-expect-message (loaded by jest.setup.js) on the `expect` of '@jest/globals':
// `expect(value, message)` prints the message when the assertion fails.
import type { BaseExpect as _BaseExpect, Inverse, Matchers } from 'expect';

declare module 'expect' {
  interface BaseExpect {
    <T = unknown>(actual: T, message: string): Matchers<void, T> & Inverse<Matchers<void, T>> & PromiseMatchersOf<T>;
  }
}

type PromiseMatchersOf<T> = {
  rejects: Matchers<Promise<void>, T> & Inverse<Matchers<Promise<void>, T>>;
  resolves: Matchers<Promise<void>, T> & Inverse<Matchers<Promise<void>, T>>;
};
