export * from './error-codes.js';
export * from './access-reason.js';
export * from './privacy-level.js';
export * from './cursor.js';
export * from './sync.js';
export * from './errors.js';
export * from './input-hygiene.js';
