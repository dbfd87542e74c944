/**
 * A stripe-node client for real Stripe or any other API base (the emulator): stripe-node accepts a
 * host/port/protocol override (reference §9), and its port defaults to 443 even for http, so it is
 * always set explicitly.
 */
import Stripe from 'stripe';

export interface StripeClientOptions {
  secretKey: string;
  apiBase?: string | undefined;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: Number(base.port || (protocol === 'http' ? 80 : 443)), protocol }
      : {}),
  });
}
