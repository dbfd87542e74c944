/** What any call to Stripe throws: Stripe's message, the HTTP status, request id and error code. */
export class StripeGatewayError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly requestId: string | null,
    readonly stripeCode: string | null,
  ) {
    super(message);
    this.name = 'StripeGatewayError';
  }
}
