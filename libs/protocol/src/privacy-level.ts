export const PRIVACY_LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/** Levels the central store accepts; EPHEMERAL stays in the SDK cache. */
export const STORED_PRIVACY_LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;
export type StoredPrivacyLevel = (typeof STORED_PRIVACY_LEVELS)[number];

export const SCOPES = ['memory:read', 'memory:write', 'memory:admin'] as const;
export type Scope = (typeof SCOPES)[number];
