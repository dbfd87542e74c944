/**
 * The HTTP edge: the server's limits (timeouts, connections per client, trusted proxies) and the rules
 * bearer tokens must meet. Documented in the README's "Security and privacy".
 */
import { isIP } from 'node:net';
import type { EnvSpec } from './flags.js';
import type { Reader } from './reader.js';

/**
 * Which TCP peers may speak for the client in `X-Forwarded-For` (IDV_TRUST_PROXY): nobody, every peer,
 * the nearest n hops, or the listed addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | readonly string[];

export interface HttpLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Open connections one TCP peer may hold at once; 0 disables the cap. */
  readonly maxConnectionsPerIp: number;
  readonly trustProxy: TrustProxy;
}

export const HTTP_LIMIT_VARIABLES: readonly EnvSpec[] = [
  { name: 'IDV_HTTP_HEADERS_TIMEOUT_MS', description: 'how long a client may take to send its headers' },
  { name: 'IDV_HTTP_REQUEST_TIMEOUT_MS', description: 'how long a client may take to send a whole request' },
  { name: 'IDV_HTTP_KEEPALIVE_TIMEOUT_MS', description: 'how long an idle keep-alive connection stays open' },
  {
    name: 'IDV_MAX_CONNECTIONS_PER_IP',
    description: 'open connections one client address may hold (0: no cap)',
  },
  { name: 'IDV_TRUST_PROXY', description: 'proxies whose X-Forwarded-For names the client' },
];

/** Long enough that guessing is hopeless even without the failure limit: 32 characters, e.g. 16 random bytes in hex. */
export const MIN_TOKEN_LENGTH = 32;

/** The tokens' length and distinctness; the length is reported, never the value: it is a credential. */
export function checkTokens(
  read: Reader,
  tokens: { apiToken?: string | undefined; adminToken?: string | undefined },
): void {
  for (const [name, token] of [
    ['IDV_API_TOKEN', tokens.apiToken],
    ['IDV_ADMIN_TOKEN', tokens.adminToken],
  ] as const) {
    if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
      read.problem(
        name,
        `must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}; generate one with \`openssl rand -hex 32\``,
      );
    }
  }
  if (tokens.apiToken !== undefined && tokens.apiToken === tokens.adminToken) {
    read.report('IDV_API_TOKEN, IDV_ADMIN_TOKEN: must differ, or the application could use the admin API');
  }
}

/** proxy-addr's names for the usual private ranges, spelled out so the connection cap can match them too. */
const NAMED_RANGES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

export function readHttpLimits(read: Reader): HttpLimits {
  const headersTimeoutMs = read.int('IDV_HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = read.int('IDV_HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a headers timeout longer than the request timeout, and it would mean nothing.
  if (headersTimeoutMs > requestTimeoutMs) {
    read.problem(
      'IDV_HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed IDV_HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.int('IDV_HTTP_KEEPALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnectionsPerIp: read.int('IDV_MAX_CONNECTIONS_PER_IP', 256, 0, 1_000_000),
    trustProxy: readTrustProxy(read),
  };
}

function readTrustProxy(read: Reader): TrustProxy {
  const value = read.string('IDV_TRUST_PROXY', 'false')!;
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Math.min(Number(value), 100);
  const ranges: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const named = NAMED_RANGES[entry];
    if (named) ranges.push(...named);
    else if (isAddressOrRange(entry)) ranges.push(entry);
    else {
      read.problem(
        'IDV_TRUST_PROXY',
        `expected true, false, a number of hops, or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal; got "${entry.slice(0, 45)}"`,
      );
    }
  }
  return ranges;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
