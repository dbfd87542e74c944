/**
 * Stripe webhook signatures. The scheme lives in the shared `@idv-outcomes/stripe-identity` package because
 * the emulator signs with it too; this file keeps the service's import path.
 */
export {
  SignatureError,
  signPayload,
  signatureHeaderProblem,
  verifyStripeSignature,
  type SignatureFailure,
  type VerifyOptions,
} from '@idv-outcomes/stripe-identity/signature';
