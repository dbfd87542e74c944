/**
 * Ingest: closed-loop POST /webhook at a fixed concurrency against a freshly started server, after a short
 * warm-up. Every run gets its own server process, database and freshly signed events; afterwards the server is
 * stopped gracefully and every event it acknowledged is looked up in the database.
 */
import { buildEvents, signedRequests } from '../lib/events.js';
import { RequestPool, runLoad } from '../lib/load.js';
import { cpuSecondsOf, sampleRss } from '../lib/processes.js';
import { SECRET, TARGETS, startTarget } from '../lib/targets.js';

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
    const load = await runLoad({ url: server.url, pool, connections, duration: ctx.duration });
    const cpu = (cpuSecondsOf(server.pid) - cpu0) / load.seconds;
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
    if (stopped.code !== 0 && stopped.signal !== 'SIGTERM' && stopped.code !== null) {
      row.note = `server exited with ${stopped.code}`;
    }
    return row;
  } finally {
    await server.stop(2000);
    await cleanup();
  }
}

function mergeCounts(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
