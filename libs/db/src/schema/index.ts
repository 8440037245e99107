export * from './columns.js';
export * from './registry.js';
export * from './sessions.js';
export * from './patterns.js';
export * from './checkpoints.js';
export * from './search.js';
export * from './audit.js';
