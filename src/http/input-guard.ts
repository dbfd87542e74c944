/**
 * Checks on what clients send to the Fastify routes, made before any handler so that bad input is a 400
 * naming the parameter rather than a 500 from deep inside a store: no U+0000 in a path parameter, query
 * parameter or JSON body (PostgreSQL's TEXT cannot hold it), and subject refs within their documented
 * character set (domain/subject-ref.ts).
 */
import type { FastifyRequest } from 'fastify';
import { subjectRefProblem } from '../domain/subject-ref.js';
import { IdvError } from '../errors.js';
import { holdsNul } from '../json-limits.js';

/** A Fastify `preValidation` hook: params, query and body are parsed by then. */
export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  for (const part of [request.params, request.query, request.body]) {
    if (typeof part !== 'object' || part === null) {
      if (holdsNul(part)) throw nulError('body');
      continue;
    }
    for (const [name, value] of Object.entries(part)) {
      if (holdsNul(name) || holdsNul(value)) throw nulError(name);
    }
  }
}

/** The `:ref` path parameter, or 400 `invalid_request` when it is outside the subject-ref rule. */
export function readSubjectRef(params: unknown): string {
  const { ref } = params as { ref: string };
  const problem = subjectRefProblem(ref);
  if (problem) {
    throw new IdvError(
      'invalid_request',
      `ref ${problem}; a subject ref is 1 to 128 characters without control or format characters.`,
      { param: 'ref' },
    );
  }
  return ref;
}

function nulError(param: string): IdvError {
  return new IdvError('invalid_request', `${param} must not contain NUL characters.`, { param });
}
