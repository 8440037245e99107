export { createSessionsSubgraph, type SessionsSubgraph } from './subgraph.js';
export { SessionStore, SESSIONS_NOTIFY_CHANNEL, type SessionRow } from './session-store.js';
