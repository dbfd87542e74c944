/** The HTTP edge's configuration: bearer-token rules and the server limits (README "Configuration"). */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const SECRET = 'whsec_abcdefghijkl';
const serve = { requireWebhookSecret: true };
const GOOD_API = 'a'.repeat(32);
const GOOD_ADMIN = 'b'.repeat(40);

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, ...env }, serve);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('bearer tokens', () => {
  it('stops start-up for a token under 32 characters, naming the variable and never the value', () => {
    const message = errorOf({ IDV_API_TOKEN: 'short-api-token', IDV_ADMIN_TOKEN: 'x'.repeat(31) });
    expect(message).toMatch(/IDV_API_TOKEN: must be at least 32 characters, got 15/);
    expect(message).toMatch(/IDV_ADMIN_TOKEN: must be at least 32 characters, got 31/);
    expect(message).not.toContain('short-api-token');
  });

  it('stops start-up when the app token is the admin token', () => {
    expect(errorOf({ IDV_API_TOKEN: GOOD_API, IDV_ADMIN_TOKEN: GOOD_API })).toMatch(
      /IDV_API_TOKEN, IDV_ADMIN_TOKEN: must differ/,
    );
  });

  it('accepts two different tokens of 32 characters or more, or none', () => {
    const config = loadConfig(
      [],
      { STRIPE_WEBHOOK_SECRET: SECRET, IDV_API_TOKEN: GOOD_API, IDV_ADMIN_TOKEN: GOOD_ADMIN },
      serve,
    );
    expect(config).toMatchObject({ apiToken: GOOD_API, adminToken: GOOD_ADMIN });
    expect(loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET }, serve).apiToken).toBeUndefined();
  });
});

describe('HTTP limits', () => {
  it('defaults to short timeouts and a per-peer connection cap, trusting no proxy', () => {
    expect(loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET }, serve).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnectionsPerIp: 256,
      trustProxy: false,
    });
  });

  it('reads each variable, and refuses a headers timeout longer than the request timeout', () => {
    const config = loadConfig(
      [],
      {
        STRIPE_WEBHOOK_SECRET: SECRET,
        IDV_HTTP_HEADERS_TIMEOUT_MS: '2000',
        IDV_HTTP_REQUEST_TIMEOUT_MS: '4000',
        IDV_HTTP_KEEPALIVE_TIMEOUT_MS: '65000',
        IDV_MAX_CONNECTIONS_PER_IP: '0',
      },
      serve,
    );
    expect(config.http).toMatchObject({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 65_000,
      maxConnectionsPerIp: 0,
    });
    expect(errorOf({ IDV_HTTP_HEADERS_TIMEOUT_MS: '5000', IDV_HTTP_REQUEST_TIMEOUT_MS: '1000' })).toMatch(
      /IDV_HTTP_HEADERS_TIMEOUT_MS: must not exceed IDV_HTTP_REQUEST_TIMEOUT_MS/,
    );
    expect(errorOf({ IDV_MAX_CONNECTIONS_PER_IP: 'many' })).toMatch(
      /IDV_MAX_CONNECTIONS_PER_IP: expected a whole/,
    );
  });

  it('reads IDV_TRUST_PROXY as a boolean, a hop count, or addresses and ranges', () => {
    const trust = (value: string) =>
      loadConfig([], { STRIPE_WEBHOOK_SECRET: SECRET, IDV_TRUST_PROXY: value }, serve).http.trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.7, 192.168.0.0/16, ::1, loopback')).toEqual([
      '10.0.0.7',
      '192.168.0.0/16',
      '::1',
      '127.0.0.0/8',
      '::1/128',
    ]);
    expect(errorOf({ IDV_TRUST_PROXY: '10.0.0.0/33' })).toMatch(/IDV_TRUST_PROXY: expected true, false/);
    expect(errorOf({ IDV_TRUST_PROXY: 'proxy.internal' })).toMatch(/got "proxy.internal"/);
  });
});
