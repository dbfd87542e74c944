/**
 * Horizontal scale (DESIGN.md "Scale"): three `idv serve` processes share one PostgreSQL schema. A shuffled
 * stream with duplicates, each delivery sent to a random process, must be processed exactly once and leave
 * every subject exactly where a single SQLite process leaves it for the same stream.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, schemaUrl, skipPostgres, uniqueSchema, withAdminClient } from '../helpers/postgres.js';
import { API_TOKEN, WEBHOOK_SECRET } from '../helpers/service.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { buildEventStream, deliver, seededRandom } from './event-stream.js';
import { ServiceProcesses, type ServiceProcess } from './processes.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations/index.js';

const skipReason = await skipPostgres();
const SEED = Number(process.env.IDV_TEST_SEED ?? Date.now() % 1_000_000);

describe.skipIf(skipReason)('three idv serve processes on one PostgreSQL schema', () => {
  const schema = uniqueSchema('idv_scale');
  const processes = new ServiceProcesses();
  let children: ServiceProcess[] = [];
  const temp = tempDir();
  const sqlitePath = join(temp.dir, 'idv.db');
  let single: ServiceProcess;

  beforeAll(async () => {
    const env = {
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      IDV_API_TOKEN: API_TOKEN,
      IDV_WORKER_POLL_MS: '20',
      IDV_DISPATCH_POLL_MS: '50',
    };
    const onPostgres = { ...env, IDV_DATABASE_URL: schemaUrl(schema), IDV_PG_POOL_SIZE: '8' };
    // Started together: they also race to migrate the empty schema, and must migrate it once.
    [single, ...children] = await Promise.all([
      processes.start({ ...env, IDV_DATABASE_URL: `sqlite:${sqlitePath}` }),
      ...[1, 2, 3].map(() => processes.start(onPostgres)),
    ]);
  }, 60_000);

  afterAll(async () => {
    await processes.stopAll();
    temp.cleanup();
    await dropSchema(schema);
  });

  it(`processes 2,000 events for 500 subjects exactly once and ends where one SQLite process does (seed ${SEED})`, async () => {
    const stream = buildEventStream({ subjects: 500, duplicateShare: 0.2, seed: SEED, tag: `mp${SEED}` });
    expect(stream.events).toHaveLength(2_000);
    const pick = seededRandom(SEED + 1);
    const started = Date.now();
    const [scaled, reference] = await Promise.all([
      deliver(stream.deliveries, WEBHOOK_SECRET, () => children[Math.floor(pick() * children.length)]!.url),
      deliver(stream.deliveries, WEBHOOK_SECRET, () => single.url),
    ]);
    const sentMs = Date.now() - started;
    expect(Object.fromEntries(scaled)).toEqual({ 200: stream.deliveries.length });
    expect(Object.fromEntries(reference)).toEqual({ 200: stream.deliveries.length });

    const counts = await waitFor(
      () =>
        withAdminClient(schema, async (client) => {
          const { rows } = await client.query<{ status: string; n: number; attempts: number }>(
            'SELECT status, count(*)::int AS n, sum(attempts)::int AS attempts FROM events GROUP BY status',
          );
          const processed = rows.find((r) => r.status === 'processed');
          return processed?.n === stream.events.length ? rows : undefined;
        }),
      60_000,
      'every event processed on PostgreSQL',
    );
    const processedMs = Date.now() - started;
    // Every event claimed once and applied once: no second claim, no failure, nothing left over.
    expect(counts).toEqual([{ status: 'processed', n: 2_000, attempts: 2_000 }]);

    const sqlite = new Database(sqlitePath, { readonly: true });
    await waitFor(
      () =>
        (sqlite.prepare(`SELECT count(*) AS n FROM events WHERE status = 'processed'`).get() as { n: number })
          .n === 2_000
          ? true
          : undefined,
      30_000,
      'every event processed on SQLite',
    );
    sqlite.close();

    const duplicatedKeys = await withAdminClient(schema, (client) =>
      client.query('SELECT idempotency_key FROM outbox GROUP BY idempotency_key HAVING count(*) > 1'),
    );
    expect(duplicatedKeys.rows).toEqual([]);
    const workers = await withAdminClient(schema, (client) =>
      client.query<{ n: number }>('SELECT count(DISTINCT version)::int AS n FROM schema_migrations'),
    );
    expect(workers.rows[0]?.n).toBe(POSTGRES_MIGRATIONS.length);

    const mismatches: unknown[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < stream.subjects.length) {
          const ref = stream.subjects[next++]!;
          const [onPostgres, onSqlite] = await Promise.all([
            subjectState(children[next % children.length]!.url, ref),
            subjectState(single.url, ref),
          ]);
          if (JSON.stringify(onPostgres) !== JSON.stringify(onSqlite))
            mismatches.push({ ref, onPostgres, onSqlite });
        }
      }),
    );
    expect(mismatches.slice(0, 3)).toEqual([]);
    console.info(
      `scale: ${stream.deliveries.length} deliveries sent to 3 processes (and to SQLite) in ${sentMs} ms; ` +
        `all 2,000 processed on PostgreSQL after ${processedMs} ms`,
    );
  }, 180_000); // 4,800 signed deliveries over HTTP: about 50 s on a slow two-core machine, bounded here
});

/** The parts of GET /v1/subjects/:ref that are final state, not the path taken to it. */
async function subjectState(url: string, ref: string): Promise<unknown> {
  const res = await fetch(`${url}/v1/subjects/${ref}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const body = (await res.json()) as {
    state: string;
    attempts: unknown;
    sessions: { id: string; status: string; last_error: unknown }[];
    review: { status: string; topic: string } | null;
  };
  return {
    status: res.status,
    state: body.state,
    attempts: body.attempts,
    sessions: body.sessions
      .map((s) => ({ id: s.id, status: s.status, last_error: s.last_error }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    review: body.review ? { status: body.review.status, topic: body.review.topic } : null,
  };
}
