/**
 * Every error answer of the Fastify app comes from the catalogue (src/errors.ts `errorAnswer`). Fastify's own
 * errors (body too large, bad content type, bad JSON) are mapped onto catalogue codes; anything unknown is a
 * bare 500 whose details go to the log only.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { IdvError, errorAnswer, type ErrorAnswer, type ErrorCode } from '../errors.js';

/** Fastify's client-error statuses that have a code of their own; any other 4xx is `invalid_request`. */
const FASTIFY_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  404: 'not_found',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

const FASTIFY_MESSAGES: Partial<Record<ErrorCode, string>> = {
  body_too_large: 'The body is larger than the limit.',
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | IdvError, request, reply) => {
    if (err instanceof IdvError) return send(reply, errorAnswer(err));
    if (err.validation) return send(reply, validationAnswer(err.validation, err.validationContext));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_STATUS_CODES[status] ?? 'invalid_request';
      return send(reply, errorAnswer(code, FASTIFY_MESSAGES[code] ?? err.message));
    }
    request.log.error({ err }, 'unexpected error');
    return send(reply, errorAnswer('internal', 'Internal error.'));
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, errorAnswer('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

/**
 * A route schema refused a path or query parameter (http/openapi/route-schema.ts): `invalid_request` naming
 * it, worded as the handlers' own checks word the same mistakes ("status must be given once.").
 */
export function validationAnswer(errors: readonly SchemaError[], context: string | undefined): ErrorAnswer {
  const first = errors[0];
  if (!first) return errorAnswer('invalid_request', 'The request is not valid.');
  const path = first.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const param = path || context || 'request';
  // A query parameter is declared as a string: an array means it was given more than once.
  if (context === 'querystring' && first.keyword === 'type') {
    return errorAnswer('invalid_request', `${param} must be given once.`, { param });
  }
  if (first.keyword === 'enum') {
    // '' is in every query list (empty means absent), not a value to offer.
    const allowed = (first.params.allowedValues as unknown[])
      .map(String)
      .filter((v) => v !== '')
      .join(', ');
    return errorAnswer('invalid_request', `${param} must be one of ${allowed}.`, { param });
  }
  return errorAnswer('invalid_request', `${param} ${first.message ?? 'is not valid'}.`, { param });
}

function send(reply: FastifyReply, answer: ErrorAnswer) {
  return reply.code(answer.status).send(answer.body);
}
