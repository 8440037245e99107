/** Operations the e2e suites send, written as an agent would. */
export const SESSION_FIELDS = `
  id submoduleId privacyLevel title description tags version createdAt updatedAt contentHash contentBytes
  content { role text at }
  redaction { total counts { kind count } }
  submodule { id name }
`;

export const CREATE_SESSION = `mutation Create($input: CreateSessionInput!) { createSession(input: $input) { ${SESSION_FIELDS} } }`;
export const UPDATE_SESSION = `mutation Update($id: ID!, $baseVersion: Int!, $input: UpdateSessionInput!) {
  updateSession(id: $id, baseVersion: $baseVersion, input: $input) { ${SESSION_FIELDS} }
}`;
export const DELETE_SESSION = `mutation Delete($id: ID!, $gdpr: Boolean, $reason: String, $key: String) {
  deleteSession(id: $id, gdprRequest: $gdpr, reason: $reason, idempotencyKey: $key) { id deleted purgeAfter }
}`;
export const GET_SESSION = `query Get($id: ID!) { session(id: $id) { ${SESSION_FIELDS} } }`;
export const LIST_SESSIONS = `query List($filter: SessionFilter, $first: Int, $after: String) {
  sessions(filter: $filter, first: $first, after: $after) { nodes { id title privacyLevel submoduleId tags } pageInfo { endCursor hasNextPage } }
}`;
export const SESSION_CHANGES = `query Changes($after: String, $limit: Int) {
  sessionChanges(after: $after, limit: $limit) { changes { op id version at entity { id title version privacyLevel } } cursor hasMore }
}`;
