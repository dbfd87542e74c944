/**
 * End-to-end latency: `idv serve` (receiver and worker in one process, SQLite) fed at a fixed rate; for each
 * acknowledged event, processed_at - received_at from the events table. processed_at is the worker's clock
 * just before the transaction that applies the event and commits its reactions, so the figure is short of the
 * commit by that one transaction.
 */
import { buildEvents, sign } from '../lib/events.js';
import { sendPaced } from '../lib/paced.js';
import { sampleRss } from '../lib/processes.js';
import { percentile, sortedOf } from '../lib/stats.js';
import { SECRET, startTarget } from '../lib/targets.js';
import { waitProcessed } from './worker.js';

function signed(events) {
  const timestamp = Math.floor(Date.now() / 1000);
  return events.map((e) => ({ id: e.id, body: e.payload, signature: sign(e.payload, SECRET, timestamp) }));
}

export async function e2eBench(ctx, { rate, seconds, warmupSeconds, drainMs }) {
  const { server, reader, cleanup } = await startTarget('idv-sqlite-all', ctx);
  try {
    const tag = `e${process.pid.toString(36)}${Date.now().toString(36)}`;
    const warm = await sendPaced({
      url: server.url,
      items: signed(buildEvents(Math.round(rate * warmupSeconds), `${tag}w`)),
      rate,
    });
    const rss = sampleRss(server.pid, 1000);
    const measured = await sendPaced({
      url: server.url,
      items: signed(buildEvents(Math.round(rate * seconds), `${tag}m`)),
      rate,
    });
    const done = await waitProcessed(server, warm.ok + measured.ok, drainMs);
    const samples = rss.stop();
    await server.stop();
    const acked = new Set(measured.ackedIds);
    const rows = (await reader.timings()).filter((r) => acked.has(r[0]));
    const latencies = sortedOf(rows.map((r) => r[2] - r[1]));
    // What Stripe would see: from the moment the request left the sender, queueing included.
    const fromSend = sortedOf(rows.map((r) => r[2] - measured.sentAt.get(r[0])));
    return {
      rate,
      seconds,
      answeredRate: measured.ok / measured.seconds,
      sent: measured.sent,
      ok: measured.ok,
      non2xx: measured.non2xx + warm.non2xx,
      errors: measured.errors + warm.errors,
      httpP50: measured.p50,
      httpP99: measured.p99,
      processed: latencies.length,
      complete: done.at !== null,
      e2eP50: percentile(latencies, 0.5),
      e2eP99: percentile(latencies, 0.99),
      e2eMax: latencies.length ? latencies[latencies.length - 1] : NaN,
      fromSendP50: percentile(fromSend, 0.5),
      fromSendP99: percentile(fromSend, 0.99),
      rssMB: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
    };
  } finally {
    await server.stop(2000);
    await cleanup();
  }
}
