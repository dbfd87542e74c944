/**
 * Stripe-shaped API errors. stripe-node picks its error class from the HTTP status alone (400/404 →
 * StripeInvalidRequestError unless `type` is `idempotency_error`, 401 → StripeAuthenticationError,
 * 403 → StripePermissionError; reference §9), so the status and `type` here are what matter; `code`,
 * `param` and `message` are copied onto the error object for callers to inspect.
 */
export type StripeErrorType = 'invalid_request_error' | 'idempotency_error' | 'api_error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Stripe leaves `code` and `param` out of the body when they have no value. */
  toJSON(): { error: { type: string; code?: string; message: string; param?: string } } {
    return {
      error: {
        type: this.type,
        ...(this.code === null ? {} : { code: this.code }),
        message: this.message,
        ...(this.param === null ? {} : { param: this.param }),
      },
    };
  }
}

export function invalidParam(param: string, message: string, code = 'parameter_invalid'): ApiError {
  return new ApiError(400, 'invalid_request_error', message, code, param);
}

export function missingParam(param: string): ApiError {
  return new ApiError(
    400,
    'invalid_request_error',
    `Missing required param: ${param}.`,
    'parameter_missing',
    param,
  );
}

export function unknownParam(param: string): ApiError {
  return new ApiError(
    400,
    'invalid_request_error',
    `Received unknown parameter: ${param}`,
    'parameter_unknown',
    param,
  );
}

/** Two parameters that cannot be given together (Stripe's `parameters_exclusive`). */
export function exclusiveParams(...names: string[]): ApiError {
  return new ApiError(
    400,
    'invalid_request_error',
    `You may only specify one of these parameters: ${names.join(', ')}.`,
    'parameters_exclusive',
  );
}

/** Stripe answers 404 `resource_missing` with `param: 'id'` for an unknown object id. */
export function resourceMissing(objectName: string, id: string, param = 'id'): ApiError {
  return new ApiError(
    404,
    'invalid_request_error',
    `No such ${objectName}: '${id}'`,
    'resource_missing',
    param,
  );
}

/**
 * A call not allowed in the object's current status (cancel of a verified session, update after verify).
 * Stripe's exact code for these is not documented (reference §12); the status is 400 like every other
 * invalid request, and the code follows Stripe's `<object>_unexpected_state` naming.
 */
export function unexpectedState(message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', message, 'verification_session_unexpected_state', null);
}
