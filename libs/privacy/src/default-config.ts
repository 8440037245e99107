import shipped from '../privacy.config.json' with { type: 'json' };
import type { PrivacyConfig } from './types.js';
import { validatePrivacyConfig } from './validate-config.js';

/**
 * The shipped rules (libs/privacy/privacy.config.json), validated and frozen.
 * Imported as a JSON module rather than read from disk, so it works the same
 * under Node, tsx, jest and in a bundled client SDK.
 */
export const DEFAULT_PRIVACY_CONFIG: PrivacyConfig = validatePrivacyConfig(shipped, 'libs/privacy/privacy.config.json (shipped default)');
