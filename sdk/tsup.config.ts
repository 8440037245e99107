import { defineConfig } from 'tsup';

// The installable package (npm pack runs this on prepack): ESM plus bundled .d.ts. The workspace libs the SDK
// uses (@memory-context/privacy, @memory-context/protocol) are not published, so they travel inside the bundle,
// privacy.config.json inlined through its JSON import; real npm dependencies stay external.
export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/run.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  dts: { entry: { index: 'src/index.ts' } },
  removeNodeProtocol: false,
  sourcemap: false,
  noExternal: [/^@memory-context\//],
  tsconfig: 'tsconfig.build.json',
});
