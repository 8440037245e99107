/**
 * A subgraph's resolvers as the server takes them: per type name, its field
 * resolvers (and `__resolveReference`) or a scalar. Each service types its own
 * map with the resolver types generated from its SDL (`npm run codegen:resolvers`);
 * @apollo/subgraph exports no such type, so this one stays loose.
 */
export type SubgraphResolvers = { readonly [typeName: string]: object | undefined };
