export * from './database.js';
export { openDatabase, type OpenOptions } from './open.js';
export { migrateDatabase, migrationsFolder } from './migrate.js';
export * from './schema/index.js';
export * from './mechanisms/index.js';
export { openConfiguredDatabase } from './configured.js';
