// Jest runs every suite as native ESM (`node --experimental-vm-modules`, see the root package.json's `test` script),
// TypeScript compiled by SWC. Sources import each other with `.js` specifiers, as Node's ESM wants; the mapper sends
// those to the `.ts` files. In this repository @memory-context/sdk resolves to its TypeScript sources (no build step),
// through the `@memory-context/source` export condition; npm passes the same condition to every child process a test
// spawns (root .npmrc: node-options).

// Every test worker and every process a test spawns inherits these.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.MEMCTX_LOG_LEVEL = 'silent';

/** @type {import('jest').Config} */
export default {
  testMatch: [
    '<rootDir>/libs/*/src/**/*.test.ts',
    '<rootDir>/services/*/src/**/*.test.ts',
    '<rootDir>/sdk/src/**/*.test.ts',
    '<rootDir>/e2e/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@memory-context/source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true, experimental: { keepImportAttributes: true } },
        module: { type: 'es6' },
      },
    ],
    '/node_modules/auto-bind/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  // graphql-codegen's plugins (CommonJS) require ESM-only packages, which Node 20 allows but jest's module registry
  // does not: those packages are compiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(auto-bind)/)'],
  // jest-circus with messages on expect and longer hook timeouts
  testRunner: '<rootDir>/jest.runner.cjs',
  testTimeout: 60_000,
  maxWorkers: 2,
};
