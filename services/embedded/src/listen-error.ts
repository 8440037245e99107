import { OPTIONS, type Config } from '@memory-context/config';

const PORT_OPTIONS = ['gatewayPort', 'sessionsPort', 'patternsPort', 'checkpointsPort', 'searchPort'] as const;

/**
 * What to tell a user whose port is taken or forbidden, naming the variable
 * that chose it; undefined for any other error. Node's listen error carries
 * the port, and the stack's five ports each come from one MEMCTX_*_PORT.
 */
export function listenErrorMessage(error: unknown, config: Config): string | undefined {
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
      ? `Stop the program using it, or pick a free port: ${variable}=<port> npm start`
      : `Pick a port from 1024 up: ${variable}=<port> npm start`,
  ].join('\n');
}
