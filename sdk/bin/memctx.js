#!/usr/bin/env node
// The memctx CLI. The installed package runs the built dist/cli.js with plain node. In this repository, where the
// TypeScript sources sit next to this file, it runs them through tsx (a root devDependency), so no build is needed.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/run.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli.js');
}
