/**
 * Worker throughput: `count` realistic events are written straight into a fresh inbox through the SqliteStore of
 * dist/ (the receiver's own insert path, group-committed), then `idv serve --role worker` starts on the server
 * core and is timed until every event is processed. Progress is read from the worker's /metrics, the final
 * statuses from the database.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildEvents } from '../lib/events.js';
import { cpuSecondsOf, sampleRss } from '../lib/processes.js';
import { createPgSchema, dropPgSchema } from '../lib/stores.js';
import { ROOT, removeSqliteFiles, startTarget } from '../lib/targets.js';

export async function processedCount(server) {
  try {
    const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const match = /^idv_events_processed_total(?:\{[^}]*\})? (\d+)/m.exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return null;
  }
}

export async function preloadInbox(file, events) {
  const { SqliteStore } = await import(join(ROOT, 'dist/store/sqlite/sqlite-store.js'));
  await preloadInto(new SqliteStore({ filename: file }), events);
}

/** The same preload into a PostgreSQL schema, through the PostgresStore's own insert. */
export async function preloadPgInbox(url, events) {
  const { PostgresStore } = await import(join(ROOT, 'dist/store/postgres/postgres-store.js'));
  const { parsePostgresUrl } = await import(join(ROOT, 'dist/store/postgres/connection.js'));
  await preloadInto(new PostgresStore({ connection: parsePostgresUrl(url) }), events);
}

async function preloadInto(store, events) {
  try {
    await store.migrate();
    const now = Date.now();
    for (let i = 0; i < events.length; i += 5000) {
      await Promise.all(
        events.slice(i, i + 5000).map((e) =>
          store.insertEvent({
            id: e.id,
            type: e.type,
            livemode: false,
            created: e.created,
            objectId: e.sessionId,
            status: 'pending',
            ignoredReason: null,
            payload: e.payload,
            receivedAt: now,
          }),
        ),
      );
    }
  } finally {
    await store.close();
  }
}

/** Waits until `server` reports `target` processed events; returns the time it did, or null on timeout. */
export async function waitProcessed(server, target, timeoutMs, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await processedCount(server);
    if (n !== null && n >= target) return { at: Date.now(), processed: n };
    if (server.exited)
      return { at: null, processed: n ?? 0, reason: `server exited (${server.exited.code})` };
    if (Date.now() > deadline) return { at: null, processed: n ?? 0, reason: 'timed out' };
    await sleep(everyMs);
  }
}

/** `store`: 'sqlite' (a fresh file) or 'postgres' (a fresh schema of the bench database). */
export async function workerBench(ctx, { count, env = {}, label = 'worker', store = 'sqlite' }) {
  const tag = `w${process.pid.toString(36)}${Date.now().toString(36)}`;
  const events = buildEvents(count, tag);
  const file = join(ctx.tmp, `worker-${Date.now()}.db`);
  const schema = store === 'postgres' ? await createPgSchema(`idv_bench_${tag}`) : null;
  try {
    const preloadStarted = Date.now();
    if (schema) await preloadPgInbox(schema.url, events);
    else await preloadInbox(file, events);
    const preloadSeconds = (Date.now() - preloadStarted) / 1000;
    const { server, reader, cleanup } = await startTarget(schema ? 'idv-pg' : 'idv-sqlite', ctx, {
      role: 'worker',
      ...(schema ? { pgSchema: schema } : { dbFile: file }),
      env,
      label: `idv serve --role worker (${label})`,
    });
    try {
      return { store, preloadSeconds, ...(await timeWorker(ctx, server, reader, count)), label, count };
    } finally {
      await server.stop(2000);
      await cleanup();
    }
  } finally {
    if (schema) await dropPgSchema(schema.name).catch(() => undefined);
    else removeSqliteFiles(file);
    // Nothing of this run left for the kernel to write back during the next (see startTarget's cleanup).
    spawnSync('sync');
  }
}

async function timeWorker(ctx, server, reader, count) {
  const started = Date.now();
  const cpu0 = cpuSecondsOf(server.pid);
  const rss = sampleRss(server.pid, 1000);
  const done = await waitProcessed(server, count, ctx.workerTimeoutMs);
  const cpu1 = cpuSecondsOf(server.pid);
  const samples = rss.stop();
  const seconds = ((done.at ?? Date.now()) - started) / 1000;
  await server.stop();
  return {
    seconds,
    eventsPerSecond: done.processed / seconds,
    complete: done.at !== null,
    reason: done.reason,
    statuses: await reader.statusCounts(),
    serverCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / seconds : null,
    rssMB: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
  };
}
