/**
 * Closed-loop load with autocannon's programmatic API, run in this (core-0) process. Every request is the next
 * pre-signed event of a shared pool, so each is a different event id; which pool entries were answered 2xx is
 * recorded, so the caller can check that every acknowledged event was stored.
 *
 * The pool's raw requests are handed to autocannon by replacing each client's getRequestBuffer (autocannon 9,
 * lib/httpClient.js): nothing is built or signed while the clock runs. Latency is autocannon's own per-request
 * duration (write of the request → end of the response), kept unrounded.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.js';

export class RequestPool {
  /** @param {Buffer[]} requests  @param {string[]} ids  the event id of each request */
  constructor(requests, ids) {
    this.requests = requests;
    this.ids = ids;
    this.next = 0;
    this.acked = new Uint8Array(requests.length);
    this.sent = 0;
  }

  take() {
    const index = this.next;
    this.next = (this.next + 1) % this.requests.length;
    this.sent += 1;
    return index;
  }

  /** Requests sent beyond the pool's size reuse an event id (the receiver must answer them 200, stored once). */
  get repeats() {
    return Math.max(0, this.sent - this.requests.length);
  }

  ackedIds() {
    const ids = [];
    for (let i = 0; i < this.acked.length; i++) if (this.acked[i]) ids.push(this.ids[i]);
    return ids;
  }
}

/**
 * Runs one bounded load: `duration` seconds (or `amount` requests) at `connections` concurrency.
 * Returns { rps, p50, p99, ok, non2xx, errors, timeouts, seconds }.
 */
export async function runLoad({ url, pool, connections, duration, amount }) {
  const latencies = [];
  let ok = 0;
  let non2xx = 0;
  const statuses = {};
  const { hostname, port } = new URL(url);
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: `http://${hostname}:${port}/webhook`,
    method: 'POST',
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration }),
    timeout: 10,
    setupClient(client) {
      let current = -1;
      client.getRequestBuffer = () => {
        current = pool.take();
        return pool.requests[current];
      };
      client.on('response', (status, _bytes, ms) => {
        latencies.push(ms);
        if (status >= 200 && status < 300) {
          ok += 1;
          if (current >= 0) pool.acked[current] = 1;
        } else {
          non2xx += 1;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      });
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: ok / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    ok,
    non2xx,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
  };
}
