import { isSdkError } from '../errors.js';

/** Human text on stdout, or one JSON document with --json; progress and errors on stderr. */
export class Output {
  constructor(readonly json: boolean) {}

  result(data: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
  }

  /** A progress line; rewritten in place on a terminal. */
  progress(text: string): void {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
    else process.stderr.write(`${text}\n`);
  }

  endProgress(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }

  error(error: unknown): void {
    const code = isSdkError(error) ? error.code : 'ERROR';
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
    else process.stderr.write(`memctx: ${code}: ${message}\n`);
  }
}

/** A fixed-width table for human output. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
