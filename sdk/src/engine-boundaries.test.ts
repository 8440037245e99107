import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from '@jest/globals';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, f));
}

/** Every relative import of every file (type-only imports and re-exports included), as the TypeScript compiler reads them. */
function importGraph(root: string): Map<string, string[]> {
  const files = new Set(sourceFiles(root));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
      .filter((target) => files.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The import cycles: strongly connected components of more than one file, or a file importing itself (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const rel = (files: string[]) => files.map((f) => relative(SRC, f));
const isTest = (f: string) => f.endsWith('.test.ts');
/** The folder a source file sits in under src/ ('' for the top level). */
const folder = (f: string) => (relative(SRC, f).includes(sep) ? relative(SRC, f).split(sep)[0]! : '');

describe('the SDK source', () => {
  it('has no import cycle', () => {
    expect(importCycles(importGraph(SRC)).map(rel)).toEqual([]);
  });

  it('finds a cycle when there is one (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memctx-cycles-'));
    mkdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './cache/b.js';\nexport type A = B;\n");
    writeFileSync(join(dir, 'cache', 'b.ts'), "export { type A as B } from '../a.js';\n");
    writeFileSync(join(dir, 'c.ts'), "import './a.js';\n");
    expect(importCycles(importGraph(dir)).map((c) => c.map((f) => relative(dir, f)))).toEqual([['a.ts', join('cache', 'b.ts')]]);
  });

  it('runs SQL on the cache only in cache/ (import/ reads the seed database and keeps its own ledger)', () => {
    const outside = sourceFiles(SRC).filter((f) => !isTest(f) && folder(f) !== 'cache' && folder(f) !== 'import');
    expect(rel(outside.filter((f) => /from 'better-sqlite3'|\.prepare\(|\.pragma\(/.test(readFileSync(f, 'utf8'))))).toEqual([]);
  });

  it('emits client events only in client.ts, and reads the time only through the clock (the cli, import and mcp front ends use the public client)', () => {
    const engine = sourceFiles(SRC).filter((f) => !isTest(f) && !['cli', 'import', 'mcp'].includes(folder(f)));
    expect(rel(engine.filter((f) => /\.emit\(/.test(readFileSync(f, 'utf8'))))).toEqual(['client.ts']);
    expect(rel(engine.filter((f) => /Date\.now\(\)|new Date\(\)/.test(readFileSync(f, 'utf8'))))).toEqual(['clock.ts']);
  });
});
