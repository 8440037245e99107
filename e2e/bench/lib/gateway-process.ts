import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@memory-context/embedded';
import { BENCH_SECRET } from './stack.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The gateway alone in its own process (as in production), in front of the
 * embedded stack's subgraphs: `services/gateway/src/main.ts` under tsx.
 */
export async function startGatewayProcess(stack: Stack): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(free));
    });
  });
  const dataDir = mkdtempSync(join(os.tmpdir(), 'memctx-bench-gateway-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    APOLLO_TELEMETRY_DISABLED: '1',
    MEMCTX_HOST: '127.0.0.1',
    MEMCTX_GATEWAY_PORT: String(port),
    MEMCTX_DATA_DIR: dataDir,
    MEMCTX_JWT_SECRET: BENCH_SECRET,
    MEMCTX_LOG_LEVEL: 'silent',
  };
  for (const [name, url] of Object.entries(stack.subgraphUrls as Record<string, string>)) env[`MEMCTX_${name.toUpperCase()}_URL`] = url;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'services/gateway/src/main.ts')], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const onSignal = () => child.kill('SIGKILL');
  process.once('exit', onSignal);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The gateway process exited (${child.exitCode}): ${stderr}`);
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`The gateway process did not answer /health within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `${base}/graphql`,
    pid: child.pid!,
    async stop() {
      process.off('exit', onSignal);
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
