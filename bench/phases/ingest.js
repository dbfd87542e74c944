/**
 * Ingest: closed-loop POST /webhook at a fixed concurrency against a freshly started server, after a short
 * warm-up. Every run gets its own server process, database and freshly signed events; afterwards the server is
 * stopped gracefully and every event it acknowledged is looked up in the database.
 */
import { spawnSync } from 'node:child_process';
import { buildEvents, signedRequests } from '../lib/events.js';
import { RequestPool, runLoad } from '../lib/load.js';
import { cpuSecondsOf, sampleRss } from '../lib/processes.js';
import { percentile, sortedOf } from '../lib/stats.js';
import { SECRET, TARGETS, startTarget } from '../lib/targets.js';

/** Time the worker gets after the load stops to finish what it has in hand before the server is stopped. */
const PROCESS_GRACE_MS = 1000;

let runSerial = 0;

function makePool(count, tag, hostPort) {
  const events = buildEvents(count, tag);
  const requests = signedRequests(events, SECRET, hostPort);
  return new RequestPool(
    requests,
    events.map((e) => e.id),
  );
}

/** One measured run of `target` at `connections`; returns the row for the results table. */
export async function ingestRun(ctx, target, connections, round) {
  runSerial += 1;
  const tag = `r${process.pid.toString(36)}x${runSerial}`;
  const { server, reader, cleanup } = await startTarget(target, ctx);
  const hostPort = `127.0.0.1:${server.port}`;
  const pools = [];
  try {
    // Warm-up: JIT, connection set-up, SQLite page cache. Its rate also sizes the measured pool.
    const warmPool = makePool(ctx.warmupPool, `${tag}w`, hostPort);
    pools.push(warmPool);
    const warm = await runLoad({ url: server.url, pool: warmPool, connections, duration: ctx.warmupSeconds });
    const wanted = Math.ceil(warm.rps * ctx.duration * 2) + 5000;
    const cap = TARGETS[target].stores ? ctx.poolCap : ctx.poolCapStateless;
    const pool = makePool(Math.min(cap, wanted), `${tag}m`, hostPort);
    pools.push(pool);
    const rss = sampleRss(server.pid, 500);
    const cpu0 = cpuSecondsOf(server.pid);
    const measuredFrom = Date.now();
    const load = await runLoad({ url: server.url, pool, connections, duration: ctx.duration });
    const cpu = (cpuSecondsOf(server.pid) - cpu0) / load.seconds;
    if (TARGETS[target].processes) await new Promise((r) => setTimeout(r, PROCESS_GRACE_MS));
    const rssSamples = rss.stop();
    const row = {
      target,
      connections,
      round,
      rps: load.rps,
      p50: load.p50,
      p99: load.p99,
      serverCpu: cpu,
      rssMB: Math.max(...rssSamples.map((s) => s.rss)) / 2 ** 20,
      ok: load.ok,
      non2xx: load.non2xx + warm.non2xx,
      statuses: mergeCounts(load.statuses, warm.statuses),
      errors: load.errors + load.timeouts + warm.errors + warm.timeouts,
      repeats: pool.repeats,
      stored: null,
      missing: null,
    };
    const stopped = await server.stop();
    if (reader) {
      const stored = await reader.ids();
      const acked = pools.flatMap((p) => p.ackedIds());
      row.acked = new Set(acked).size;
      row.stored = stored.size;
      row.missing = acked.filter((id) => !stored.has(id)).length;
    }
    if (TARGETS[target].processes) Object.assign(row, await processingLag(reader, measuredFrom));
    if (stopped.code !== 0 && stopped.signal !== 'SIGTERM' && stopped.code !== null) {
      row.note = `server exited with ${stopped.code}`;
    }
    return row;
  } finally {
    await server.stop(2000);
    await cleanup();
    // Every row starts with nothing of the previous one left to write back (see startTarget's cleanup).
    spawnSync('sync');
  }
}

/**
 * received → processed of the events received during the measured run (an event still unprocessed when the
 * server stopped, a second after the load, counts as slower than any): p99 and how many were left.
 */
async function processingLag(reader, from) {
  const lags = await reader.latenciesSince(from);
  const unprocessed = lags.filter((v) => v === null).length;
  const sorted = sortedOf(lags.map((v) => v ?? Infinity));
  return {
    e2eP50: percentile(sorted, 0.5),
    e2eP99: percentile(sorted, 0.99),
    unprocessed,
    received: lags.length,
  };
}

function mergeCounts(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
