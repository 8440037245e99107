export type {
  DetectedSpan,
  DetectorCategory,
  DetectorConfig,
  LevelPolicy,
  PrivacyConfig,
  PrivacyLevel,
  RedactionAction,
  RedactionKind,
  RedactionSummary,
} from './types.js';
export { DETECTOR_CATEGORIES, REDACTION_ACTIONS, REDACTION_KINDS } from './types.js';
export { createRedactor, mergeSummaries, summaryTotal, type Redactor, type RedactTextResult, type RedactValueResult } from './redactor.js';
export { DEFAULT_PRIVACY_CONFIG, loadPrivacyConfig } from './config.js';
export { applyPrivacyOverride, PrivacyConfigError, validatePrivacyConfig } from './validate-config.js';
export { maskCreditCard, maskEmail, maskIpAddress, maskPhone, maskSsn, redactedMarker } from './masks.js';
export { luhnValid } from './luhn.js';
