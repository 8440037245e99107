import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ACCESS_REASON_HEADER } from '@memory-context/protocol';
import { REQUEST_ID_HEADER } from '@memory-context/server-kit';
import type { GatewayContext } from './gateway-context.js';
import { fetchPath, subgraphFailure } from './subgraph-failure.js';
import { subgraphFetch } from './subgraph-fetch.js';

/** Forwards the caller's token and request id; each subgraph verifies the token again. */
export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** The subgraph's name, which errors report instead of its address. */
  readonly service: string;

  constructor(config: { name: string; url: string }) {
    super({ fetcher: subgraphFetch, url: config.url });
    this.service = config.name;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('authorization' in context) || !context.authorization) return;
    request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    // Why the caller reads or writes: the subgraphs keep it in the audit trail.
    if (context.accessReason) request.http?.headers.set(ACCESS_REASON_HEADER, context.accessReason);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      throw subgraphFailure(this.service, error, fetchPath(options));
    }
  }
}
