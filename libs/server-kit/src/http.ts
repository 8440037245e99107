import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { httpDuration, renderMetrics, type Logger } from '@memory-context/telemetry';
import { HTTP_STATUS, isErrorCode } from '@memory-context/protocol';
import { httpErrorBody } from './errors.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpOptions {
  service: string;
  logger: Logger;
  bodyLimit: number;
  /** Answers /ready: resolves when every dependency answers. */
  ready: () => Promise<Record<string, 'ok' | string>>;
}

/**
 * The HTTP shell shared by the gateway and the subgraphs: request ids,
 * body limit with a GraphQL-shaped 413, /health, /ready, /metrics.
 */
export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({
    // Request lines are not logged (metrics count them); warnings and errors are.
    loggerInstance: options.logger.child({}, { level: 'warn' }) as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    genReqId: (req) => {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // A refusal raised inside an Apollo plugin (the token limit parses there) comes
  // out as 500 though its code says the request was at fault: give it that status.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 500 || typeof payload !== 'string' || !payload.startsWith('{"errors"')) return payload;
    const code = (JSON.parse(payload) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions?.code;
    if (isErrorCode(code) && code !== 'INTERNAL') reply.status(HTTP_STATUS[code]);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ service: options.service, route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ route, status: reply.statusCode, requestId: request.id }, 'request failed');
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send(httpErrorBody('PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${options.bodyLimit} bytes.`));
    }
    if (status === 415) return reply.status(415).send(httpErrorBody('BAD_USER_INPUT', 'Send GraphQL requests as application/json.'));
    if (status >= 400 && status < 500) return reply.status(status).send(httpErrorBody('BAD_USER_INPUT', error.message));
    request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    return reply.status(500).send(httpErrorBody('INTERNAL', 'Internal server error.'));
  });

  app.get('/health', async () => ({ status: 'ok', service: options.service }));
  app.get('/ready', async (_request, reply) => {
    const checks = await options.ready().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', service: options.service, checks });
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await renderMetrics();
    return reply.header('content-type', contentType).send(body);
  });
  return app;
}

/** Runs a readiness probe with a deadline, reporting its failure as text. */
export async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
