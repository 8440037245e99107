import { PRIVACY_LEVELS } from '@memory-context/protocol';
import { DEFAULT_PRIVACY_CONFIG } from './default-config.js';
import { detectorFor, type Detector } from './detectors.js';
import { replacementFor } from './masks.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import type { DetectedSpan, DetectorCategory, PrivacyConfig, PrivacyLevel, RedactionSummary } from './types.js';
import { validatePrivacyConfig } from './validate-config.js';

export { mergeSummaries, summaryTotal } from './summary.js';

export interface RedactTextResult {
  readonly text: string;
  readonly summary: RedactionSummary;
}

export interface RedactValueResult<T> {
  readonly value: T;
  readonly summary: RedactionSummary;
}

export interface Redactor {
  /** The validated, frozen rules this redactor applies. */
  readonly config: PrivacyConfig;
  /** Replaces what `level` redacts or masks; `summary` counts replacements per kind. */
  redactText(text: string, level: PrivacyLevel): RedactTextResult;
  /**
   * Deep-walks a JSON-like value: strings are redacted, arrays and plain
   * objects are copied with their values redacted (keys untouched), anything
   * else is returned as is. The input is never mutated.
   */
  redactValue<T>(value: T, level: PrivacyLevel): RedactValueResult<T>;
  /**
   * Where the replacements would go: the spans `level` acts on, or without a
   * level every span an enabled detector finds. Offsets only, for callers that
   * warn rather than rewrite.
   */
  detect(text: string, level?: PrivacyLevel): DetectedSpan[];
}

interface PlannedDetector {
  readonly detector: Detector;
  readonly category: DetectorCategory;
  readonly action: 'redact' | 'mask' | 'keep';
}

interface Match extends DetectedSpan {
  readonly priority: number;
  readonly action: 'redact' | 'mask' | 'keep';
}

function find(plan: readonly PlannedDetector[], text: string): Match[] {
  const candidates: Match[] = [];
  for (const { detector, category, action } of plan) {
    for (const span of detector.find(text)) {
      candidates.push({ kind: detector.kind, category, start: span.start, end: span.end, priority: detector.priority, action });
    }
  }
  return resolveOverlaps(candidates);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Builds a redactor for `config` (default: the shipped privacy.config.json). Throws PrivacyConfigError for an invalid config. */
export function createRedactor(config: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): Redactor {
  const rules = config === DEFAULT_PRIVACY_CONFIG ? config : validatePrivacyConfig(config, '(passed to createRedactor)');

  const plans = new Map<PrivacyLevel, PlannedDetector[]>();
  const everything: PlannedDetector[] = [];
  for (const d of rules.detectors) {
    if (d.enabled) everything.push({ detector: detectorFor(d.kind), category: d.category, action: 'keep' });
  }
  for (const level of PRIVACY_LEVELS) {
    const policy = rules.levels[level];
    plans.set(
      level,
      everything.map((p) => ({ ...p, action: policy[p.category] })).filter((p) => p.action !== 'keep'),
    );
  }

  function planFor(level: PrivacyLevel): PlannedDetector[] {
    const plan = plans.get(level);
    if (!plan) throw new TypeError(`Unknown privacy level ${JSON.stringify(level)} (expected one of ${PRIVACY_LEVELS.join(', ')})`);
    return plan;
  }

  function redactWith(plan: readonly PlannedDetector[], text: string, summary: RedactionSummary): string {
    if (text.length === 0 || plan.length === 0) return text;
    const matches = find(plan, text);
    if (matches.length === 0) return text;
    let out = '';
    let at = 0;
    for (const m of matches) {
      if (m.action === 'keep') continue;
      out += text.slice(at, m.start) + replacementFor(m.kind, m.action, text.slice(m.start, m.end));
      at = m.end;
      summary[m.kind] = (summary[m.kind] ?? 0) + 1;
    }
    return out + text.slice(at);
  }

  function walk(value: unknown, plan: readonly PlannedDetector[], summary: RedactionSummary, ancestors: Set<object>): unknown {
    if (typeof value === 'string') return redactWith(plan, value, summary);
    if (typeof value !== 'object' || value === null) return value;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (ancestors.has(value)) throw new TypeError('redactValue: the value contains a circular reference');
    ancestors.add(value);
    let out: unknown;
    if (Array.isArray(value)) {
      out = value.map((item: unknown) => walk(item, plan, summary, ancestors));
    } else {
      const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
      for (const key of Object.keys(value)) {
        // defineProperty, so an own "__proto__" key (as JSON.parse makes) stays a plain key
        Object.defineProperty(copy, key, { value: walk(value[key], plan, summary, ancestors), enumerable: true, writable: true, configurable: true });
      }
      out = copy;
    }
    ancestors.delete(value);
    return out;
  }

  return {
    config: rules,
    redactText(text, level) {
      const summary: RedactionSummary = {};
      return { text: redactWith(planFor(level), text, summary), summary };
    },
    redactValue<T>(value: T, level: PrivacyLevel) {
      const summary: RedactionSummary = {};
      return { value: walk(value, planFor(level), summary, new Set()) as T, summary };
    },
    detect(text, level) {
      const plan = level === undefined ? everything : planFor(level);
      return find(plan, text).map(({ kind, category, start, end }) => ({ kind, category, start, end }));
    },
  };
}
