import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_PRIVACY_CONFIG } from './default-config.js';
import type { PrivacyConfig } from './types.js';
import { applyPrivacyOverride, PrivacyConfigError } from './validate-config.js';

export { DEFAULT_PRIVACY_CONFIG };

/**
 * The privacy rules to run with: the shipped default, or the default with the
 * override file at `path` applied (the server passes MEMCTX_PRIVACY_CONFIG).
 * An override may be partial; anything it names must exist. Throws
 * PrivacyConfigError naming the file and every bad field.
 *
 * The only function in this package that touches the file system.
 */
export function loadPrivacyConfig(path?: string): PrivacyConfig {
  if (path === undefined || path === '') return DEFAULT_PRIVACY_CONFIG;
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PrivacyConfigError(file, [`the file cannot be read: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PrivacyConfigError(file, [`the file is not valid JSON: ${(err as Error).message}`]);
  }
  return applyPrivacyOverride(DEFAULT_PRIVACY_CONFIG, raw, file);
}
