export * from './eventually.js';
export * from './harness.js';
export * from './operations.js';
export * from './process-group.js';
export * from './packed-sdk.js';
