import { PRIVACY_LEVELS } from '@memory-context/protocol';
import {
  DETECTOR_CATEGORIES,
  REDACTION_ACTIONS,
  REDACTION_KINDS,
  type DetectorCategory,
  type DetectorConfig,
  type LevelPolicy,
  type PrivacyConfig,
  type PrivacyLevel,
  type RedactionAction,
  type RedactionKind,
} from './types.js';

/** A privacy config that cannot be used; `problems` lists every bad field, each by its path. */
export class PrivacyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid privacy config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PrivacyConfigError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const quoteAll = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

function oneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

const TOP_LEVEL_FIELDS = ['$schema', 'version', 'detectors', 'levels'];
const DETECTOR_FIELDS = ['kind', 'category', 'enabled'];

interface DetectorOverride {
  kind: RedactionKind;
  category?: DetectorCategory;
  enabled?: boolean;
}

interface ParsedOverride {
  detectors: DetectorOverride[];
  levels: Partial<Record<PrivacyLevel, Partial<Record<DetectorCategory, RedactionAction>>>>;
}

/** Checks shape, names and values of a (possibly partial) config, collecting every problem. */
function parse(raw: unknown, problems: string[]): ParsedOverride {
  const parsed: ParsedOverride = { detectors: [], levels: {} };
  if (!isObject(raw)) {
    problems.push(`the file must hold a JSON object, got ${Array.isArray(raw) ? 'an array' : show(raw)}`);
    return parsed;
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) problems.push(`unknown field ${JSON.stringify(key)} (allowed: ${quoteAll(TOP_LEVEL_FIELDS)})`);
  }
  if (raw.version !== undefined && raw.version !== 1) problems.push(`version must be 1, got ${show(raw.version)}`);

  if (raw.detectors !== undefined) {
    if (!Array.isArray(raw.detectors)) problems.push(`detectors must be an array, got ${show(raw.detectors)}`);
    else {
      const seen = new Set<string>();
      raw.detectors.forEach((entry: unknown, i) => {
        const at = `detectors[${i}]`;
        if (!isObject(entry)) {
          problems.push(`${at} must be an object like {"kind": "email", "enabled": false}, got ${show(entry)}`);
          return;
        }
        for (const key of Object.keys(entry)) {
          if (!DETECTOR_FIELDS.includes(key)) problems.push(`${at}: unknown field ${JSON.stringify(key)} (allowed: ${quoteAll(DETECTOR_FIELDS)})`);
        }
        const { kind, category, enabled } = entry;
        if (!oneOf(REDACTION_KINDS, kind)) {
          problems.push(`${at}.kind: unknown kind ${show(kind)} (known: ${quoteAll(REDACTION_KINDS)})`);
          return;
        }
        if (seen.has(kind)) problems.push(`${at}.kind: ${JSON.stringify(kind)} is listed more than once`);
        seen.add(kind);
        const override: DetectorOverride = { kind };
        if (category !== undefined) {
          if (oneOf(DETECTOR_CATEGORIES, category)) override.category = category;
          else problems.push(`${at}.category: unknown category ${show(category)} (known: ${quoteAll(DETECTOR_CATEGORIES)})`);
        }
        if (enabled !== undefined) {
          if (typeof enabled === 'boolean') override.enabled = enabled;
          else problems.push(`${at}.enabled must be true or false, got ${show(enabled)}`);
        }
        parsed.detectors.push(override);
      });
    }
  }

  if (raw.levels !== undefined) {
    if (!isObject(raw.levels)) problems.push(`levels must be an object keyed by privacy level, got ${show(raw.levels)}`);
    else {
      for (const [level, policy] of Object.entries(raw.levels)) {
        if (!oneOf(PRIVACY_LEVELS, level)) {
          problems.push(`levels: unknown level ${JSON.stringify(level)} (known: ${quoteAll(PRIVACY_LEVELS)})`);
          continue;
        }
        if (!isObject(policy)) {
          problems.push(`levels.${level} must be an object like {"contact": "mask"}, got ${show(policy)}`);
          continue;
        }
        const actions: Partial<Record<DetectorCategory, RedactionAction>> = {};
        for (const [category, action] of Object.entries(policy)) {
          if (action === undefined) continue; // a JS object with `key: undefined` (never JSON): treated as absent
          if (!oneOf(DETECTOR_CATEGORIES, category)) {
            problems.push(`levels.${level}: unknown category ${JSON.stringify(category)} (known: ${quoteAll(DETECTOR_CATEGORIES)})`);
          } else if (!oneOf(REDACTION_ACTIONS, action)) {
            problems.push(`levels.${level}.${category} must be one of ${quoteAll(REDACTION_ACTIONS)}, got ${show(action)}`);
          } else {
            actions[category] = action;
          }
        }
        parsed.levels[level] = actions;
      }
    }
  }
  return parsed;
}

function freezeConfig(detectors: DetectorConfig[], levels: Record<PrivacyLevel, LevelPolicy>): PrivacyConfig {
  for (const d of detectors) Object.freeze(d);
  for (const level of PRIVACY_LEVELS) Object.freeze(levels[level]);
  return Object.freeze({ version: 1, detectors: Object.freeze(detectors), levels: Object.freeze(levels) });
}

/**
 * Validates a complete config: every kind listed exactly once, every level
 * giving an action for every category. Returns a frozen copy.
 */
export function validatePrivacyConfig(raw: unknown, source: string): PrivacyConfig {
  const problems: string[] = [];
  const parsed = parse(raw, problems);
  if (isObject(raw)) {
    if (raw.version === undefined) problems.push('version is missing (it must be 1)');
    if (raw.detectors === undefined) problems.push('detectors is missing');
    if (raw.levels === undefined) problems.push('levels is missing');
  }
  const detectors: DetectorConfig[] = [];
  if (Array.isArray(isObject(raw) ? raw.detectors : undefined)) {
    parsed.detectors.forEach((d, i) => {
      if (d.category === undefined) problems.push(`detectors[${i}].category is missing for ${JSON.stringify(d.kind)}`);
      if (d.enabled === undefined) problems.push(`detectors[${i}].enabled is missing for ${JSON.stringify(d.kind)}`);
      if (d.category !== undefined && d.enabled !== undefined) detectors.push({ kind: d.kind, category: d.category, enabled: d.enabled });
    });
    const listed = new Set(parsed.detectors.map((d) => d.kind));
    for (const kind of REDACTION_KINDS) {
      if (!listed.has(kind)) problems.push(`detectors: kind ${JSON.stringify(kind)} is missing (list it with "enabled": false to turn it off)`);
    }
  }
  const levels = {} as Record<PrivacyLevel, LevelPolicy>;
  if (isObject(raw) && isObject(raw.levels)) {
    for (const level of PRIVACY_LEVELS) {
      const given = parsed.levels[level];
      if (given === undefined) {
        if (raw.levels[level] === undefined) problems.push(`levels.${level} is missing`);
        continue;
      }
      const policy = {} as Record<DetectorCategory, RedactionAction>;
      for (const category of DETECTOR_CATEGORIES) {
        const action = given[category];
        if (action !== undefined) policy[category] = action;
        else if (isObject(raw.levels[level]) && (raw.levels[level] as Json)[category] === undefined) {
          problems.push(`levels.${level}.${category} is missing (one of ${quoteAll(REDACTION_ACTIONS)})`);
        }
      }
      levels[level] = policy;
    }
  }
  if (problems.length > 0) throw new PrivacyConfigError(source, problems);
  return freezeConfig(detectors, levels);
}

/**
 * Applies an override onto `base`. The override may be partial: listed
 * detectors change only the fields given, levels only the categories given.
 * An override of PRIVATE also applies to EPHEMERAL unless EPHEMERAL is given
 * too, so the two stay alike by default.
 */
export function applyPrivacyOverride(base: PrivacyConfig, raw: unknown, source: string): PrivacyConfig {
  const problems: string[] = [];
  const parsed = parse(raw, problems);
  if (problems.length > 0) throw new PrivacyConfigError(source, problems);

  const byKind = new Map(parsed.detectors.map((d) => [d.kind, d]));
  const detectors = base.detectors.map((d): DetectorConfig => {
    const o = byKind.get(d.kind);
    return { kind: d.kind, category: o?.category ?? d.category, enabled: o?.enabled ?? d.enabled };
  });
  const levels = {} as Record<PrivacyLevel, LevelPolicy>;
  for (const level of PRIVACY_LEVELS) {
    const given = level === 'EPHEMERAL' ? { ...parsed.levels.PRIVATE, ...parsed.levels.EPHEMERAL } : parsed.levels[level];
    levels[level] = { ...base.levels[level], ...given };
  }
  return freezeConfig(detectors, levels);
}
