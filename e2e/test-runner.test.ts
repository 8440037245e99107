import { describe, expect, it } from '@jest/globals';

// What jest.runner.cjs adds to jest's globals, which the suites rely on.
describe('the test runner', () => {
  it('prints the message of a two-argument expect above the matcher output', () => {
    let failure: Error | undefined;
    try {
      expect(1, 'the count of widgets').toBe(2);
    } catch (error) {
      failure = error as Error;
    }
    expect(failure?.message).toContain('the count of widgets');
    expect(failure?.message).toContain('Expected: 2');
  });

  it('keeps the message on .not, .resolves and .rejects', async () => {
    expect(() => expect(1, 'negated').not.toBe(1)).toThrow(/negated/);
    await expect(expect(Promise.resolve(1), 'resolved').resolves.toBe(2)).rejects.toThrow(/resolved/);
    await expect(expect(Promise.reject(new Error('no')), 'rejected').rejects.toThrow('yes')).rejects.toThrow(/rejected/);
  });

  it('passes a one-argument expect through unchanged', () => {
    expect(() => expect(1).toBe(2)).toThrow(/Expected: 2/);
    expect(expect.any(Number)).toBeDefined();
  });
});

describe('signals', () => {
  it('reach a listener the test file registers on process', async () => {
    const received = new Promise<string>((resolve) => process.once('SIGUSR2', () => resolve('SIGUSR2')));
    process.kill(process.pid, 'SIGUSR2');
    expect(await received).toBe('SIGUSR2');
  });
});
