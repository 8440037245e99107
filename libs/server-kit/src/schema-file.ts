import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/** Finds `schema/<name>.graphql` in the repository (or image) this code runs from. */
export function schemaPath(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schema', `${name}.graphql`);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`schema/${name}.graphql not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function loadSchemaFile(name: string): DocumentNode {
  return parse(readFileSync(schemaPath(name), 'utf8'));
}
