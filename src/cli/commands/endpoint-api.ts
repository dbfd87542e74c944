/**
 * What the `idv endpoint` subcommands share: the `--api-base` flag, a stripe-node client loaded only when a
 * subcommand runs (listing commands must not load it), the endpoints already registered for a URL, and
 * creating one with the six Identity events listed explicitly — `*` would not include
 * `identity.verification_session.redacted` (reference §2.3).
 */
import type Stripe from 'stripe';
import type { EndpointApiSettings } from '../../config/endpoint.js';
import type { FlagSpec } from '../../config/flags.js';
import { IDENTITY_EVENT_TYPES } from '../../domain/terms.js';

export const API_BASE_FLAG: FlagSpec = {
  name: 'api-base',
  value: 'URL',
  env: 'STRIPE_API_BASE',
  description: 'another Stripe API base, e.g. the emulator (no key needed there)',
};

export async function openStripe(settings: EndpointApiSettings): Promise<Stripe> {
  const { createStripeClient } = await import('../../stripe/client.js');
  return createStripeClient({ secretKey: settings.secretKey, apiBase: settings.apiBase });
}

export async function listEndpoints(stripe: Stripe): Promise<Stripe.WebhookEndpoint[]> {
  return stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
}

/** Endpoints for the same URL; a trailing slash is not a different endpoint to a reader. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (url: string) => url.replace(/\/+$/, '');
  return norm(a) === norm(b);
}

export async function createIdentityEndpoint(
  stripe: Stripe,
  target: { url: string; description: string | undefined; connect: boolean },
): Promise<Stripe.WebhookEndpoint> {
  const { default: StripeClass } = await import('stripe');
  return stripe.webhookEndpoints.create({
    url: target.url,
    enabled_events: [...IDENTITY_EVENT_TYPES],
    // Pin payloads to the version this build's types describe (reference §7 "Good practice").
    api_version: StripeClass.API_VERSION,
    ...(target.description ? { description: target.description } : {}),
    ...(target.connect ? { connect: true } : {}),
  });
}

/** One line per endpoint, saying which Identity events it would miss. */
export function describeEndpoint(endpoint: Stripe.WebhookEndpoint): string {
  const events = endpoint.enabled_events;
  const missing = IDENTITY_EVENT_TYPES.filter((type) => !events.includes(type));
  const identity =
    missing.length === 0
      ? 'all six Identity events'
      : `missing ${missing.map((type) => type.replace('identity.verification_session.', '')).join(', ')}`;
  const description = endpoint.description ? `  "${endpoint.description}"` : '';
  return `${endpoint.id}  ${endpoint.status.padEnd(8)}  ${endpoint.url}  (${identity})${description}`;
}

export function apiFailure(settings: EndpointApiSettings, what: string, err: unknown): string {
  const at = settings.apiBase ? ` at ${settings.apiBase}` : '';
  return `could not ${what}${at}: ${(err as Error).message}`;
}
