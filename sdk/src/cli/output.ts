import { isSdkError } from '../errors.js';

/**
 * Data on stdout (human text, or one JSON document with --json); notes,
 * progress, warnings and errors on stderr, so `memctx … | jq` or `> file`
 * gets the data alone.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
    private readonly stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  ) {}

  /** `human` may return '' when there is no data (then `empty` goes to stderr as a note). */
  result(data: unknown, human: () => string, empty?: string): void {
    if (this.json) {
      this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    const text = human();
    if (text) this.stdout.write(`${text}\n`);
    else if (empty) this.note(empty);
  }

  /** A remark about the data (where it came from, what to do next); not printed with --json, whose data says it. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  /** Something the user should act on; with --json, one JSON line like errors. */
  warn(code: string, message: string): void {
    if (this.json) this.stderr.write(`${JSON.stringify({ warning: { code, message } })}\n`);
    else this.stderr.write(`memctx: warning: ${code}: ${message}\n`);
  }

  /** A progress line; rewritten in place on a terminal. */
  progress(text: string): void {
    if (this.stderr.isTTY) this.stderr.write(`\r\x1b[2K${text}`);
    else this.stderr.write(`${text}\n`);
  }

  endProgress(): void {
    if (this.stderr.isTTY) this.stderr.write('\n');
  }

  error(error: unknown): void {
    const code = isSdkError(error) ? error.code : 'ERROR';
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) this.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
    else this.stderr.write(`memctx: ${code}: ${message}\n`);
  }
}

/** A fixed-width table for human output. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
