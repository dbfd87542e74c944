/**
 * Failed bearer-token checks per client address, in a sliding window kept in memory: after
 * {@link AUTH_FAILURE_LIMIT} failures within {@link AUTH_FAILURE_WINDOW_MS} an address is answered 429
 * until the oldest of them leaves the window. Requests answered 429 are not counted, so an address that
 * keeps guessing gets at most ten guesses a minute. The window is per process: with several receivers
 * behind a load balancer each allows its own ten.
 *
 * An IPv6 client usually holds a whole /64, so IPv6 addresses are counted by their /64.
 */
export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Addresses remembered at most; the least recently failing is forgotten first. */
const MAX_TRACKED = 10_000;

export class AuthFailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = AUTH_FAILURE_LIMIT,
    private readonly windowMs = AUTH_FAILURE_WINDOW_MS,
  ) {}

  /** Milliseconds until `client` may try again; 0 when it may now. */
  blockedFor(client: string, now: number): number {
    const times = this.recent(clientKey(client), now);
    return times.length >= this.limit ? times[0]! + this.windowMs - now : 0;
  }

  record(client: string, now: number): void {
    const key = clientKey(client);
    const times = this.recent(key, now);
    times.push(now);
    if (times.length > this.limit) times.shift();
    // Re-inserted, so the Map's order is least recently failing first.
    this.failures.delete(key);
    this.failures.set(key, times);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}

/** The unit a limit applies to: the IPv4 address, or the /64 of an IPv6 address. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const bare = address.split('%', 1)[0]!.toLowerCase();
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An address from X-Forwarded-For may be malformed; it still gets a key, just not a meaningful one.
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  const groups = tail === undefined ? left : [...left, ...zeros, ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}
