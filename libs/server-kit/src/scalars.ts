import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** Scalars every subgraph declares with the same name and meaning. */
export const scalarResolvers = { DateTime: DateTimeResolver, JSON: JSONResolver };
