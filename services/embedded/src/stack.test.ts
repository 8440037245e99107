import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { loadConfig } from '@memory-context/config';
import { LOCK_FILE } from './data-dir-errors.js';
import { startStack } from './stack.js';

it('a start that fails (a busy port) gives the data directory up, so the next start opens it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'memctx-stack-'));
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  const env = { MEMCTX_DATA_DIR: dataDir, MEMCTX_JWT_SECRET: 'stack-secret-0123456789-abcdefghijklmnopqrstuvwxyz', MEMCTX_LOG_LEVEL: 'silent' };
  try {
    const config = loadConfig({ ...env, MEMCTX_GATEWAY_PORT: String(port), MEMCTX_SESSIONS_PORT: String(port) });
    await expect(startStack({ config })).rejects.toThrow(/EADDRINUSE/);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  } finally {
    busy.close();
  }
  const stack = await startStack({ config: loadConfig(env), ephemeralPorts: true });
  expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
  await stack.stop();
  expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
});
