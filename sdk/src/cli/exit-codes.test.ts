import { CommanderError } from 'commander';
import { expect, it } from '@jest/globals';
import { SdkError } from '../errors.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';

it('maps what a command ended with to a stable exit status', () => {
  expect(exitCodeFor(new CommanderError(0, 'commander.version', '0.1.0'))).toBe(EXIT.ok);
  expect(exitCodeFor(new CommanderError(1, 'commander.invalidArgument', 'bad'))).toBe(EXIT.usage);
  expect(exitCodeFor(new SdkError('BAD_USER_INPUT', 'x'))).toBe(EXIT.usage);
  expect(exitCodeFor(new SdkError('INVALID_OPTIONS', 'x'))).toBe(EXIT.usage);
  expect(exitCodeFor(new SdkError('NETWORK_ERROR', 'x'))).toBe(EXIT.unavailable);
  expect(exitCodeFor(new SdkError('NOT_CONFIGURED', 'x'))).toBe(EXIT.unavailable);
  expect(exitCodeFor(new SdkError('CACHE_CORRUPT', 'x'))).toBe(EXIT.cacheUnusable);
  expect(exitCodeFor(new SdkError('NOT_FOUND', 'x'))).toBe(EXIT.failed);
  expect(exitCodeFor(new Error('x'))).toBe(EXIT.failed);
});

it('lists every exit status in the help text', () => {
  for (const code of Object.values(EXIT)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}  `, 'm'));
});
