/**
 * Soak: `total` events through one `idv serve` (receiver and worker, SQLite), in chunks signed just before they
 * are sent (a chunk is sent well within the 300 s signature tolerance), then until the worker has processed
 * them all. RSS is sampled every second throughout. Growth is measured after the warm-up (the first 10% of the
 * run's time): median RSS of the last 10% of samples against the median of the 10%–20% window.
 */
import { buildEvents, signedRequests } from '../lib/events.js';
import { RequestPool, runLoad } from '../lib/load.js';
import { cpuSecondsOf, sampleRss } from '../lib/processes.js';
import { median } from '../lib/stats.js';
import { SECRET, startTarget } from '../lib/targets.js';
import { waitProcessed } from './worker.js';

export async function soakBench(
  ctx,
  { total, chunk, connections, sendUntil, drainUntil, drainMinutes, log },
) {
  const { server, reader, cleanup } = await startTarget('idv-sqlite-all', ctx);
  try {
    const rss = sampleRss(server.pid, 1000);
    const cpu0 = cpuSecondsOf(server.pid);
    const started = Date.now();
    const tag = `s${process.pid.toString(36)}${Date.now().toString(36)}`;
    let ok = 0;
    let non2xx = 0;
    let errors = 0;
    let acked = 0;
    let missing = 0;
    const pools = [];
    let sent = 0;
    for (let offset = 0, n = 0; offset < total; offset += chunk, n++) {
      if (sendUntil && Date.now() > sendUntil && offset > 0) {
        log?.(`  soak: sending budget spent after ${offset} events`);
        break;
      }
      const size = Math.min(chunk, total - offset);
      const events = buildEvents(size, `${tag}c${n}`);
      const pool = new RequestPool(
        signedRequests(events, SECRET, `127.0.0.1:${server.port}`),
        events.map((e) => e.id),
      );
      const load = await runLoad({ url: server.url, pool, connections, amount: size });
      ok += load.ok;
      non2xx += load.non2xx;
      errors += load.errors + load.timeouts;
      pools.push(pool.ackedIds());
      sent += size;
      log?.(`  soak: ${offset + size}/${total} sent, rss ${(server.rss() / 2 ** 20).toFixed(0)} MB`);
    }
    const ingestSeconds = (Date.now() - started) / 1000;
    const pendingAcked = ok;
    const drainMs = drainUntil ? Math.max(1000, drainUntil - Date.now()) : drainMinutes * 60_000;
    const done = await waitProcessed(server, pendingAcked, drainMs, 500);
    const seconds = (Date.now() - started) / 1000;
    const samples = rss.stop();
    const cpu = (cpuSecondsOf(server.pid) - cpu0) / seconds;
    await server.stop();
    const stored = await reader.ids();
    for (const ids of pools) {
      acked += ids.length;
      for (const id of ids) if (!stored.has(id)) missing += 1;
    }
    const statuses = await reader.statusCounts();
    const end = samples[samples.length - 1]?.t ?? 0;
    const window = (from, to) => samples.filter((s) => s.t >= from * end && s.t < to * end).map((s) => s.rss);
    const baseline = median(window(0.1, 0.2));
    const last = median(window(0.9, 1.01));
    return {
      total,
      sent,
      drainedWithin: drainMs / 1000,
      ok,
      non2xx,
      errors,
      acked,
      missing,
      statuses,
      ingestSeconds,
      ingestRate: ok / ingestSeconds,
      seconds,
      complete: done.at !== null,
      processed: done.processed,
      serverCpu: cpu,
      rssBaselineMB: baseline / 2 ** 20,
      rssEndMB: last / 2 ** 20,
      rssMaxMB: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
      growth: last / baseline - 1,
      samples: samples.map((s) => [s.t, Math.round(s.rss / 1024)]),
    };
  } finally {
    await server.stop(2000);
    await cleanup();
  }
}
