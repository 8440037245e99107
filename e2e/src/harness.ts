import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '@memory-context/config';
import { createTestDatabase, type TestDatabase } from '@memory-context/db/testing';
import { startStack, type Stack } from '@memory-context/embedded';

export const TEST_SECRET = 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export interface TestStack extends Stack {
  readonly testDatabase: TestDatabase;
}

/**
 * The real embedded stack on free loopback ports over a fresh database:
 * in-memory PGlite, or a new database on MEMCTX_DATABASE_URL's server.
 */
export async function startTestStack(overrides: Partial<Config> = {}, env: Record<string, string> = {}): Promise<TestStack> {
  const testDatabase = await createTestDatabase();
  const config = loadConfig(
    {
      MEMCTX_DATA_DIR: mkdtempSync(join(tmpdir(), 'memctx-e2e-')),
      MEMCTX_JWT_SECRET: TEST_SECRET,
      MEMCTX_LOG_LEVEL: 'silent',
      ...env,
    },
    overrides,
  );
  const stack = await startStack({ config, database: testDatabase.database, ephemeralPorts: true });
  return Object.assign(Object.create(stack) as Stack, {
    testDatabase,
    async stop() {
      await stack.stop();
      await testDatabase.close();
    },
  }) as TestStack;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown>; path?: Array<string | number> }> | undefined;
}

/** POSTs one GraphQL operation over real HTTP. */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLResponse<T>['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`Non-JSON response ${response.status}: ${text.slice(0, 300)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors };
}

/** The codes of a response's errors. */
export function codes(response: GraphQLResponse<unknown>): string[] {
  return (response.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
}

/** Throws with the errors when the operation failed; returns data otherwise. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}
