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

function send(reply: FastifyReply, answer: ErrorAnswer) {
  return reply.code(answer.status).send(answer.body);
}
