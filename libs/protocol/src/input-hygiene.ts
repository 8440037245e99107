/**
 * What text and JSON a client may send (ARCHITECTURE §9). Postgres cannot
 * store a NUL character or half of a UTF-16 surrogate pair, and deeply nested
 * JSON overflows recursive code (hashing, canonical JSON); such input is the
 * caller's mistake, not the server's. The server checks every operation's
 * arguments with this rule and the SDK checks each write with it before
 * queueing, so client and server cannot drift apart.
 */

/** Default deepest nesting of objects and arrays in one argument (MEMCTX_MAX_INPUT_DEPTH). */
export const DEFAULT_MAX_INPUT_DEPTH = 64;

export interface InputProblem {
  /** The argument path, e.g. `input.content[2].text`. */
  readonly path: string;
  readonly reason: 'nul' | 'lone-surrogate' | 'too-deep';
  readonly message: string;
}

const NUL = '\u0000';
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string cannot be stored, or null when it can. */
export function textProblem(text: string): InputProblem['reason'] | null {
  if (text.includes(NUL)) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'lone-surrogate';
  return null;
}

function describe(path: string, reason: InputProblem['reason'], maxDepth: number): InputProblem {
  const what =
    reason === 'nul'
      ? 'contains a NUL character (\\u0000)'
      : reason === 'lone-surrogate'
        ? 'contains a lone UTF-16 surrogate (not valid Unicode text)'
        : `is nested deeper than ${maxDepth} levels`;
  return { path, reason, message: `${path} ${what}.` };
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The first string (value or object key) with a NUL or a lone surrogate, or
 * the first value nested past `maxDepth`, in a JSON-like value; null if the
 * value is clean. Iterative, so hostile nesting cannot overflow the stack.
 * `path` names the value itself (an argument or variable name).
 */
export function findInputProblem(value: unknown, path: string, maxDepth: number = DEFAULT_MAX_INPUT_DEPTH): InputProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const reason = textProblem(item.value);
      if (reason) return describe(item.path, reason, maxDepth);
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return describe(item.path, 'too-deep', maxDepth);
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
    if (Array.isArray(item.value)) {
      item.value.forEach((child, index) => children.push({ value: child, path: childPath(item.path, index), depth: item.depth + 1 }));
    } else {
      for (const [key, child] of Object.entries(item.value)) {
        const keyReason = textProblem(key);
        if (keyReason) return describe(childPath(item.path, key.replace(/[^\x20-\x7e]/g, '?')), keyReason, maxDepth);
        children.push({ value: child, path: childPath(item.path, key), depth: item.depth + 1 });
      }
    }
    // Reversed so the first problem in document order is the one reported.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

/** Checks each named argument (variables, or a write's fields); the first problem found, or null. */
export function findArgumentsProblem(args: Readonly<Record<string, unknown>>, maxDepth: number = DEFAULT_MAX_INPUT_DEPTH): InputProblem | null {
  for (const [name, value] of Object.entries(args)) {
    const problem = findInputProblem(value, name, maxDepth);
    if (problem) return problem;
  }
  return null;
}
