export { createGatewayServer, type GatewayOptions } from './gateway-server.js';
export { composeSupergraph, readCommittedSupergraph, subgraphFiles, SUBGRAPH_ORDER } from './compose.js';
