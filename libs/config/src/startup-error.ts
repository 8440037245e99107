import { ConfigError } from './load.js';
import { OPTIONS, type Config } from './options.js';

const PORT_OPTIONS = ['gatewayPort', 'sessionsPort', 'patternsPort', 'checkpointsPort', 'searchPort'] as const;

/**
 * What to tell a user whose port is taken or forbidden, naming the variable
 * that chose it; undefined for any other error. Node's listen error carries
 * the port, and each of the stack's five ports comes from one MEMCTX_*_PORT.
 * `command` is how the user started the program, for the suggested fix.
 */
export function listenErrorMessage(error: unknown, config: Config, command = 'npm start'): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if ((code !== 'EADDRINUSE' && code !== 'EACCES') || port === undefined) return undefined;
  const variables = PORT_OPTIONS.filter((key) => config[key] === port).map((key) => OPTIONS[key].env);
  const variable = variables[0] ?? 'MEMCTX_<SERVICE>_PORT';
  const where = `port ${port} on ${address ?? config.host}`;
  const problem = code === 'EADDRINUSE' ? `${where} is already in use` : `${where} may not be used by this user`;
  const shared = variables.length > 1 ? ` (${variables.join(', ')} all name it; each needs its own port)` : '';
  return [
    `Cannot start: ${problem} (${variable}${variables.length > 1 ? ' and others' : ''}).${shared}`,
    code === 'EADDRINUSE'
      ? `Stop the program using it, or pick a free port: ${variable}=<port> ${command}`
      : `Pick a port from 1024 up: ${variable}=<port> ${command}`,
  ].join('\n');
}

/**
 * The one line (or few) a program prints when it cannot start: the
 * configuration's problems, a busy port with its variable, a message an
 * error marked as meant for users, or else the stack.
 */
export function startupErrorMessage(error: unknown, config: Config | undefined, command?: string): string {
  if (error instanceof ConfigError) return error.message;
  const listen = config ? listenErrorMessage(error, config, command) : undefined;
  if (listen) return listen;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
