import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { CallError, describeIssues } from '../services/errors';
import { callErrorStatus } from '../web/call-error-status';
import { pathOf } from '../web/path-of';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Request-level failures fastify raises itself, with the code a caller reads for each. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'InvalidData',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'InvalidData',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'InvalidData',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'InvalidData',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BatchTooLarge',
};

const STATUS_CODES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'BatchTooLarge',
  429: 'TooManyRequests',
};

/**
 * Every refusal and failure leaves as `{ error: { code, message } }`: CallErrors with their own
 * code and the status `CALL_ERROR_STATUS` gives it, schema failures as 400 InvalidData naming the
 * property, anything unexpected as 500 InternalError with the details in the log only.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof CallError) {
      return reply.code(callErrorStatus(err)).send(errorBody(err.code, err.message));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: v.instancePath.split('/').filter((p) => p !== ''),
        message: v.message ?? 'is invalid',
      }));
      const where = (err as { validationContext?: string }).validationContext;
      return reply.code(400).send(errorBody('InvalidData', describeIssues(issues, where)));
    }
    if (err.validation) {
      return reply.code(400).send(errorBody('InvalidData', err.message));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500 && !isResponseSerializationError(err)) {
      const code = FASTIFY_CODES[err.code] ?? STATUS_CODES[status] ?? 'InvalidData';
      return reply.code(status).send(errorBody(code, publicMessage(err)));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('InternalError', 'the service failed to answer; the error is logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('NotFound', `no route ${request.method} ${pathOf(request.url)}`));
  });
}

/**
 * Fastify's own refusals of a URL before any route matches (a bad percent-escape such as `%FF`, a
 * path parameter past maxParamLength), which bypass the error handler: answered in our shape.
 */
export function frameworkErrorAnswer(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL holds an invalid percent-escape' : err.message;
  reply.code(err.statusCode ?? 400).send(errorBody('InvalidData', message));
}

function publicMessage(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'the body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'the body must be JSON (Content-Type: application/json)';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the body is larger than this endpoint takes: split the batch';
    default:
      return err.message;
  }
}
