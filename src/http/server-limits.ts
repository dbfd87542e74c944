/**
 * The node:http server idv listens with, and its limits (README "Security and privacy"). Node's defaults
 * give a client 60 s to send its headers, 300 s per request and any number of connections, and check the
 * timeouts only every 30 s: a thousand slow connections from one address then hold a thousand file
 * descriptors for minutes, and once the process has none left Node accepts and drops every new
 * connection — Stripe's included. Here the timeouts are short and checked often, and one TCP peer may
 * hold only so many connections at once; past that, its new connections are closed on arrival.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BlockList, isIPv4, type Socket } from 'node:net';
import type { Config, TrustProxy } from '../config/config.js';

export interface ServerLimitHooks {
  /** A connection was closed on arrival because its peer already held the maximum. */
  onConnectionRefused?: () => void;
}

export function createLimitedServer(
  limits: Config['http'],
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  hooks: ServerLimitHooks = {},
): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How late a timeout may fire past its limit: a quarter of the headers timeout, at most a second.
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  if (limits.maxConnectionsPerIp > 0) {
    capConnectionsPerPeer(server, limits.maxConnectionsPerIp, trustedProxies(limits.trustProxy), hooks);
  }
  return server;
}

/**
 * The cap counts TCP peers: behind a proxy every connection comes from the proxy, so listed proxies
 * (IDV_TRUST_PROXY as addresses or ranges) are exempt — they enforce their own limits. With `true` or a
 * hop count no peer can be told apart from a client, so every peer is capped.
 */
function capConnectionsPerPeer(
  server: Server,
  max: number,
  exempt: BlockList | undefined,
  hooks: ServerLimitHooks,
): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return void socket.destroy();
    if (exempt?.check(address, isIPv4(address) ? 'ipv4' : 'ipv6')) return;
    const count = open.get(address) ?? 0;
    if (count >= max) {
      hooks.onConnectionRefused?.();
      return void socket.destroy();
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function trustedProxies(trust: TrustProxy): BlockList | undefined {
  if (typeof trust !== 'object') return undefined;
  const list = new BlockList();
  for (const entry of trust) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}
