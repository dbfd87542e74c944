/**
 * The error catalogue. Every error that crosses a boundary (HTTP answer, CLI exit, log line) carries a
 * stable `code`; the HTTP status and whether the caller may retry follow from the code alone, so
 * clients and tests rely on codes, never on message text. Anything not in this catalogue is a bare 500.
 *
 * Every error answer is built by `errorAnswer`, whichever way it is sent (Fastify, the raw webhook path,
 * library mode's middleware): `{ error: { code, message, retryable, …details } }`. `retryable` is in the
 * body because the status alone cannot say it: a 503 `store_unavailable` passes, a 503
 * `stripe_not_configured` does not until an operator acts, and a client should not have to keep a list.
 */
export const ERROR_CATALOGUE = {
  config_invalid: { status: 500, retryable: false },
  signature_invalid: { status: 400, retryable: false },
  body_not_json: { status: 400, retryable: false },
  not_an_event: { status: 400, retryable: false },
  body_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  store_unavailable: { status: 503, retryable: true },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  too_many_requests: { status: 429, retryable: true },
  not_found: { status: 404, retryable: false },
  subject_erased: { status: 410, retryable: false },
  invalid_request: { status: 400, retryable: false },
  conflict: { status: 409, retryable: false },
  case_claimed: { status: 409, retryable: false },
  outputs_unavailable: { status: 409, retryable: false },
  csrf_token_invalid: { status: 403, retryable: false },
  attempts_exhausted: { status: 409, retryable: false },
  in_review: { status: 409, retryable: false },
  rejected: { status: 409, retryable: false },
  already_verified: { status: 409, retryable: false },
  stripe_error: { status: 502, retryable: true },
  stripe_not_configured: { status: 503, retryable: false },
  encryption_not_configured: { status: 400, retryable: false },
  migration_newer_than_code: { status: 500, retryable: false },
  internal: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class IdvError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /** Extra fields that are safe to return to the caller (never personal data). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdvError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.retryable = ERROR_CATALOGUE[code].retryable;
    this.details = details;
  }
}

export function isIdvError(err: unknown, code?: ErrorCode): err is IdvError {
  return err instanceof IdvError && (code === undefined || err.code === code);
}

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; retryable: boolean } & Record<string, unknown>;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/** The HTTP answer for an IdvError, or for a code and a message. */
export function errorAnswer(err: IdvError): ErrorAnswer;
export function errorAnswer(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorAnswer;
export function errorAnswer(
  codeOrError: ErrorCode | IdvError,
  message?: string,
  details?: Record<string, unknown>,
): ErrorAnswer {
  const err =
    typeof codeOrError === 'string' ? new IdvError(codeOrError, message ?? '', details) : codeOrError;
  const { status, retryable } = ERROR_CATALOGUE[err.code];
  // Details first: they may add fields (param, request_id) but never replace the catalogue's.
  return { status, body: { error: { ...err.details, code: err.code, message: err.message, retryable } } };
}
