/**
 * An open-loop sender at a fixed rate: request i leaves at start + i/rate, whatever the answers do, over a pool
 * of keep-alive connections. autocannon's overallRate sends each second's quota in a burst at the start of the
 * second, which would measure the burst, not the rate.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './stats.js';

/**
 * Sends `items` ({ body, signature, id }) to `url`/webhook at `rate` per second; resolves when every request has
 * been answered (or failed). Returns { sent, ok, non2xx, errors, p50, p99, ackedIds, sentAt, seconds }; sentAt
 * maps each id to the wall-clock time its request was handed to the socket pool.
 */
export async function sendPaced({ url, items, rate, maxSockets = 64 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(url);
  const latencies = [];
  const ackedIds = [];
  const sentAt = new Map();
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  let sent = 0;
  let allSettled;
  const finished = new Promise((resolve) => (allSettled = resolve));
  const settle = () => {
    settled += 1;
    if (settled === items.length) allSettled();
  };
  const send = (item) => {
    const t0 = performance.now();
    sentAt.set(item.id, Date.now());
    const req = http.request(
      {
        agent,
        hostname,
        port,
        method: 'POST',
        path: '/webhook',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': item.signature,
          'content-length': Buffer.byteLength(item.body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode >= 200 && res.statusCode < 300) {
            ok += 1;
            ackedIds.push(item.id);
          } else non2xx += 1;
          settle();
        });
      },
    );
    req.on('error', () => {
      errors += 1;
      settle();
    });
    req.end(item.body);
  };
  const start = performance.now();
  while (sent < items.length) {
    const due = Math.min(items.length, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) send(items[sent++]);
    await sleep(1);
  }
  if (items.length === 0) allSettled();
  await finished;
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    sent,
    ok,
    non2xx,
    errors,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    ackedIds,
    sentAt,
    seconds,
  };
}
