/**
 * The Stripe API gateway: the only module that calls Stripe (through stripe-node), and only for what idv
 * needs — create and retrieve VerificationSessions (reference §8). `STRIPE_API_BASE` points it at another
 * host such as the emulator (reference §9: stripe-node takes host/port/protocol, and its port defaults to
 * 443 even for http, so the port is always set).
 *
 * Errors come out as one class carrying Stripe's message and request id, which the sessions API passes
 * on as a 502 so the app can quote the request id to Stripe support.
 */
import Stripe from 'stripe';
import type { SessionFields } from '../domain/index.js';
import { createStripeClient } from './client.js';
import { fetchFileContents, type FileContents } from './files.js';
import { StripeGatewayError } from './gateway-error.js';

export interface VerificationSessionHandle {
  id: string;
  status: string;
  /** Hosted page, single use, 48 h (reference §1); null outside `requires_input`. Never logged. */
  url: string | null;
  /** For Stripe.js, single use, 24 h (reference §1). Never logged. */
  clientSecret: string | null;
}

export interface CreateSessionInput {
  /** The subject: written to `metadata.user_id` and `client_reference_id` (DESIGN.md "Subject resolution"). */
  ref: string;
  /** Everything the app asked for, defaults applied (domain/session-request.ts), in Stripe's names. */
  fields: SessionFields;
  /** Same key → same session at Stripe; that is what keeps concurrent requests to one session. */
  idempotencyKey: string;
  /** A Connect account to create the session in (sent as `Stripe-Account`). */
  account?: string | undefined;
}

/**
 * What Stripe let idv read of a session's verified outputs (reference §1 "verified_outputs"): names and the
 * address with `expand[]=verified_outputs`; the date of birth needs `verified_outputs.dob`, a restricted key
 * with the sensitive-results permission, and a verification less than 48 hours old. `dob` says why it is
 * missing when it is: `permission` (the key may not read it) or `expired` (the 48 hours passed).
 */
export interface VerifiedOutputsRead {
  first_name: string | null;
  last_name: string | null;
  country: string | null;
  dob: { day: number | null; month: number | null; year: number | null } | null | undefined;
  dobUnavailable: 'permission' | 'expired' | null;
  /** The outputs as Stripe gave them, for IDV_KEEP_VERIFIED_OUTPUTS. Personal. */
  raw: Record<string, unknown> | null;
}

export interface StripeGateway {
  createSession(input: CreateSessionInput): Promise<VerificationSessionHandle>;
  retrieveSession(id: string, account?: string | null): Promise<VerificationSessionHandle>;
  /** The session's verified outputs; `withDob` also asks for the date of birth. Never logged. */
  retrieveVerifiedOutputs(
    id: string,
    options: { account: string | null; withDob: boolean },
  ): Promise<VerifiedOutputsRead>;
  /** Asks Stripe to redact the session's personal data (reference §2.2); refused while it is processing. */
  redactSession(id: string, account?: string | null): Promise<VerificationSessionHandle>;
  /** The session as Stripe reports it now, as JSON (the console's evidence; its secrets are removed). */
  retrieveSessionObject(id: string): Promise<Record<string, unknown>>;
  /** A VerificationReport as JSON (reference §3.2). */
  retrieveReport(id: string): Promise<Record<string, unknown>>;
  /**
   * `verified_outputs` with date of birth and ID number (reference §1: a restricted key, within 48 hours of
   * processing); Stripe's refusal comes out as a StripeGatewayError with its code.
   */
  revealVerifiedOutputs(id: string): Promise<Record<string, unknown> | null>;
  /** An identity file's image (document or selfie), streamed on and never stored (stripe/files.ts). */
  retrieveFileContents(id: string): Promise<FileContents>;
}

export { StripeGatewayError };

export interface StripeGatewayOptions {
  secretKey: string;
  /** e.g. `http://127.0.0.1:12111`; default Stripe's own API. */
  apiBase?: string | undefined;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

export function createStripeGateway(options: StripeGatewayOptions): StripeGateway {
  const stripe = createStripeClient({ maxNetworkRetries: 1, ...options });
  return {
    async createSession(input) {
      const session = await call(() =>
        stripe.identity.verificationSessions.create(createParams(input), {
          idempotencyKey: input.idempotencyKey,
          ...(input.account ? { stripeAccount: input.account } : {}),
        }),
      );
      return handle(session);
    },
    async retrieveSession(id, account) {
      return handle(
        await call(() => stripe.identity.verificationSessions.retrieve(id, {}, requestOptions(account))),
      );
    },
    retrieveVerifiedOutputs: (id, options) => readVerifiedOutputs(stripe, id, options),
    async redactSession(id, account) {
      return handle(
        await call(() => stripe.identity.verificationSessions.redact(id, {}, requestOptions(account))),
      );
    },
    async retrieveSessionObject(id) {
      const session = await call(() => stripe.identity.verificationSessions.retrieve(id));
      // Single-use secrets of the hosted flow are never passed on (reference §1).
      return { ...session, client_secret: null, url: null } as unknown as Record<string, unknown>;
    },
    async retrieveReport(id) {
      return (await call(() => stripe.identity.verificationReports.retrieve(id))) as unknown as Record<
        string,
        unknown
      >;
    },
    async revealVerifiedOutputs(id) {
      const expand = ['verified_outputs', 'verified_outputs.dob', 'verified_outputs.id_number'];
      const session = await call(() => stripe.identity.verificationSessions.retrieve(id, { expand }));
      return (session.verified_outputs ?? null) as unknown as Record<string, unknown> | null;
    },
    retrieveFileContents: (id) => fetchFileContents(options, id),
  };
}

/**
 * `options.email`/`options.phone` are not in stripe-node's create types (reference §8) but are sent as
 * given; the cast is only for them.
 */
function createParams(input: CreateSessionInput): Stripe.Identity.VerificationSessionCreateParams {
  return {
    ...(input.fields as Stripe.Identity.VerificationSessionCreateParams),
    metadata: { user_id: input.ref },
    client_reference_id: input.ref,
  };
}

function requestOptions(account: string | null | undefined): Stripe.RequestOptions {
  return account ? { stripeAccount: account } : {};
}

/**
 * Two reads: the outputs any key may read, then the date of birth on its own, so a key that may not read
 * it (403) or a verification past the 48 hours costs only `dob` (each expected field is judged alone).
 */
async function readVerifiedOutputs(
  stripe: Stripe,
  id: string,
  { account, withDob }: { account: string | null; withDob: boolean },
): Promise<VerifiedOutputsRead> {
  const sessions = stripe.identity.verificationSessions;
  const plain = await call(() =>
    sessions.retrieve(id, { expand: ['verified_outputs'] }, requestOptions(account)),
  );
  const outputs = plain.verified_outputs ?? null;
  const read: VerifiedOutputsRead = {
    first_name: outputs?.first_name ?? null,
    last_name: outputs?.last_name ?? null,
    country: outputs?.address?.country ?? null,
    dob: undefined,
    dobUnavailable: null,
    raw: outputs ? { ...outputs } : null,
  };
  if (!withDob || outputs === null) return read;
  try {
    const sensitive = await call(() =>
      sessions.retrieve(id, { expand: ['verified_outputs.dob'] }, requestOptions(account)),
    );
    read.dob = sensitive.verified_outputs?.dob ?? null;
    if (read.raw) read.raw.dob = read.dob;
  } catch (err) {
    if (!(err instanceof StripeGatewayError) || (err.statusCode !== 403 && err.statusCode !== 401)) throw err;
    // [assumed] Stripe documents the 48-hour limit, not its error; the emulator answers 403 with its own code.
    read.dobUnavailable = err.stripeCode === 'sensitive_data_access_expired' ? 'expired' : 'permission';
  }
  return read;
}

function handle(session: Stripe.Identity.VerificationSession): VerificationSessionHandle {
  return { id: session.id, status: session.status, url: session.url, clientSecret: session.client_secret };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      throw new StripeGatewayError(
        err.message,
        err.statusCode ?? null,
        err.requestId ?? null,
        err.code ?? null,
      );
    }
    throw new StripeGatewayError((err as Error).message, null, null, null);
  }
}
