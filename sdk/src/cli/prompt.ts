import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SdkError } from '../errors.js';

export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the question goes: stderr, so stdout keeps only data. */
  output: NodeJS.WritableStream;
}

/** Whether memctx may ask questions: both the keyboard and the screen are a terminal. */
export function canPrompt(streams: { input: { isTTY?: boolean }; output: { isTTY?: boolean } } = { input: process.stdin, output: process.stderr }): boolean {
  return Boolean(streams.input.isTTY && streams.output.isTTY);
}

/**
 * Asks one question and resolves with the trimmed answer. A `secret` answer
 * is not echoed (the terminal's echo goes to a sink while readline reads).
 */
export function ask(question: string, streams: PromptStreams, options: { secret?: boolean } = {}): Promise<string> {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: streams.input, output: options.secret ? sink : streams.output, terminal: Boolean(streams.input.isTTY) });
  // Asked only once readline holds the terminal (raw mode), so nothing typed early is echoed.
  streams.output.write(question);
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (options.secret) streams.output.write('\n');
      rl.close();
      resolve(line.trim());
    });
    rl.once('close', () => {
      if (!answered) reject(new SdkError('INVALID_OPTIONS', `No answer to "${question.trim()}" (the input ended).`));
    });
    // Ctrl-C at a prompt on a raw terminal arrives as SIGINT on the interface, not the process.
    rl.once('SIGINT', () => {
      rl.close();
      reject(new SdkError('INVALID_OPTIONS', 'Interrupted.'));
    });
  });
}
