import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

/**
 * Production bundle: `dist/main.js` (and `dist/migrate.js`), runnable as `node services/<name>/dist/main.js`.
 * Workspace packages (@memory-context/*) are bundled in; npm dependencies stay
 * external and are resolved from node_modules at run time. The SQL migrations
 * are copied next to the bundle, where the migrator looks (`./migrations`);
 * `schema/` is found by walking up from the bundle (repository or image root).
 */
const migrations = fileURLToPath(new URL('../../libs/db/migrations', import.meta.url));
// The local embedding model's word vectors, found next to the bundle at run time.
const vectors = fileURLToPath(new URL('../../libs/embeddings/data', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

export default defineConfig({
  entry: {
    main: fileURLToPath(new URL('./src/main.ts', import.meta.url)),
    // One-shot `node services/search/dist/migrate.js` for deployments (compose `migrate`,
    // Kubernetes Job); the same code as `npm run migrate`, without tsx.
    migrate: fileURLToPath(new URL('../../libs/db/src/cli.ts', import.meta.url)),
  },
  outDir,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  tsconfig: fileURLToPath(new URL('../../tsconfig.base.json', import.meta.url)),
  bundle: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  dts: false,
  skipNodeModulesBundle: true,
  noExternal: [/^@memory-context\//],
  onSuccess: async () => {
    cpSync(migrations, `${outDir}/migrations`, { recursive: true });
    cpSync(vectors, `${outDir}/data`, { recursive: true });
  },
});
