import { ItemError } from './item.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a file as UTF-8; invalid bytes fail the item instead of turning into U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ItemError('INVALID_UTF8', `${source} is not valid UTF-8; convert it (for example with iconv) and import again.`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses text the protocol cannot store (NUL, unpaired surrogates) rather than stripping it. */
export function checkText(value: unknown, path = 'value'): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new ItemError('INVALID_TEXT', `${path} contains a NUL character.`);
    if (LONE_SURROGATE.test(value)) throw new ItemError('INVALID_TEXT', `${path} contains an unpaired UTF-16 surrogate.`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkText(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkText(v, `${path}.${k}`);
  }
}
