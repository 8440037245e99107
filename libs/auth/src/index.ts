export { type Principal, SUBMODULE_ID, isSubmoduleId, parseScopes, hasScope, requireScope } from './principal.js';
export { issueToken, importPrivateKeyPem, type IssueOptions, type SigningKey } from './issue.js';
export { createVerifier, type TokenVerifier } from './verify.js';
export { resolveHmacSecret, SECRET_FILE } from './secret.js';
export { parseDuration } from './duration.js';
