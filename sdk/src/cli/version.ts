import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@memory-context/sdk';

/**
 * The SDK's version from its package.json, found by walking up from this
 * module: src/cli/ in the repository, dist/ once bundled, so both read the real file.
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === PACKAGE_NAME && typeof parsed.version === 'string') return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json of ${PACKAGE_NAME} above ${fileURLToPath(from)}.`);
    dir = parent;
  }
}
