/**
 * The one place a stripe-node client is built, for real Stripe or any other API base (the emulator):
 * stripe-node accepts a host/port/protocol override (reference §9), and its port defaults to 443 even for
 * http, so it is always set explicitly.
 */
import Stripe from 'stripe';

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. `http://127.0.0.1:12111`; default Stripe's own API. */
  apiBase?: string | undefined;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'idv-outcomes' },
    ...(options.apiBase ? hostConfig(options.apiBase) : {}),
  });
}

/** `http://127.0.0.1:12111` → stripe-node's host, port and protocol; a bad value says what was expected. */
function hostConfig(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  let parsed: URL;
  try {
    parsed = new URL(apiBase);
  } catch {
    throw new Error(
      `STRIPE_API_BASE (--api-base) must be a URL like http://127.0.0.1:12111 (got "${apiBase}")`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`STRIPE_API_BASE (--api-base) must start with http:// or https:// (got "${apiBase}")`);
  }
  const protocol = parsed.protocol === 'https:' ? 'https' : 'http';
  const port = parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port, protocol };
}
