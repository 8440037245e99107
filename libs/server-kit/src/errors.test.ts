import { runInNewContext } from 'node:vm';
import { GraphQLError, locatedError } from 'graphql';
import { describe, expect, it } from '@jest/globals';
import { MemctxError } from '@memory-context/protocol';
import { createErrorFormatter, loggableError, normalizeError } from './errors.js';

/** How Drizzle wraps a postgres.js error when Postgres restarts under a query. */
function droppedConnection(): Error {
  const driver = Object.assign(new Error('write CONNECTION_CLOSED 10.1.2.3:5432'), { code: 'CONNECTION_CLOSED' });
  return new Error('Failed query: insert into "sessions"."sessions" ... params: secret', { cause: driver });
}

describe('normalizeError', () => {
  it('turns a dropped or refused database connection into UNAVAILABLE without the address', () => {
    for (const error of [
      droppedConnection(),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' })], 'connect failed'),
    ]) {
      const known = normalizeError(error);
      expect(known).toMatchObject({ code: 'UNAVAILABLE', details: { dependency: 'database', retryable: true } });
      expect(known.message).not.toMatch(/10\.1\.2\.3|5432/);
    }
  });

  it('knows a socket error made in another realm, as graphql-js wraps it (Node core errors under a vm context, as in jest)', () => {
    const socketError = runInNewContext(`Object.assign(new Error('read ECONNRESET'), { errno: -104, code: 'ECONNRESET', syscall: 'read' })`) as unknown;
    expect(socketError instanceof Error).toBe(false); // the realm differs: graphql-js calls it an "Unexpected error value"
    const thrown = locatedError(socketError, undefined, ['applySessionWrites']);
    expect(thrown.message).toMatch(/^Unexpected error value/);
    expect(normalizeError(thrown)).toMatchObject({ code: 'UNAVAILABLE', details: { dependency: 'database', retryable: true } });
    expect(normalizeError(socketError).code).toBe('UNAVAILABLE');
  });

  it('leaves other database errors INTERNAL', () => {
    const error = new Error('Failed query: select', { cause: Object.assign(new Error('column "x" does not exist'), { code: '42703' }) });
    expect(normalizeError(error).code).toBe('INTERNAL');
  });
});

describe('loggableError', () => {
  it("logs a relayed subgraph error's real message, not [object Object]", () => {
    const relayed = { message: 'Database error: invalid byte sequence', path: ['sessions'], extensions: { code: 'INTERNAL', serviceName: 'sessions' } };
    expect(loggableError(relayed)).toMatchObject({ message: 'Database error: invalid byte sequence', code: 'INTERNAL', service: 'sessions', path: ['sessions'] });
  });

  it('logs the cause of an UNAVAILABLE error (the driver message, for operators)', () => {
    const known = normalizeError(droppedConnection());
    expect(loggableError(known)).toMatchObject({ message: known.message, cause: { message: 'write CONNECTION_CLOSED 10.1.2.3:5432', code: 'CONNECTION_CLOSED' } });
  });
});

describe('createErrorFormatter', () => {
  const format = (production: boolean, error: unknown, path?: string[]) => {
    const logged: Array<[unknown, string]> = [];
    const formatter = createErrorFormatter({ production, service: 'sessions', onServerError: (e, code) => logged.push([e, code]) });
    const graphqlError = error instanceof GraphQLError ? error : new GraphQLError('x', { ...(path ? { path } : {}), originalError: error as Error });
    return { formatted: formatter(graphqlError.toJSON(), graphqlError), logged };
  };

  it('names the service on UNAVAILABLE, marks it retryable, keeps the path, and logs the cause', () => {
    const { formatted, logged } = format(true, droppedConnection(), ['createSession']);
    expect(formatted).toEqual({
      message: 'The database cannot be reached; try again later.',
      path: ['createSession'],
      extensions: { code: 'UNAVAILABLE', dependency: 'database', retryable: true, service: 'sessions' },
    });
    expect(logged[0]?.[1]).toBe('UNAVAILABLE');
  });

  it('masks INTERNAL in production but keeps code, service and path', () => {
    const { formatted } = format(true, new Error('secret detail'), ['session']);
    expect(formatted).toEqual({ message: 'Internal server error.', path: ['session'], extensions: { code: 'INTERNAL', service: 'sessions' } });
    expect(format(false, new Error('secret detail'), ['session']).formatted.message).toBe('secret detail');
  });

  it('keeps the service a relayed error names', () => {
    const relayed = new GraphQLError('Internal server error.', { path: ['patterns'], extensions: { code: 'INTERNAL', serviceName: 'patterns' } });
    expect(format(true, relayed).formatted.extensions).toEqual({ code: 'INTERNAL', service: 'patterns' });
  });

  it('keeps the code of a subgraph the gateway found unreachable, not the socket error under it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4002'), { code: 'ECONNREFUSED' });
    const unreachable = new GraphQLError('The patterns service is unavailable; try again later.', {
      path: ['patterns'],
      extensions: { code: 'UNAVAILABLE', service: 'patterns', retryable: true },
      originalError: refused,
    });
    expect(format(true, unreachable).formatted).toEqual({
      message: 'The patterns service is unavailable; try again later.',
      path: ['patterns'],
      extensions: { code: 'UNAVAILABLE', service: 'patterns', retryable: true },
    });
  });

  it('drops "Did you mean" suggestions in production only', () => {
    const validation = new GraphQLError('Cannot query field "titel" on type "Session". Did you mean "title"?', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(format(true, validation).formatted.message).toBe('Cannot query field "titel" on type "Session".');
    expect(format(false, validation).formatted.message).toMatch(/Did you mean "title"\?/);
    const coercion = new MemctxError('BAD_USER_INPUT', 'Value "TEMA" does not exist in "PrivacyLevel" enum. Did you mean the enum value "TEAM"?');
    expect(format(true, coercion).formatted.message).toBe('Value "TEMA" does not exist in "PrivacyLevel" enum.');
  });
});
