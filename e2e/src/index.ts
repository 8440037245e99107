export * from './harness.js';
export * from './operations.js';
