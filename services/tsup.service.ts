import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const root = new URL('../', import.meta.url);
const path = (relative: string, base: URL = root) => fileURLToPath(new URL(relative, base));

export interface ServiceBundleOptions {
  /** Also emit `dist/migrate.js`: the one-shot `npm run migrate` without tsx (compose `migrate`, Kubernetes Job). */
  migrate?: boolean;
  /** Copy the local embedding model's word vectors next to the bundle (services that embed text). */
  wordVectors?: boolean;
}

/**
 * The production bundle of a service: `dist/main.js`, runnable as
 * `node services/<name>/dist/main.js`. Workspace packages (@memory-context/*)
 * are bundled in; npm dependencies stay external and resolve from
 * node_modules. The SQL migrations are copied next to the bundle, where the
 * migrator looks (`./migrations`); `schema/` is found by walking up from the
 * bundle (repository or image root).
 */
export function serviceBundle(serviceDir: URL, options: ServiceBundleOptions = {}): Options {
  const outDir = path('./dist', serviceDir);
  return defineConfig({
    entry: {
      main: path('./src/main.ts', serviceDir),
      ...(options.migrate ? { migrate: path('libs/db/src/cli.ts') } : {}),
    },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    tsconfig: path('tsconfig.base.json'),
    bundle: true,
    splitting: false,
    sourcemap: true,
    clean: true,
    dts: false,
    skipNodeModulesBundle: true,
    noExternal: [/^@memory-context\//],
    onSuccess: async () => {
      cpSync(path('libs/db/migrations'), `${outDir}/migrations`, { recursive: true });
      if (options.wordVectors) cpSync(path('libs/embeddings/data'), `${outDir}/data`, { recursive: true });
    },
  }) as Options;
}
