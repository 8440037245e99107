export { createGatewayServer, type GatewayOptions } from './gateway-server.js';
export { apiSchema, composeSupergraph, readCommittedSupergraph, subgraphFiles, SUBGRAPH_ORDER } from './compose.js';
