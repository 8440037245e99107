import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags every bench takes (`npm run bench` passes `--quick` to each). */
const COMMON = {
  quick: { type: 'boolean', default: false },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const satisfies Options;

/**
 * Parses a bench's command line: the common flags plus `extra`. `--help`
 * prints `usage` and exits; an unknown flag throws (node:util's strict mode).
 */
export function benchArgs<const Extra extends Options>(usage: string, extra: Extra) {
  const { values } = parseArgs({ options: { ...COMMON, ...extra } as typeof COMMON & Extra });
  if ((values as { help?: boolean }).help) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  return values;
}

/** A non-negative number flag, or `fallback` when absent; a clear error otherwise. */
export function numberArg(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

/** The same, undefined when absent: for options objects whose defaults live in the bench. */
export const optionalNumberArg = (name: string, value: unknown): number | undefined => (value === undefined ? undefined : numberArg(name, value, 0));
