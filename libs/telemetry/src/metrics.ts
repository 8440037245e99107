import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process. In the embedded stack every service
 * shares it, so each series carries a `service` label.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'memctx_http_request_duration_seconds',
  help: 'HTTP request duration by service, route and status.',
  labelNames: ['service', 'route', 'method', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const graphqlOperations = new Counter({
  name: 'memctx_graphql_operations_total',
  help: 'GraphQL operations by service, operation type and outcome.',
  labelNames: ['service', 'type', 'outcome'] as const,
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: 'memctx_graphql_errors_total',
  help: 'GraphQL errors by service and extensions.code.',
  labelNames: ['service', 'code'] as const,
  registers: [registry],
});

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
