export { createLogger, type Logger } from './logger.js';
export { registry, httpDuration, graphqlOperations, graphqlErrors, renderMetrics } from './metrics.js';
