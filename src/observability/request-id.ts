import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Long enough for any tracing id, short and plain enough to be safe in a log line and a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** An incoming `X-Request-Id` when it is sane, else a fresh UUID. */
export function requestIdOf(req: Pick<IncomingMessage, 'headers'>): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The fastify server options that make every request's lines carry its id (fastify's `reqId`). */
export function loggingServerOptions(logger: Logger): Pick<FastifyServerOptions, 'loggerInstance' | 'genReqId' | 'requestIdHeader'> {
  return {
    loggerInstance: logger,
    genReqId: requestIdOf,
    // Our genReqId reads the header itself, so that only a sane value is taken.
    requestIdHeader: false,
  };
}

/** Echoes the request id on every answer so a caller can quote it. Call on the root instance. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
