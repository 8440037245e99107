export * from './columns.js';
export * from './registry.js';
export * from './sessions.js';
export * from './audit.js';
