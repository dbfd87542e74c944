import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, IdvError, errorAnswer, type ErrorCode } from '../../src/errors.js';

/** The HTTP contract of every code: changing a status is a breaking change and must show up here. */
const STATUS: Record<ErrorCode, [status: number, retryable: boolean]> = {
  config_invalid: [500, false],
  signature_invalid: [400, false],
  body_not_json: [400, false],
  not_an_event: [400, false],
  body_too_large: [413, false],
  unsupported_media_type: [415, false],
  store_unavailable: [503, true],
  unauthorized: [401, false],
  forbidden: [403, false],
  too_many_requests: [429, true],
  not_found: [404, false],
  subject_erased: [410, false],
  invalid_request: [400, false],
  conflict: [409, false],
  case_claimed: [409, false],
  outputs_unavailable: [409, false],
  csrf_token_invalid: [403, false],
  attempts_exhausted: [409, false],
  in_review: [409, false],
  rejected: [409, false],
  already_verified: [409, false],
  stripe_error: [502, true],
  stripe_not_configured: [503, false],
  encryption_not_configured: [400, false],
  migration_newer_than_code: [500, false],
  internal: [500, true],
};

describe('the error catalogue', () => {
  it('lists exactly the pinned codes', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual(Object.keys(STATUS).sort());
  });

  it.each(Object.entries(STATUS))('%s answers %j', (code, [status, retryable]) => {
    const answer = errorAnswer(code as ErrorCode, 'why');
    expect(answer).toEqual({ status, body: { error: { code, message: 'why', retryable } } });
    expect(new IdvError(code as ErrorCode, 'why')).toMatchObject({ status, retryable });
  });

  it("builds the answer of an IdvError with its safe details, which cannot replace the catalogue's fields", () => {
    const err = new IdvError('invalid_request', 'limit must be a number.', { param: 'limit', code: 'x' });
    expect(errorAnswer(err)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'limit must be a number.',
          retryable: false,
          param: 'limit',
        },
      },
    });
  });
});
