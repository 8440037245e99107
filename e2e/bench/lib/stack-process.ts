import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StackLayout } from '@memory-context/embedded';

/** A session as the child's seed and bulk writes take it. */
export interface SeedSession {
  submoduleId: string;
  privacyLevel: 'PUBLIC' | 'TEAM' | 'PRIVATE';
  title: string;
  description?: string;
  tags: string[];
  content: Array<{ role: string; text: string }>;
}

export type StackRequest = { id: number } & (
  | { type: 'token'; submoduleId: string }
  /** `count` sessions through the sessions store (500 a transaction), cycling over `sessions`; then the indexer catches up. */
  | { type: 'seed'; count: number; sessions: SeedSession[] }
  /** `count` rows of one session in ONE insert statement: the limit of a batched write. */
  | { type: 'bulk'; count: number; submoduleId: string; title: string; tags: string[]; content: Array<{ role: string; text: string }> }
  | { type: 'stop' }
);
type Body<T extends StackRequest['type']> = Omit<Extract<StackRequest, { type: T }>, 'id' | 'type'>;
type Unsent = StackRequest extends infer R ? (R extends StackRequest ? Omit<R, 'id'> : never) : never;
export type StackReply = { id: number; result?: unknown; error?: string };

export interface StackProcess {
  readonly pid: number;
  readonly gatewayUrl: string;
  readonly database: 'pglite' | 'postgres';
  readonly databaseVersion: string;
  readonly layout: StackLayout;
  token(submoduleId: string): Promise<string>;
  seed(body: Body<'seed'>): Promise<{ ids: string[]; seconds: number }>;
  bulk(body: Body<'bulk'>): Promise<{ ms: number }>;
  stop(): Promise<void>;
}

/**
 * The embedded stack in a process of its own, as `npm start` runs it (PGlite
 * in a temporary data directory, or a fresh database on MEMCTX_DATABASE_URL's
 * server), in the given layout: the load generator and the SDK stay in this
 * process, and the stack's memory is its process's RSS (every thread).
 */
export async function startStackProcess(layout: StackLayout): Promise<StackProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./stack-process-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_STACK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_STACK_CPU_PROF}`] : [])],
    env: { ...process.env, MEMCTX_EMBEDDED_LAYOUT: layout, APOLLO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let exited = false;
  child.on('message', (reply: StackReply) => {
    const waiter = waiting.get(reply.id);
    if (!waiter) return;
    waiting.delete(reply.id);
    if (reply.error !== undefined) waiter.reject(new Error(`bench stack: ${reply.error}`));
    else waiter.resolve(reply.result);
  });
  child.once('exit', (code) => {
    exited = true;
    for (const waiter of waiting.values()) waiter.reject(new Error(`The bench stack exited (${code})`));
    waiting.clear();
  });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  let nextId = 1;
  const ask = <T>(body: Unsent): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('The bench stack has exited'));
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...body, id } as StackRequest);
    });
  const ready = await new Promise<{ gatewayUrl: string; database: 'pglite' | 'postgres'; databaseVersion: string; layout: StackLayout }>((resolve, reject) => {
    waiting.set(0, { resolve: resolve as (value: unknown) => void, reject });
  });
  return {
    pid: child.pid!,
    ...ready,
    token: (submoduleId) => ask({ type: 'token', submoduleId }),
    seed: (body) => ask({ type: 'seed', ...body }),
    bulk: (body) => ask({ type: 'bulk', ...body }),
    async stop() {
      process.off('exit', onExit);
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask({ type: 'stop' }).catch(() => {});
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
