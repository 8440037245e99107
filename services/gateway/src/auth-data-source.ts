import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ACCESS_REASON_HEADER } from '@memory-context/protocol';
import { REQUEST_ID_HEADER } from '@memory-context/server-kit';
import type { GatewayContext } from './gateway-context.js';
import { subgraphFetch } from './subgraph-fetch.js';

/** Forwards the caller's token and request id; each subgraph verifies the token again. */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: { url: string }) {
    super({ fetcher: subgraphFetch, ...config });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('authorization' in context) || !context.authorization) return;
    request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    // Why the caller reads or writes: the subgraphs keep it in the audit trail.
    if (context.accessReason) request.http?.headers.set(ACCESS_REASON_HEADER, context.accessReason);
  }
}
