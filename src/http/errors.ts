/**
 * Every error answer has the shape `{ error: { code, message } }` with a code from src/errors.ts. Fastify's own
 * errors (body too large, bad content) are mapped onto the catalogue; anything unknown is a bare 500 whose
 * details go to the log only.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { IdvError, type ErrorCode } from '../errors.js';

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | IdvError, request, reply) => {
    if (err instanceof IdvError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...err.details } });
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return send(reply, 413, 'body_too_large', 'The body is larger than the limit.');
    if (status >= 400 && status < 500) return send(reply, status, 'invalid_request', err.message);
    request.log.error({ err }, 'unexpected error');
    return send(reply, 500, 'internal', 'Internal error.');
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
  );
}

function send(
  reply: { code(n: number): { send(b: unknown): unknown } },
  status: number,
  code: ErrorCode | string,
  message: string,
) {
  return reply.code(status).send({ error: { code, message } });
}
