export { OPTIONS, type Config, type OptionSpec } from './options.js';
export { ConfigError, loadConfig, isProduction, sandboxEnabled, subgraphPort, subgraphUrl, type SubgraphName } from './load.js';
export { listenErrorMessage, startupErrorMessage } from './startup-error.js';
export { startWorkerThread, type WorkerThreadFiles } from './worker-thread.js';
