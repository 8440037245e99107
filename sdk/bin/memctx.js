#!/usr/bin/env node
// The memctx CLI. In this repository it runs the TypeScript sources through tsx
// (a root devDependency), like every other workspace package.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
